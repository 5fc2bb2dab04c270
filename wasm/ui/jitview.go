package ui

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// jitProgram compiles the current program with the JIT's pure-Go
// compiler (nothing is executed in the browser), once per program. Slots
// are decoded one at a time, as they are shown.
func (p *Loaded) jitProgram() (*jit.Program, error) {
	if p == nil || p.Prog == nil {
		return nil, fmt.Errorf("load a program that the loader accepts first")
	}
	if p.jitErr == nil && p.jitProg == nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					p.jitErr = fmt.Errorf("the JIT compiler crashed: %v", r)
				}
			}()
			p.jitProg, p.jitErr = jit.Compile(p.shownExecutable(), jit.Options{})
		}()
	}
	return p.jitProg, p.jitErr
}

// shownExecutable is the loaded program as the machine-code view compiles
// it: the default configuration and the playground's syscalls.
func (p *Loaded) shownExecutable() *vm.Executable {
	return &vm.Executable{Config: vm.DefaultConfig(), Program: p.Prog, Syscalls: playgroundSyscalls()}
}

// jitPC is the slot the machine-code view shows: d's cursor, else the
// debugger's pc, else the entrypoint.
func (p *Loaded) jitPC(d *DebugState) int {
	switch {
	case d.Cursor >= 0:
		return d.Cursor
	case d.curPC() >= 0:
		return d.curPC()
	case p != nil && p.Prog != nil:
		return p.Prog.Entrypoint
	}
	return 0
}

// JITError is why there is no machine code to show.
func (p *Loaded) JITError() string {
	if _, err := p.jitProgram(); err != nil {
		return err.Error()
	}
	return ""
}

// JITSummary describes the whole compiled image.
func (p *Loaded) JITSummary() string {
	prog, err := p.jitProgram()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d slots → %d bytes of x86-64 (%d bytes for the slots, the rest shared routines and error paths)",
		prog.Slots, len(prog.Code), prog.PCOffsets[prog.Slots])
}

// JITRow is one x86 instruction of the current slot.
type JITRow struct {
	Offset, Bytes, Text string
}

// JITTitle names the slot shown.
func (p *Loaded) JITTitle(d *DebugState) string {
	pc := p.jitPC(d)
	lines := p.disasmLines()
	if i, ok := lineAt(lines, pc); ok {
		return fmt.Sprintf("%s: %s", ebpf.PCRef(pc), lines[i].Text)
	}
	return ebpf.PCRef(pc)
}

// JITRows decodes the machine code of the current slot.
func (p *Loaded) JITRows(d *DebugState) []JITRow {
	prog, err := p.jitProgram()
	pc := p.jitPC(d)
	if err != nil || pc < 0 || pc >= prog.Slots {
		return nil
	}
	c := prog.SlotCode(pc)
	off := prog.PCOffsets[pc]
	var rows []JITRow
	rest := c.Native
	for _, text := range c.Text {
		n := x86Len(rest)
		rows = append(rows, JITRow{Offset: fmt.Sprintf("%04x", off), Bytes: hexBytes(rest[:n]), Text: text})
		off += n
		rest = rest[n:]
	}
	return rows
}

// JITNote explains an empty slot (the second half of an lddw).
func (p *Loaded) JITNote(d *DebugState) string {
	if len(p.JITRows(d)) == 0 && p.JITError() == "" {
		return "No machine code: this slot is the second half of an lddw, or past the end."
	}
	return ""
}
