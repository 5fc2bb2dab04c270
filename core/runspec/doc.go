// Package runspec describes one run of an eBPF program as plain data, so
// that the CLI, the HTTP server and the browser playground, which each make
// a [Spec] of their own input (flags, a request body, the page's controls),
// build and run it alike and report the same [Result].
//
// A [Spec] names the program (assembly source, raw instruction bytes or an
// ELF file), its input, heap, instruction budget, configuration overrides,
// syscall bindings and extra function registrations, or the Solana
// instruction it runs with. [Spec.Build] turns it into a vm.Executable and
// per-run vm.RunOptions; [Spec.Run] runs it on an engine the
// caller chooses and returns a [Result], the JSON document
//
//	{"engine":"interp","result":42,"error":null,"instruction_count":3,"log":[]}
//
// whose error text is rbpf's own. A program that fails to load still yields
// a Result: its error is what rbpf displays for the failure (for example
// "ELF error: ..."), its result is null and its instruction count 0.
//
// This package never chooses an engine: only cmd/, server/ and wasm/ do.
//
// # Differences from rbpf's CLI
//
// rbpf v0.2.8's CLI runs the verifier only when asked (-v/--veri), for every
// kind of input; [Spec.Verify] is the same switch ([Spec.Verifier], which
// has no JSON form, puts a verifier of the caller's own in its place, as
// rbpf's tests and core/conformance do). Its CLI binds a mock
// syscall to every symbol an ELF file imports; here the syscalls are real
// (the built-in set of src/syscalls.rs plus the tests' log and log_64), bound
// by number or by name through [Binding], with [DefaultSyscalls] bound unless
// Spec.NoDefaultSyscalls is set.
//
// Assembly may call its own labels by name (core/asm's `call name`); Build
// registers each such label as a function under the hash of its name, as an
// ELF loader registers function symbols. Sources in v0.2.8's own syntax have
// no labels, so this changes nothing for them.
//
// [Built] separates loading from running: the server times the two apart,
// and one Built runs many times. [Built.Prepare] makes one run's inputs
// (fresh input and heap copies, since programs write to them) and
// [Built.Finish] turns that run's vm.Result into the Result.
//
// # Watchpoints
//
// [Built.Watches] arms watchpoints on every run (vm.RunOptions.Watches);
// [ParseWatch] reads the CLI's form of one, RANGE[:r|w|rw], where RANGE
// may name input bytes of a runtime run ("accounts[0].data"). The hits go
// into Result.WatchHits ([WatchHit]), each naming the input field it
// touched in a runtime run; with [Built.WatchStop] the run ends at the
// first (Result.WatchStopped).
//
// # Runtime runs
//
// A Spec with an Instruction runs the program as Solana v1.6.9 runs an
// entrypoint (core/solana): Build checks the program with the loader's
// verifier ([Rejected] unless RunAnyway), registers the loader's syscalls and
// takes the input, heap and budget from the instruction; each Prepare gets
// the run's own syscall state; Finish adds the runtime's outcome (program
// error, compute units, the log in Solana's format, the accounts after the
// run) to the Result, and [Difference] compares it across engines.
package runspec
