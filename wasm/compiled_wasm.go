//go:build js && wasm

package main

import (
	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

// compiledTier is the page's compiled tier (ui.CompiledTier): a module
// from core/jit/wasm, instantiated by this browser and run on Go's own
// memory.
type compiledTier struct{}

// Load instantiates m; it waits for the browser's Promise, so the Speed
// view calls it from its goroutine.
func (compiledTier) Load(m *wasmjit.Module) (ui.CompiledRun, error) {
	p, err := m.Instantiate()
	if err != nil {
		return nil, err
	}
	return p.RunVM, nil
}
