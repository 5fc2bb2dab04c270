// Package vm runs eBPF programs exactly as Solana rbpf v0.2.8's interpreter
// does: the same results, instruction counts, error texts and traces.
//
// An [Executable] ([FromText], [FromELF]) holds a loaded program, its
// [Config] and its [SyscallRegistry]. [New] builds a [VM] for one run: the
// memory mapping (granted regions, the call-frame stack, read-only
// sections, the input at MMInputStart and the text), the registers (r1 =
// MMInputStart when the input is writable and not empty, r10 = the top of
// the first stack frame), the instruction meter and the tracer. [VM.Run]
// runs to the end; [VM.Step] and [VM.RunUntil] run the same loop in pieces
// for debuggers, and the accessors ([VM.Registers], [VM.PC], [VM.Frames],
// [VM.Meter], [VM.Memory]) inspect the state in between. [VM.Reset]
// prepares a VM for another run without allocating. [Interpreter]
// implements [Engine], which the JIT in core/jit implements too. The JIT
// runs its code on a VM from New: [Native] ([VM.Native]) is everything it
// needs beyond the inspection API (syscall dispatch, the meter, the errors
// of failing instructions, identical to the interpreter's, and ending the
// run).
//
// Every error is an [*Error] whose text is the Display text of the
// matching rbpf EbpfError variant, instruction numbers included (index +
// 29). Syscalls are [Syscall] context objects made per VM from a
// [SyscallFunc]; the standard syscalls of src/syscalls.rs and the test
// syscalls of rbpf's test_utils are provided (see [LookupSyscallFunc]);
// which of them a run binds by default is core/runspec's policy, not this
// package's. What syscalls print goes to Result.Log.
//
// # Watchpoints
//
// RunOptions.Watches (or [VM.SetWatches] between steps) watch ranges of VM
// addresses for loads, stores or both ([Watch], [WatchKind]). An access of
// the program that touches a watched range is a [WatchHit]: the
// instruction completes, the hit is recorded in Result.WatchHits (with the
// instruction, the count of executed instructions, the address and size,
// the bytes before and after a store and the registers after), and
// [VM.Step] and [VM.RunUntil] stop there ([VM.WatchHit]); continuing runs
// exactly what a run without watches runs. [VM.Run] goes on to the end,
// unless RunOptions.WatchStop ends the run at the first hit with a
// [*WatchStop] error, which is not an rbpf error. When the instruction that
// hits also exhausts the meter, the run ends with the meter's error. The
// JIT (core/jit) stops at the same points and reports the same hits.
// Accesses of syscalls are not watched.
//
// # Instruction meter
//
// RunOptions.Budget is the meter's remaining count (rbpf's
// TestInstructionMeter). The instruction that reaches the limit still
// executes and then fails with ExceededMaxInstructions, unless it is the
// final exit or fails itself. A syscall first settles the instructions
// counted so far against the meter. Result.InstructionCount is rbpf's
// get_total_instruction_count, which stays 0 with the meter disabled;
// Result.Executed counts executed instructions in every configuration. With
// the meter disabled nothing bounds a run: step it in pieces to stop it.
//
// # Where this package differs from v0.2.8
//
// v0.2.8 panics (or reads out of bounds) in the cases below; this package
// returns an error instead, as matching a crash is never the goal:
//
//   - div/mod by an immediate 0 (the verifier rejects it): DivideByZero at
//     the instruction, like the register forms.
//   - an instruction that indexes a register above r10 (dst or src field
//     of 11-15, or callx with imm outside 0-10): InvalidRegister,
//     "invalid register rN used at instruction #M".
//   - an lddw in the last slot: IncompleteLddw, "incomplete lddw at
//     instruction #M".
//   - a jump to instruction index -1: ExecutionOverrun with the wrapped
//     number (28), as every other negative target reports in v0.2.8.
//   - a MaxCallDepth of 0, a negative frame size or a stack over 1 GiB:
//     New fails. With a frame size of 0 access violations are never
//     attributed to a stack frame (v0.2.8 divides by the frame size).
//   - bpf_str_cmp reads its strings through the memory mapping, so a string
//     running past its region is an access violation (v0.2.8 reads host
//     memory); bpf_rand with a1 = 0 and a2 = MaxUint64 returns the drawn
//     number instead of dividing by zero; SyscallWithContext returns an
//     error where the test helper's assertion panics.
//   - log_64 prints "<memory mapping>" where rbpf prints a host pointer, and
//     bpf_time_getns counts from the start of the process, not of the host.
//
// # Additions
//
// Beyond v0.2.8: [Error.Debug] and [DebugResult] give Rust's `{:?}` text
// (rbpf's CLI prints results that way); RunOptions.MaxLogBytes and
// RunOptions.MaxTraceEntries bound what a run keeps (logs are bounded by
// default, traces only on request), so a long budget cannot exhaust memory
// in a server or a browser.
//
// A verifier's error is wrapped as rbpf's UserError variant, whose text is
// the wrapped error's own text: "VerifierError" for core/verifier, as in
// v0.2.8; errors.As reaches the detailed verifier error.
package vm
