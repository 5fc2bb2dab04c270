package vm

// Native is all this package offers an engine that runs a VM's program as
// compiled code (core/jit) beyond what any user of a VM has: syscall
// dispatch, the instruction meter and the end of the run, so that its
// results, logs and traces are shaped exactly like the interpreter's. Such
// an engine also reads the VM's state through the inspection API
// ([VM.Registers], [VM.PC], [VM.Mapping], [VM.CallFrames], [VM.Tracer],
// [VM.Meter], [VM.Executable]) and reports errors with the exported
// constructors ([NewPCError] and the others), which the interpreter uses
// too. The interpreter itself never goes through Native.
//
// A Native is a handle on its VM: get it with [VM.Native]; it is as valid
// as the VM.
type Native struct{ vm *VM }

// Native returns the hooks an engine running compiled code uses on vm.
func (vm *VM) Native() Native { return Native{vm} }

// SyscallIndex returns the index of the syscall registered under hash, for
// CallSyscall.
func (n Native) SyscallIndex(hash uint32) (int, bool) {
	i, ok := n.vm.sysByHash[hash]
	return i, ok
}

// CallSyscall calls syscall i (see SyscallIndex) with r1-r5 and the VM's
// context object, memory mapping and log. It does not touch the meter:
// settle it first with ConsumeMeter, as rbpf does.
func (n Native) CallSyscall(i int, a1, a2, a3, a4, a5 uint64) (uint64, error) {
	vm := n.vm
	return vm.sys[i].obj.Call(&vm.sctx, a1, a2, a3, a4, a5, vm.mem)
}

// ConsumeMeter takes k instructions off the meter (saturating at 0), as
// rbpf's TestInstructionMeter::consume.
func (n Native) ConsumeMeter(k uint64) {
	n.vm.meterRemaining = satSub(n.vm.meterRemaining, k)
}

// MeterRemaining is the meter's remaining count (rbpf's get_remaining), as
// settled by ConsumeMeter and by syscalls that charge the meter.
func (n Native) MeterRemaining() uint64 { return n.vm.meterRemaining }

// MaxTraceEntries is RunOptions.MaxTraceEntries of the VM: an engine that
// records the trace itself keeps at most that many entries (when positive)
// and sets Tracer.Truncated when it drops any, as the interpreter does.
func (n Native) MaxTraceEntries() int { return n.vm.maxTrace }

// Complete ends a run executed outside the interpreter: it records value
// or err, the instruction count the engine computed (rbpf's
// get_total_instruction_count) and the number of instructions executed,
// with the VM's trace and log, and returns the Result. The VM is then
// Done.
func (n Native) Complete(value uint64, err error, instructionCount, executed uint64) Result {
	vm := n.vm
	vm.done = true
	vm.result = Result{
		Value:            value,
		Err:              err,
		InstructionCount: instructionCount,
		Executed:         executed,
		Trace:            vm.tracer,
		Log:              vm.log.lines,
		LogTruncated:     vm.log.truncated,
	}
	if err != nil {
		vm.result.Value = 0
	}
	return vm.result
}
