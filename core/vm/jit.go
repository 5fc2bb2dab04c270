package vm

// This file is what a JIT executor needs to run compiled code on a VM
// built by New: the memory mapping (Mapping, Regions), the call frames,
// syscall dispatch, the meter and a way to record the outcome, so that
// results, logs and traces are shaped exactly like the interpreter's.

// SyscallIndex returns the index of the syscall registered under hash, for
// CallSyscall.
func (vm *VM) SyscallIndex(hash uint32) (int, bool) {
	i, ok := vm.sysByHash[hash]
	return i, ok
}

// CallSyscall calls syscall i (see SyscallIndex) with r1-r5 and this VM's
// context object, memory mapping and log. It does not touch the meter:
// settle it first with ConsumeMeter, as rbpf does.
func (vm *VM) CallSyscall(i int, a1, a2, a3, a4, a5 uint64) (uint64, error) {
	return vm.sys[i].obj.Call(&vm.sctx, a1, a2, a3, a4, a5, vm.mem)
}

// SyscallObject returns the context object bound to the syscall registered
// under hash (rbpf's get_syscall_context_object), for inspecting it after a
// run.
func (vm *VM) SyscallObject(hash uint32) (Syscall, bool) {
	i, ok := vm.sysByHash[hash]
	if !ok {
		return nil, false
	}
	return vm.sys[i].obj, true
}

// ConsumeMeter takes n instructions off the meter (saturating at 0), as
// rbpf's TestInstructionMeter::consume.
func (vm *VM) ConsumeMeter(n uint64) { vm.meterRemaining = satSub(vm.meterRemaining, n) }

// MeterRemaining is the meter's remaining count (rbpf's get_remaining).
func (vm *VM) MeterRemaining() uint64 { return vm.meterRemaining }

// MeterEnabled reports whether the configuration enables the meter.
func (vm *VM) MeterEnabled() bool { return vm.meterOn }

// MaxTraceEntries is RunOptions.MaxTraceEntries of this VM: an engine that
// records the trace itself keeps at most that many entries (when positive)
// and sets Tracer.Truncated when it drops any, as the interpreter does.
func (vm *VM) MaxTraceEntries() int { return vm.maxTrace }

// CallFrames is the VM's call-frame stack.
func (vm *VM) CallFrames() *CallFrames { return vm.frames }

// Complete ends a run executed outside the interpreter: it records value
// or err, the instruction count the engine computed (rbpf's
// get_total_instruction_count) and the number of instructions executed,
// with this VM's trace and log, and returns the Result. The VM is then
// Done.
func (vm *VM) Complete(value uint64, err error, instructionCount, executed uint64) Result {
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
