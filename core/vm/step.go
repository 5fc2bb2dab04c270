package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Step executes up to n instructions and returns how many it executed; it
// stops early when the program ends or after an instruction that hit a
// watchpoint (see WatchHit). A pending end (such as running past
// the text) is reported by the next Step without executing anything.
// Stepping uses the same loop as Run, so any sequence of Steps followed by
// Run gives the result of a single Run.
func (vm *VM) Step(n int) int {
	if n <= 0 || vm.done {
		return 0
	}
	before := vm.Executed()
	vm.run(uint64(n))
	return int(vm.Executed() - before)
}

// RunUntil executes instructions until the next instruction to execute is
// one of breakpoints (after at least one step), the program ends, an
// instruction hits a watchpoint (see WatchHit), or maxSteps instructions
// have executed (maxSteps <= 0: no limit). It reports whether it stopped at
// a breakpoint.
func (vm *VM) RunUntil(breakpoints []int, maxSteps int) bool {
	bp := make(map[int]bool, len(breakpoints))
	for _, b := range breakpoints {
		bp[b] = true
	}
	for i := 0; maxSteps <= 0 || i < maxSteps; i++ {
		vm.Step(1)
		if vm.done || vm.watch.stopped {
			return false
		}
		if bp[vm.pc] {
			return true
		}
	}
	return false
}

// Done reports whether the program has ended.
func (vm *VM) Done() bool { return vm.done }

// Result is the outcome once Done; before that it is the zero Result.
func (vm *VM) Result() Result { return vm.result }

// Registers returns r0-r10.
func (vm *VM) Registers() [11]uint64 {
	var r [11]uint64
	copy(r[:], vm.reg[:11])
	return r
}

// SetRegister changes register r (0-10), for debuggers.
func (vm *VM) SetRegister(r int, v uint64) {
	if r >= 0 && r <= ebpf.StackReg {
		vm.reg[r] = v
	}
}

// PC is the index of the next instruction to execute; after an error, the
// index of the instruction that failed.
func (vm *VM) PC() int { return vm.pc }

// Frames returns the call frames from the root up to the current one.
func (vm *VM) Frames() []Frame { return vm.frames.Frames() }

// Executed is the number of instructions executed so far.
func (vm *VM) Executed() uint64 { return vm.settled + vm.last }

// MeterState describes the instruction meter.
type MeterState struct {
	Enabled bool `json:"enabled"`
	// Initial is the meter's remaining count when the run started.
	Initial uint64 `json:"initial"`
	// Remaining is what the meter would hold if the run settled now.
	Remaining uint64 `json:"remaining"`
}

// Meter returns the instruction meter's state.
func (vm *VM) Meter() MeterState {
	rem := vm.meterRemaining
	if !vm.done {
		rem = satSub(rem, vm.last)
	}
	return MeterState{Enabled: vm.meterOn, Initial: vm.initial, Remaining: rem}
}

// Memory returns a copy of n bytes at vmAddr, or the access violation a
// load of them would raise.
func (vm *VM) Memory(vmAddr, n uint64) ([]byte, error) {
	b, err := vm.mem.Map(Load, vmAddr, n)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// Mapping is the VM's memory mapping.
func (vm *VM) Mapping() *MemoryMapping { return vm.mem }

// CallFrames is the VM's call-frame stack.
func (vm *VM) CallFrames() *CallFrames { return vm.frames }

// Tracer is the VM's tracer, nil when tracing is disabled.
func (vm *VM) Tracer() *Tracer { return vm.tracer }

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

// Executable is the program the VM runs.
func (vm *VM) Executable() *Executable { return vm.exe }

// Text is the program's text (the instruction bytes).
func (vm *VM) Text() []byte { return vm.text }
