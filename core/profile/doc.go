// Package profile measures where a run spends its compute units: per
// function (inclusive and self), per call stack and per basic block, with
// exports as folded stacks (flamegraph.pl, speedscope), Graphviz dot (the
// control-flow graph of core/cfg, each block coloured by its units) and
// JSON.
//
// # Units
//
// In the Solana v1.6.9 runtime the compute meter is the instruction meter:
// every instruction costs 1 unit and a syscall adds its cost
// (core/solana's consume). A [Recorder] reads the meter around the
// instructions it steps, so what it charges is what the meter consumed,
// the run's compute units (vm.Result.InstructionCount) for a run it
// recorded from the start, including what a syscall could not pay in
// full before the run failed. With the meter disabled a unit is an
// executed instruction and syscalls cost nothing.
//
// An instruction's unit goes to the function whose frame executes it: a
// call instruction to the caller, an exit to the callee. A syscall's cost
// goes to a frame named after the syscall under its caller, as
// flamegraphs show them; the call instruction itself stays the caller's.
// Per slot and per block, the units are the instructions' plus the costs
// of the syscalls called there.
//
// # Recording
//
// A Recorder runs a [vm.VM] through its step API (VM.Step), which is the
// interpreter: the JIT has no per-instruction hook. It steps a run of
// straight-line instructions at once, up to and including the next jump,
// call or exit, and looks at the meter and the call-frame index after
// each, so it never holds a trace. Its memory is set by the program, not
// by the length of the run: 29 bytes per instruction slot (two counters,
// the decoded run lengths, syscalls and call targets), one node of about
// 70 bytes per distinct call stack seen (a call stack is at most the VM's
// MaxCallDepth frames deep) and the current stack. SPL Token's 17 000
// slots take 0.5 MB. Stepping costs time: a call-heavy loop (a call every
// 3 instructions) runs about 4 times slower than without a Recorder.
//
// Functions are named from the [cfg.Graph] given to [NewRecorder] (ELF
// symbols, assembly labels, "entrypoint", "function_<pc>" for call targets
// without a name); names stay raw in the data and are demangled
// (symname.Display) only in the folded and dot views.
package profile
