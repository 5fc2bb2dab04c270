package vm

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Native is all this package offers an engine that runs a VM's program as
// compiled code (core/jit) beyond what any user of a VM has: syscall
// dispatch, the instruction meter, the errors of failing instructions and
// the end of the run, so that its results, logs and traces are shaped
// exactly like the interpreter's. Such an engine also reads the VM's state
// through the inspection API ([VM.Registers], [VM.PC], [VM.Mapping],
// [VM.CallFrames], [VM.Tracer], [VM.Meter], [VM.Executable]). The
// interpreter itself never goes through Native.
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

// Fault is the error the interpreter reports when the instruction at index
// pc fails as kind says; arg completes some kinds:
//
//   - AccessViolation: the address the load or store at pc was refused (the
//     error is a StackAccessViolation near the stack frames, as the
//     interpreter decides);
//   - CallOutsideTextSegment: the address the call at pc went to;
//   - InvalidRegister: the register number, as a signed 64-bit value.
//
// For ExceededMaxInstructions pc is the instruction that exhausted the
// meter, for CallDepthExceeded the call that went too deep; DivideByZero,
// ExecutionOverrun, InvalidInstruction, UnsupportedInstruction and
// IncompleteLddw need only pc. No other kind is the fault of an instruction;
// Fault returns an error saying so.
func (n Native) Fault(kind Kind, pc int, arg uint64) error {
	vm := n.vm
	switch kind {
	case AccessViolation, StackAccessViolation:
		in, _ := ebpf.GetInsn(vm.text, pc)
		return accessError(vm.mem, pc, arg, in.Opc)
	case CallOutsideTextSegment:
		return newCallOutsideTextSegment(pc, arg)
	case InvalidRegister:
		return newInvalidRegister(pc, int64(arg))
	case ExceededMaxInstructions:
		return newExceededMaxInstructions(pc, vm.initial)
	case CallDepthExceeded:
		return newCallDepthExceeded(pc+1, len(vm.frames.frames))
	case DivideByZero, ExecutionOverrun, InvalidInstruction, UnsupportedInstruction, IncompleteLddw:
		return newPCError(kind, pc)
	}
	return fmt.Errorf("vm: kind %d is not the fault of an instruction", kind)
}

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
		WatchHits:        vm.watch.hits,
		WatchHitsDropped: vm.watch.dropped,
	}
	if err != nil {
		vm.result.Value = 0
	}
	return vm.result
}

// Watched records a watch hit of compiled code: h has the instruction,
// the counts, the access and, for a store, the bytes before it; the VM
// adds which watch it hit and the bytes after. It returns the error that
// ends the run when RunOptions.WatchStop asks to stop at a hit (nil
// otherwise, or when h hits no watch).
func (n Native) Watched(h WatchHit) error {
	vm := n.vm
	if !vm.recordHit(h) || !vm.watch.stop {
		return nil
	}
	return &WatchStop{Hit: vm.watch.last}
}
