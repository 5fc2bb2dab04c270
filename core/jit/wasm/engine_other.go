//go:build !(js && wasm)

package wasmjit

import "github.com/rbpfgo/rbpfgo/core/vm"

// Supported reports whether compiled modules can run here: only under
// js/wasm, where the JavaScript WebAssembly API is at hand.
func Supported() bool { return false }

// runModule is never reached off js/wasm (Engine falls back first).
func runModule(*Module, vm.RunOptions) vm.Result { return vm.Result{Err: ErrUnsupported} }
