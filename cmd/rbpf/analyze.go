package main

import (
	"fmt"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/inspect"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// analysis is what the static subcommands (disasm, cfg, jit) know about a
// program: its text and the names that make it readable.
type analysis struct {
	text  []byte
	entry int
	// functions names function start slots (ELF symbols, asm labels that
	// are called, and the entrypoint).
	functions map[int]string
	// calls resolves call immediates to function slots.
	calls map[uint32]int
	// syscalls names the call immediates of syscalls: the ELF's imports
	// and the default syscall set.
	syscalls map[uint32]string
	// rbpf is what rbpf v0.2.8's CLI knows about the program: ELF symbols
	// at rbpf's own index (st_value/8 - 29), the imports and the call map
	// of the loaded executable; nothing for text bytes.
	rbpf cfg.Options
}

// analyze assembles or loads p without running it.
func analyze(p *program) (*analysis, error) {
	a := &analysis{functions: map[int]string{}, calls: map[uint32]int{}, syscalls: map[uint32]string{}}
	a.rbpf = cfg.Options{Functions: map[int]string{}, CallTargets: map[uint32]int{}, Syscalls: map[uint32]string{}}
	for _, b := range runspec.DefaultSyscalls {
		if h, err := runspec.KeyHash(b.Key); err == nil && b.Key == b.Name {
			a.syscalls[h] = b.Name
		}
	}
	switch p.kind {
	case runspec.KindBytes:
		a.text = p.data
	case runspec.KindAsm:
		prog, err := asm.AssembleProgram(string(p.data))
		if err != nil {
			return nil, fmt.Errorf("assemble %s: %v", p.path, err)
		}
		a.text = prog.Bytes
		for name, pc := range prog.Functions {
			a.functions[pc] = name
			a.calls[ebpf.HashSymbolName([]byte(name))] = pc
		}
		for _, c := range prog.ExternalCalls() {
			a.syscalls[ebpf.HashSymbolName([]byte(c.Name))] = c.Name
		}
	case runspec.KindELF:
		prog, err := elf.Load(p.data)
		if err != nil {
			return nil, fmt.Errorf("ELF error: %v", err)
		}
		a.text, a.entry = prog.Text, prog.Entrypoint
		syscalls, fns := prog.Symbols()
		for h, name := range syscalls {
			a.syscalls[h] = name
			a.rbpf.Syscalls[h] = name
		}
		for pc, f := range fns {
			a.rbpf.Functions[pc] = f.Name
		}
		// Function symbols placed by their address in .text (rbpf's own
		// index assumes one file layout), as `rbpf elf` shows them.
		for pc, name := range inspect.Build(p.data).Labels() {
			a.functions[pc] = name
		}
		for h, pc := range prog.Calls {
			a.calls[h] = pc
			a.rbpf.CallTargets[h] = pc
		}
		a.rbpf.Entry = prog.Entrypoint
	}
	if _, ok := a.functions[a.entry]; !ok {
		a.functions[a.entry] = "entrypoint"
	}
	// Functions reached only through the call map get rbpf's CLI name.
	for _, pc := range a.calls {
		if _, ok := a.functions[pc]; !ok {
			a.functions[pc] = fmt.Sprintf("function_%d", pc)
		}
	}
	return a, nil
}

// callNames names every call immediate: syscalls and functions.
func (a *analysis) callNames() map[uint32]string {
	names := map[uint32]string{}
	for h, n := range a.syscalls {
		names[h] = n
	}
	for h, pc := range a.calls {
		names[h] = a.functions[pc]
	}
	return names
}

// sortedFunctions lists the function starts in order.
func (a *analysis) sortedFunctions() []int {
	pcs := make([]int, 0, len(a.functions))
	for pc := range a.functions {
		pcs = append(pcs, pc)
	}
	sort.Ints(pcs)
	return pcs
}

// rbpfView is what rbpf's CLI analysis knows of a built executable: its ELF
// symbols at rbpf's index, its imports and its call map.
func rbpfView(exe *vm.Executable) cfg.Options {
	p := exe.Program
	o := cfg.Options{Entry: p.Entrypoint, Functions: map[int]string{}, CallTargets: map[uint32]int{}, Syscalls: map[uint32]string{}}
	syscalls, fns := p.Symbols()
	for h, n := range syscalls {
		o.Syscalls[h] = n
	}
	for pc, f := range fns {
		o.Functions[pc] = f.Name
	}
	for h, pc := range p.Calls {
		o.CallTargets[h] = pc
	}
	return o
}
