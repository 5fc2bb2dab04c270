package vm

import (
	"encoding/binary"
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Why the interpreter is two functions. run is the resumable loop the
// package documentation describes: it keeps rbpf's counters in the VM,
// settles the meter, calls syscalls, records the trace and turns stop codes
// into errors. exec is its inner part, the one dispatch switch over the
// instructions, and calls nothing on its common paths: every call site
// costs a lot when Go is compiled to WebAssembly (the backend splits a
// function into resumable blocks at each one and jumps between blocks
// through a table) and keeps the registers and counters out of machine
// registers natively. So exec stops with a code where the work is rare or
// needs a call (a syscall, an error, the step or meter limit) and run
// handles it, and loads and stores translate addresses through a small
// cache of regions (tlb.go) before asking the memory mapping.

// Stop codes of exec. The first three are events run handles; the others
// end the run with an error.
const (
	stopLimit        uint8 = iota // the threshold was reached
	stopExit                      // the root frame exited; r0 is the result
	stopMiss                      // a load or store missed the tlb; arg is the address
	stopSyscallError              // a syscall failed with vm.syscallErr
	stopOverrun
	stopDivideByZero
	stopInvalidInstruction
	stopUnsupported
	stopBadRegister // arg is the register
	stopLddwTruncated
	stopUnresolved
	stopCallDepth
	stopCallOutside // arg is the address to report
)

// run executes instructions until the program ends or `steps` more
// instructions have executed, whichever comes first. It is rbpf's
// execute_program_interpreted_inner made resumable: the state lives in the
// VM, so stepping in pieces and running through give the same result. The
// step limit and the meter limit are folded into one threshold that exec
// compares against once per instruction.
func (vm *VM) run(steps uint64) {
	if vm.done {
		return
	}
	vm.limit = vm.remaining
	if !vm.meterOn {
		vm.limit = ^uint64(0)
	}
	vm.stopAt = satAdd(vm.last, steps)
	vm.watch.stopped = false
	retry := false
	for {
		threshold := min(vm.limit, vm.stopAt)
		if vm.tracer != nil {
			// One instruction per exec, each recorded before it runs
			// (a pc past the text fails before anything is recorded).
			if uint(vm.pc) < uint(len(vm.prog)) && !retry {
				vm.traceState(vm.pc)
			}
			threshold = vm.last + 1
		}
		stop, cur, arg := vm.exec(max(threshold, vm.last+1))
		retry = false
		hit := false
		switch stop {
		case stopLimit:
		case stopMiss:
			// Look the region up; the instruction runs again and finds it,
			// or runs alone when a watch keeps the region out of the tlb.
			opc := vm.prog[cur].opc
			access, n := accessOf(opc), opc.AccessSize()
			ok, watched := vm.refill(access, arg, n)
			if !ok {
				vm.fail(cur, accessError(vm.mem, cur, arg, opc))
				return
			}
			vm.pc, vm.last = cur, vm.last-1
			if watched < 0 {
				retry = true
				continue
			}
			hit = vm.watchedAccess(cur, access, arg, n, watched)
		case stopExit:
			vm.finish(vm.reg[0], nil)
			return
		default:
			vm.fail(cur, vm.stopErr(stop, cur, arg))
			return
		}
		// A hit stops the run after its instruction, unless that
		// instruction also exhausted the meter, which ends the run.
		if vm.last >= min(vm.limit, vm.stopAt) || hit {
			if vm.last >= vm.limit {
				vm.fail(cur, newExceededMaxInstructions(cur, vm.initial))
				return
			}
			if vm.meterOn {
				vm.remaining = vm.limit
			}
			return
		}
	}
}

// callSyscall calls the syscall in slot i with r1-r5 and puts its result
// in r0. It first settles the meter with the last instructions counted
// since the previous settle, as rbpf does, and returns the threshold exec
// continues with (0 while tracing, which runs one instruction per exec).
func (vm *VM) callSyscall(i int, last uint64) (uint64, error) {
	vm.settled += last
	if vm.meterOn {
		vm.meterRemaining = satSub(vm.meterRemaining, last)
	}
	vm.stopAt -= last
	vm.last = 0
	reg := &vm.reg
	r0, err := vm.sys[i].obj.Call(&vm.sctx, reg[1], reg[2], reg[3], reg[4], reg[5], vm.mem)
	if err != nil {
		return 0, err
	}
	reg[0] = r0
	if vm.meterOn {
		vm.limit = vm.meterRemaining
	}
	if vm.tracer != nil {
		return 0, nil
	}
	return min(vm.limit, vm.stopAt), nil
}

// fail ends the run with err raised by instruction cur.
func (vm *VM) fail(cur int, err error) {
	vm.pc = cur
	vm.finish(0, err)
}

// stopErr is the error of an exec stop code at instruction cur.
func (vm *VM) stopErr(stop uint8, cur int, arg uint64) error {
	switch stop {
	case stopSyscallError:
		return vm.syscallErr
	case stopOverrun:
		return newPCError(ExecutionOverrun, cur)
	case stopDivideByZero:
		return newPCError(DivideByZero, cur)
	case stopInvalidInstruction:
		return newPCError(InvalidInstruction, cur)
	case stopBadRegister:
		return newInvalidRegister(cur, int64(arg))
	case stopLddwTruncated:
		return newPCError(IncompleteLddw, cur)
	case stopUnresolved:
		return vm.exe.UnresolvedSymbolError(cur)
	case stopCallDepth:
		return newCallDepthExceeded(cur+1, len(vm.frames.frames))
	case stopCallOutside:
		return newCallOutsideTextSegment(cur, arg)
	}
	return newPCError(UnsupportedInstruction, cur)
}

// exec runs instructions from vm.pc until one stops it (see the stop
// codes) or, after at least one instruction, the executed count vm.last
// reaches threshold. It returns the stop code, the index of the
// instruction that stopped it (the next one for an overrun) and the code's
// argument, and leaves vm.pc at the next instruction to run.
//
// The dispatch switch is deliberately one long function: splitting it into
// per-class helpers costs a call per instruction and keeps the registers
// and counters out of machine registers. Each case is a line or a few, in
// the order of rbpf's match; see the package documentation for the cases
// where v0.2.8 panics and this loop returns an error instead. threshold is
// checked at the top of the loop, so that a case ends with a single jump.
func (vm *VM) exec(threshold uint64) (stop uint8, cur int, arg uint64) {
	var (
		prog = vm.prog
		reg  = &vm.reg
		tlb  = &vm.tlb
		pc   = vm.pc
		last = vm.last
		addr uint64
	)
	for {
		if last >= threshold {
			stop = stopLimit
			goto out
		}
		if uint(pc) >= uint(len(prog)) {
			cur = pc
			stop = stopOverrun
			goto out
		}
		in := &prog[pc]
		d, s := in.dst&15, in.src&15
		// The decoder points the immediate forms of ALU and jump
		// instructions at r11, so each operation has a single case.
		reg[immReg] = uint64(int64(in.imm))
		cur = pc
		pc++
		last++
		switch in.op {
		// ld_abs and ld_ind read the input; ld_ind (mode bit 0x40) adds src.
		case xLdAbsB:
			addr = ebpf.MMInputStart + uint64(uint32(in.imm)) + reg[s]&-uint64(in.opc>>6&1)
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 1)
			if !ok {
				goto miss
			}
			reg[0] = uint64(b[0])
		case xLdAbsH:
			addr = ebpf.MMInputStart + uint64(uint32(in.imm)) + reg[s]&-uint64(in.opc>>6&1)
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 2)
			if !ok {
				goto miss
			}
			reg[0] = uint64(binary.LittleEndian.Uint16(b))
		case xLdAbsW:
			addr = ebpf.MMInputStart + uint64(uint32(in.imm)) + reg[s]&-uint64(in.opc>>6&1)
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 4)
			if !ok {
				goto miss
			}
			reg[0] = uint64(binary.LittleEndian.Uint32(b))
		case xLdAbsDW:
			addr = ebpf.MMInputStart + uint64(uint32(in.imm)) + reg[s]&-uint64(in.opc>>6&1)
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 8)
			if !ok {
				goto miss
			}
			reg[0] = binary.LittleEndian.Uint64(b)
		case xLdDwImm:
			reg[d] = uint64(uint32(in.imm)) | uint64(uint32(prog[pc].imm))<<32
			pc++

		case xLdBReg:
			addr = reg[s] + uint64(int64(in.off))
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 1)
			if !ok {
				goto miss
			}
			reg[d] = uint64(b[0])
		case xLdHReg:
			addr = reg[s] + uint64(int64(in.off))
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 2)
			if !ok {
				goto miss
			}
			reg[d] = uint64(binary.LittleEndian.Uint16(b))
		case xLdWReg:
			addr = reg[s] + uint64(int64(in.off))
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 4)
			if !ok {
				goto miss
			}
			reg[d] = uint64(binary.LittleEndian.Uint32(b))
		case xLdDWReg:
			addr = reg[s] + uint64(int64(in.off))
			b, ok := tlb[addr>>32%tlbSlots].at(addr, 8)
			if !ok {
				goto miss
			}
			reg[d] = binary.LittleEndian.Uint64(b)

		case xStBImm:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 1)
			if !ok || !e.writable {
				goto miss
			}
			b[0] = byte(in.imm)
		case xStHImm:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 2)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint16(b, uint16(in.imm))
		case xStWImm:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 4)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint32(b, uint32(in.imm))
		case xStDWImm:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 8)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint64(b, uint64(int64(in.imm)))
		case xStBReg:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 1)
			if !ok || !e.writable {
				goto miss
			}
			b[0] = byte(reg[s])
		case xStHReg:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 2)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint16(b, uint16(reg[s]))
		case xStWReg:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 4)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint32(b, uint32(reg[s]))
		case xStDWReg:
			addr = reg[d] + uint64(int64(in.off))
			e := &tlb[addr>>32%tlbSlots]
			b, ok := e.at(addr, 8)
			if !ok || !e.writable {
				goto miss
			}
			binary.LittleEndian.PutUint64(b, reg[s])

		// 32-bit ALU: add, sub and mul sign-extend their result; the
		// others zero-extend. Shift amounts wrap modulo 32.
		case xAdd32:
			reg[d] = uint64(int64(int32(reg[d]) + int32(reg[s])))
		case xSub32:
			reg[d] = uint64(int64(int32(reg[d]) - int32(reg[s])))
		case xMul32:
			reg[d] = uint64(int64(int32(reg[d]) * int32(reg[s])))
		case xDiv32:
			if uint32(reg[s]) == 0 {
				goto divideByZero
			}
			reg[d] = uint64(uint32(reg[d]) / uint32(reg[s]))
		case xOr32:
			reg[d] = uint64(uint32(reg[d]) | uint32(reg[s]))
		case xAnd32:
			reg[d] = uint64(uint32(reg[d]) & uint32(reg[s]))
		case xLsh32:
			reg[d] = uint64(uint32(reg[d]) << (reg[s] & 31))
		case xRsh32:
			reg[d] = uint64(uint32(reg[d]) >> (reg[s] & 31))
		case xNeg32:
			reg[d] = uint64(uint32(-int32(reg[d])))
		case xMod32:
			if uint32(reg[s]) == 0 {
				goto divideByZero
			}
			reg[d] = uint64(uint32(reg[d]) % uint32(reg[s]))
		case xXor32:
			reg[d] = uint64(uint32(reg[d]) ^ uint32(reg[s]))
		case xMov32:
			reg[d] = uint64(uint32(reg[s]))
		case xArsh32:
			reg[d] = uint64(uint32(int32(reg[d]) >> (reg[s] & 31)))
		case xLe:
			switch in.imm {
			case 16:
				reg[d] = uint64(uint16(reg[d]))
			case 32:
				reg[d] = uint64(uint32(reg[d]))
			case 64:
			default:
				stop = stopInvalidInstruction
				goto out
			}
		case xBe:
			switch in.imm {
			case 16:
				reg[d] = uint64(bits.ReverseBytes16(uint16(reg[d])))
			case 32:
				reg[d] = uint64(bits.ReverseBytes32(uint32(reg[d])))
			case 64:
				reg[d] = bits.ReverseBytes64(reg[d])
			default:
				stop = stopInvalidInstruction
				goto out
			}

		// 64-bit ALU: shift amounts wrap modulo 64.
		case xAdd64:
			reg[d] += reg[s]
		case xSub64:
			reg[d] -= reg[s]
		case xMul64:
			reg[d] *= reg[s]
		case xDiv64:
			if reg[s] == 0 {
				goto divideByZero
			}
			reg[d] /= reg[s]
		case xOr64:
			reg[d] |= reg[s]
		case xAnd64:
			reg[d] &= reg[s]
		case xLsh64:
			reg[d] <<= reg[s] & 63
		case xRsh64:
			reg[d] >>= reg[s] & 63
		case xNeg64:
			reg[d] = -reg[d]
		case xMod64:
			if reg[s] == 0 {
				goto divideByZero
			}
			reg[d] %= reg[s]
		case xXor64:
			reg[d] ^= reg[s]
		case xMov64:
			reg[d] = reg[s]
		case xArsh64:
			reg[d] = uint64(int64(reg[d]) >> (reg[s] & 63))

		// Jumps are relative to the next instruction.
		case xJa:
			pc += int(in.off)
		case xJeq:
			if reg[d] == reg[s] {
				pc += int(in.off)
			}
		case xJgt:
			if reg[d] > reg[s] {
				pc += int(in.off)
			}
		case xJge:
			if reg[d] >= reg[s] {
				pc += int(in.off)
			}
		case xJlt:
			if reg[d] < reg[s] {
				pc += int(in.off)
			}
		case xJle:
			if reg[d] <= reg[s] {
				pc += int(in.off)
			}
		case xJset:
			if reg[d]&reg[s] != 0 {
				pc += int(in.off)
			}
		case xJne:
			if reg[d] != reg[s] {
				pc += int(in.off)
			}
		case xJsgt:
			if int64(reg[d]) > int64(reg[s]) {
				pc += int(in.off)
			}
		case xJsge:
			if int64(reg[d]) >= int64(reg[s]) {
				pc += int(in.off)
			}
		case xJslt:
			if int64(reg[d]) < int64(reg[s]) {
				pc += int(in.off)
			}
		case xJsle:
			if int64(reg[d]) <= int64(reg[s]) {
				pc += int(in.off)
			}

		case xCallReg:
			// The frame is pushed before the target is checked.
			addr = reg[in.imm&15]
			if !vm.frames.enter(reg, pc) {
				stop = stopCallDepth
				goto out
			}
			if addr < vm.textVaddr {
				stop, arg = stopCallOutside, addr&^7
				goto out
			}
			addr = (addr - vm.textVaddr) / ebpf.InsnSize
			goto jumpTo
		case xCallSyscall:
			// The only call on exec's paths: a syscall costs far more.
			t, err := vm.callSyscall(int(in.aux), last)
			last = 0
			if err != nil {
				vm.syscallErr = err
				stop = stopSyscallError
				goto out
			}
			threshold = t
		case xCallFunction:
			if !vm.frames.enter(reg, pc) {
				stop = stopCallDepth
				goto out
			}
			addr = uint64(vm.callTargets[in.aux])
			goto jumpTo
		case xCallUnresolved:
			stop = stopUnresolved
			goto out
		case xExit:
			if vm.frames.index == 0 {
				stop = stopExit
				goto out
			}
			addr = uint64(vm.frames.leave(reg))
			goto jumpTo
		case xBadRegister:
			stop, arg = stopBadRegister, uint64(in.aux)
			goto out
		case xLddwTruncated:
			stop = stopLddwTruncated
			goto out
		default:
			stop = stopUnsupported
			goto out
		}
		continue

	jumpTo:
		// A call or return to index addr: rbpf's check_pc.
		if addr >= uint64(len(prog)) {
			stop, arg = stopCallOutside, vm.textVaddr+addr*ebpf.InsnSize
			goto out
		}
		pc = int(addr)
		continue
	miss:
		// The region is not at hand: run looks it up.
		stop, arg = stopMiss, addr
		goto out
	divideByZero:
		stop = stopDivideByZero
		goto out
	}
out:
	vm.pc, vm.last = pc, last
	return
}

// accessOf is the access a load or store opcode makes.
func accessOf(opc ebpf.OpCode) AccessType {
	if opc.IsStore() {
		return Store
	}
	return Load
}

// accessError is the access violation of instruction pc, numbered as the
// interpreter reports it.
func accessError(mem *MemoryMapping, pc int, addr uint64, opc ebpf.OpCode) error {
	e := mem.AccessViolation(accessOf(opc), addr, opc.AccessSize())
	e.PC = insnNum(pc)
	return e
}

// traceState records the registers before instruction pc.
func (vm *VM) traceState(pc int) {
	if vm.maxTrace > 0 && len(vm.tracer.Log) >= vm.maxTrace {
		vm.tracer.Truncated = true
		return
	}
	var e TraceEntry
	copy(e[:11], vm.reg[:11])
	e[11] = uint64(pc)
	vm.tracer.Log = append(vm.tracer.Log, e)
}
