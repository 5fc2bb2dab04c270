package ui

import (
	"fmt"

	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// CompiledTier is the browser's compiled tier: an executable compiled by
// core/jit/wasm into a WebAssembly module, which the browser instantiates
// and runs on VMs from vm.New. The page's host provides it (wasm/); it is
// nil where there is none (the native tests).
type CompiledTier interface {
	// Load instantiates m. It blocks until the browser has compiled the
	// module: call it from a goroutine, never from an event handler.
	Load(m *wasmjit.Module) (CompiledRun, error)
}

// CompiledRun runs an instantiated module on a VM made by vm.New for its
// executable and not yet run, and returns what the interpreter would.
type CompiledRun func(m *vm.VM) vm.Result

// compiledRuns compiles and instantiates the program here, then times it
// as timeRuns times the interpreter, and hands each row to add.
func (s *SpeedState) compiledRuns(t CompiledTier, exe *vm.Executable, input []byte, budget uint64, fresh func() (*vm.VM, error), add func(SpeedRow)) {
	h := s.hub.host()
	t0 := h.Now()
	mod, err := wasmjit.Compile(exe)
	compiled := h.Now()
	var run CompiledRun
	if err == nil {
		run, err = t.Load(mod)
	}
	loaded := h.Now()
	if err != nil {
		add(SpeedRow{Engine: compiledTier.engine, Where: compiledTier.where, Compile: "—", Result: err.Error()})
		return
	}
	compile := fmt.Sprintf("%s + %s instantiating", msText(compiled-t0), msText(loaded-compiled))
	s.timeRuns(compiledTier, exe, input, budget, fresh, run, func(row SpeedRow) {
		row.Compile = compile
		add(row)
	})
}

// wasmModule is the program compiled by the compiled tier, for the
// machine-code view's WebAssembly text; compiled once per program.
func (p *Loaded) wasmModule() (*wasmjit.Module, error) {
	if p == nil || p.Prog == nil {
		return nil, fmt.Errorf("load a program that the loader accepts first")
	}
	if p.wasmErr == nil && p.wasmMod == nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					p.wasmErr = fmt.Errorf("the WebAssembly compiler crashed: %v", r)
				}
			}()
			p.wasmMod, p.wasmErr = wasmjit.Compile(p.shownExecutable())
		}()
	}
	return p.wasmMod, p.wasmErr
}

// wasmSide is the WebAssembly the compiled tier makes of the slot the
// machine-code view shows (shown below its x86): a summary of the module
// and the slot's text, or why there is none.
func (p *Loaded) wasmSide(d *DebugState) (summary, text, errText string) {
	m, err := p.wasmModule()
	if err != nil {
		return "", "", err.Error()
	}
	summary = fmt.Sprintf("as the page's compiled tier (core/jit/wasm) writes it: %d slots → a module of %s bytes, which the browser compiles to machine code in turn", m.Slots(), thousands(uint64(len(m.Bytes()))))
	return summary, m.InstructionText(p.jitPC(d)), ""
}
