// Package wasmjit is an eBPF to WebAssembly compiler tier for rbpf v0.2.8
// programs: Compile translates a *vm.Executable into a WebAssembly module
// (pure Go, on every platform), and under js/wasm the module is
// instantiated through the JavaScript WebAssembly API and run on a VM made
// by vm.New, with exactly the interpreter's results: value, error text,
// instruction count, executed count, log and trace.
//
// The generated code keeps r0-r10 in locals, accesses the VM's memory in
// Go's own linear memory (the module imports the Go instance's memory and
// reaches region bytes at their Go addresses after the interpreter's
// bounds checks), charges the instruction meter once per straight-line
// segment, and returns to Go with an exit code for syscalls, the end of a
// budget slice, a full trace buffer, errors and the end of the run, as the
// native JIT (core/jit) does. RATIONALE.md explains the lowering.
//
// Instantiate and Load wait for a JavaScript Promise: call them from a
// goroutine, never from inside a JavaScript event callback (a js.FuncOf
// function), where waiting deadlocks the page. Engine runs executables
// through the tier and falls back to the interpreter where it cannot run
// (watchpoints, programs above the size limit, platforms other than
// js/wasm) unless Strict is set.
package wasmjit
