// Package provenance answers "where did this value come from" about a
// recorded run: for a register or a range of memory at any point of the
// run, the instruction that last wrote it, that instruction's inputs, and
// the chain back through registers and memory to the value's origins: a
// constant, a syscall's result or the bytes a syscall wrote, the input
// region as serialized (named by the runtime's field map, such as
// accounts[0].data[44..46]), read-only data, a register as the run
// started (r1 the input's address, r10 the frame pointer, the others 0),
// or memory nothing wrote.
//
// # Recording
//
// A [Recorder] runs a [vm.VM] through its step API (VM.Step, or
// Options.Step to step through another recorder such as core/profile's),
// which is the interpreter: the JIT has no per-instruction hook, so a
// provenance query is about the interpreter's run, which executes exactly
// what the JIT's does. It steps a straight run of instructions at once,
// stopping before each load, store and syscall to read the registers
// that give its address or arguments. It keeps:
//
//   - per executed instruction, its slot (4 bytes);
//   - per load or store, its step and address (12 bytes);
//   - per syscall, its step and r1-r5, and the ranges it was granted for
//     writing, which it sees through vm.MemoryMapping.SetHostStoreHook;
//
// and, built when a query first needs them and extended by later ones,
// per register the steps that set it (4 bytes each), and the writes into
// memory (4 bytes an entry): one under each 8-byte block a write covers
// whole, one under each other byte it writes. The call an exit returns
// from is found by matching calls and exits in order. A recording keeps at
// most Options.MaxSteps steps (DefaultMaxSteps); the run goes on beyond,
// unrecorded.
//
// # Queries
//
// [Recorder.Why] explains a [Location] after a number of executed
// instructions (the VM's Executed() count; step i is the instruction
// executed when i had executed before it). Going back from there, a
// register's value comes from the last instruction that set it, read
// from the opcode table of core/ebpf and the semantics of rbpf v0.2.8's
// interpreter (src/vm.rs, execute_program_interpreted_inner): an ALU
// operation computes dst from dst and src (or an immediate), mov copies,
// lddw and mov of an immediate are constants, ldx and ld_abs/ld_ind load
// (r0 for the latter), a syscall sets r0, a call of a function sets r10
// to the new frame and an exit restores r6-r9 to what the matching call
// saved and r10 to the caller's frame; r0-r5 pass through calls and exits
// unchanged. A range of memory comes, byte by byte, from the last store or
// syscall write that covered it; sol_memcpy_ and sol_memmove_ (when the
// document enables them) continue at the bytes they copied. The answer is
// a [Chain]: a tree of [Link]s in depth-first order, each with the step,
// the slot, the instruction's text and a sentence for the page and the
// CLI to show ([Chain.Text]). An instruction that updates a register from
// itself alone many times in a row (a loop counter) is one link with a
// repeat count. [Limits] bound a query's links and depth; a value already
// explained in the chain is a "seen" link that refers to it.
//
// # Costs
//
// Measured by bench_test.go on three runs of 1 M instructions (a loop of
// loads, stores and calls; a sweep storing into a new 8-byte block every
// 3 instructions, the most the store index can hold per step; a byte
// stored and its neighbour loaded at every round), in CPU time on the
// shared 2-core build machine (WebAssembly figures: docs/performance.md):
//
//   - memory: 13.6 to 15.9 bytes per executed instruction as
//     [Recorder.Bytes] counts them, indexes built (the Go heap grows by
//     13.7 to 18.6), so 14 to 19 MB for a run of 1 M instructions;
//   - recording: 76 to 133 ns per instruction, the first query's indexing
//     included, where the interpreter alone takes 5 to 7;
//   - the first query indexes what was recorded, 17 to 37 ms for 1 M
//     steps ([Recorder.Index] does it ahead); a query of up to 256 links
//     then takes at most 1.3 ms (a byte's last writer is two binary
//     searches, a register's one; a loop counter folded into one link is
//     walked once).
//
// [ParseQuery] reads the CLI's LOC[@STEP] (rbpf run --why).
package provenance
