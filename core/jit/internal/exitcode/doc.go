// Package exitcode names the reasons compiled code returns to Go, for both
// compiled engines (the x86-64 JIT in core/jit and the WebAssembly tier in
// core/jit/wasm), and turns a failing one into the error the interpreter
// reports for it.
package exitcode
