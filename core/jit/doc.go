// Package jit compiles eBPF programs to x86-64 machine code and runs them,
// with exactly the observable behaviour of the interpreter in core/vm:
// the same result, error text, instruction number, instruction count and
// trace on every program.
//
// The package has two halves:
//
//   - The compiler (Compile, Program, Disassemble, and the x86-64 encoder
//     in internal/amd64) is pure Go and builds on every platform, including
//     GOOS=js GOARCH=wasm, so that the playground can show the machine code
//     a program becomes.
//   - The executor (Engine) maps the code executable and enters it; it
//     exists only on linux/amd64 (see Supported). All unsafe code and the
//     assembly entry trampoline live in files with that build tag.
//
// Generated code never calls Go. Syscalls, errors, a full trace buffer and
// an exhausted instruction meter are reported through an exit code in a
// context structure; the Go side handles the exit and re-enters the code at
// the continuation it saved. Long runs also return to Go every few million
// instructions, so that the scheduler and the garbage collector are never
// held up; at each of these returns an interrupt hook may end the run
// (Program.RunVMInterruptible, ErrInterrupted). Memory accesses are checked and translated inline (the current
// stack frame and the input directly, other regions through a per-4 GiB
// table of region descriptors), so a load or store never leaves the
// generated code unless it fails. See RATIONALE.md for the design
// decisions.
//
// Watchpoints (vm.RunOptions.Watches) need code compiled with
// Options.Watch, which Engine does for a run with watches: the shared
// translation routine then compares each access it serves with the run's
// watches, and a run routes the accesses a watch could catch through it.
// The stops and hits are the interpreter's. Without Options.Watch the code
// is byte for byte what it was before watchpoints existed.
//
// Build with -tags jitguard to run the generated code on copies of every
// region surrounded by inaccessible pages, so that tests prove no access
// escapes the checks.
package jit
