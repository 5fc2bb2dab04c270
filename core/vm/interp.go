package vm

import (
	"encoding/binary"
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
)

// run executes instructions until the program ends or `steps` more
// instructions have executed, whichever comes first. It is rbpf's
// execute_program_interpreted_inner made resumable: the state lives in the
// VM, is loaded into locals here and written back when the loop pauses, so
// stepping in pieces and running through give the same result.
//
// The dispatch switch is deliberately one long function: splitting it into
// per-class helpers costs a call per instruction and keeps the registers
// and counters out of machine registers. Each case is a line or a few, in
// the order of rbpf's match; see the package documentation for the cases
// where v0.2.8 panics and this loop returns an error instead.
func (vm *VM) run(steps uint64) {
	if vm.done {
		return
	}
	// Only what every instruction needs is kept in locals, so that it can
	// stay in machine registers; the step and meter limits are folded into
	// threshold and consulted only when it is reached.
	var (
		prog = vm.prog
		reg  = &vm.reg
		pc   = vm.pc
		cur  int
		last = vm.last
		err  error
		addr uint64
	)
	vm.limit = vm.remaining
	if !vm.meterOn {
		vm.limit = ^uint64(0)
	}
	vm.stopAt = satAdd(last, steps)
	threshold := min(vm.limit, vm.stopAt)
	for {
		if uint(pc) >= uint(len(prog)) {
			cur = pc
			err = NewPCError(ErrExecutionOverrun, pc)
			goto fail
		}
		{
			in := &prog[pc]
			d, s := in.dst&15, in.src&15
			cur = pc
			pc++
			last++
			if vm.tracer != nil {
				vm.traceState(cur)
			}
			switch in.opc {
			case ebpf.LdAbsB, ebpf.LdAbsH, ebpf.LdAbsW, ebpf.LdAbsDW:
				addr = ebpf.MMInputStart + uint64(uint32(in.imm))
				b, ok := vm.mem.slice(Load, addr, ldSize(in.opc))
				if !ok {
					goto memFail
				}
				reg[0] = loadLE(b)
			case ebpf.LdIndB, ebpf.LdIndH, ebpf.LdIndW, ebpf.LdIndDW:
				addr = ebpf.MMInputStart + reg[s] + uint64(uint32(in.imm))
				b, ok := vm.mem.slice(Load, addr, ldSize(in.opc))
				if !ok {
					goto memFail
				}
				reg[0] = loadLE(b)
			case ebpf.LdDwImm:
				reg[d] = uint64(uint32(in.imm)) | uint64(uint32(prog[pc].imm))<<32
				pc++

			case ebpf.LdBReg:
				addr = reg[s] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Load, addr, 1)
				if !ok {
					goto memFail
				}
				reg[d] = uint64(b[0])
			case ebpf.LdHReg:
				addr = reg[s] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Load, addr, 2)
				if !ok {
					goto memFail
				}
				reg[d] = uint64(binary.LittleEndian.Uint16(b))
			case ebpf.LdWReg:
				addr = reg[s] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Load, addr, 4)
				if !ok {
					goto memFail
				}
				reg[d] = uint64(binary.LittleEndian.Uint32(b))
			case ebpf.LdDWReg:
				addr = reg[s] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Load, addr, 8)
				if !ok {
					goto memFail
				}
				reg[d] = binary.LittleEndian.Uint64(b)

			case ebpf.StBImm, ebpf.StHImm, ebpf.StWImm, ebpf.StDWImm:
				addr = reg[d] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Store, addr, ldSize(in.opc))
				if !ok {
					goto memFail
				}
				storeLE(b, uint64(int64(in.imm)))
			case ebpf.StBReg:
				addr = reg[d] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Store, addr, 1)
				if !ok {
					goto memFail
				}
				b[0] = byte(reg[s])
			case ebpf.StHReg:
				addr = reg[d] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Store, addr, 2)
				if !ok {
					goto memFail
				}
				binary.LittleEndian.PutUint16(b, uint16(reg[s]))
			case ebpf.StWReg:
				addr = reg[d] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Store, addr, 4)
				if !ok {
					goto memFail
				}
				binary.LittleEndian.PutUint32(b, uint32(reg[s]))
			case ebpf.StDWReg:
				addr = reg[d] + uint64(int64(in.off))
				b, ok := vm.mem.slice(Store, addr, 8)
				if !ok {
					goto memFail
				}
				binary.LittleEndian.PutUint64(b, reg[s])

			// 32-bit ALU: add, sub and mul sign-extend their result; the
			// others zero-extend. Shift amounts wrap modulo 32.
			case ebpf.Add32Imm:
				reg[d] = uint64(int64(int32(reg[d]) + in.imm))
			case ebpf.Add32Reg:
				reg[d] = uint64(int64(int32(reg[d]) + int32(reg[s])))
			case ebpf.Sub32Imm:
				reg[d] = uint64(int64(int32(reg[d]) - in.imm))
			case ebpf.Sub32Reg:
				reg[d] = uint64(int64(int32(reg[d]) - int32(reg[s])))
			case ebpf.Mul32Imm:
				reg[d] = uint64(int64(int32(reg[d]) * in.imm))
			case ebpf.Mul32Reg:
				reg[d] = uint64(int64(int32(reg[d]) * int32(reg[s])))
			case ebpf.Div32Imm:
				if in.imm == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] = uint64(uint32(reg[d]) / uint32(in.imm))
			case ebpf.Div32Reg:
				if uint32(reg[s]) == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] = uint64(uint32(reg[d]) / uint32(reg[s]))
			case ebpf.Or32Imm:
				reg[d] = uint64(uint32(reg[d]) | uint32(in.imm))
			case ebpf.Or32Reg:
				reg[d] = uint64(uint32(reg[d]) | uint32(reg[s]))
			case ebpf.And32Imm:
				reg[d] = uint64(uint32(reg[d]) & uint32(in.imm))
			case ebpf.And32Reg:
				reg[d] = uint64(uint32(reg[d]) & uint32(reg[s]))
			case ebpf.Lsh32Imm:
				reg[d] = uint64(uint32(reg[d]) << (uint32(in.imm) & 31))
			case ebpf.Lsh32Reg:
				reg[d] = uint64(uint32(reg[d]) << (reg[s] & 31))
			case ebpf.Rsh32Imm:
				reg[d] = uint64(uint32(reg[d]) >> (uint32(in.imm) & 31))
			case ebpf.Rsh32Reg:
				reg[d] = uint64(uint32(reg[d]) >> (reg[s] & 31))
			case ebpf.Neg32:
				reg[d] = uint64(uint32(-int32(reg[d])))
			case ebpf.Mod32Imm:
				if in.imm == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] = uint64(uint32(reg[d]) % uint32(in.imm))
			case ebpf.Mod32Reg:
				if uint32(reg[s]) == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] = uint64(uint32(reg[d]) % uint32(reg[s]))
			case ebpf.Xor32Imm:
				reg[d] = uint64(uint32(reg[d]) ^ uint32(in.imm))
			case ebpf.Xor32Reg:
				reg[d] = uint64(uint32(reg[d]) ^ uint32(reg[s]))
			case ebpf.Mov32Imm:
				reg[d] = uint64(uint32(in.imm))
			case ebpf.Mov32Reg:
				reg[d] = uint64(uint32(reg[s]))
			case ebpf.Arsh32Imm:
				reg[d] = uint64(uint32(int32(reg[d]) >> (uint32(in.imm) & 31)))
			case ebpf.Arsh32Reg:
				reg[d] = uint64(uint32(int32(reg[d]) >> (reg[s] & 31)))
			case ebpf.Le:
				switch in.imm {
				case 16:
					reg[d] = uint64(uint16(reg[d]))
				case 32:
					reg[d] = uint64(uint32(reg[d]))
				case 64:
				default:
					err = NewPCError(ErrInvalidInstruction, cur)
					goto fail
				}
			case ebpf.Be:
				switch in.imm {
				case 16:
					reg[d] = uint64(bits.ReverseBytes16(uint16(reg[d])))
				case 32:
					reg[d] = uint64(bits.ReverseBytes32(uint32(reg[d])))
				case 64:
					reg[d] = bits.ReverseBytes64(reg[d])
				default:
					err = NewPCError(ErrInvalidInstruction, cur)
					goto fail
				}

			// 64-bit ALU: immediates are sign-extended; shift amounts wrap
			// modulo 64.
			case ebpf.Add64Imm:
				reg[d] += uint64(int64(in.imm))
			case ebpf.Add64Reg:
				reg[d] += reg[s]
			case ebpf.Sub64Imm:
				reg[d] -= uint64(int64(in.imm))
			case ebpf.Sub64Reg:
				reg[d] -= reg[s]
			case ebpf.Mul64Imm:
				reg[d] *= uint64(int64(in.imm))
			case ebpf.Mul64Reg:
				reg[d] *= reg[s]
			case ebpf.Div64Imm:
				if in.imm == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] /= uint64(int64(in.imm))
			case ebpf.Div64Reg:
				if reg[s] == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] /= reg[s]
			case ebpf.Or64Imm:
				reg[d] |= uint64(int64(in.imm))
			case ebpf.Or64Reg:
				reg[d] |= reg[s]
			case ebpf.And64Imm:
				reg[d] &= uint64(int64(in.imm))
			case ebpf.And64Reg:
				reg[d] &= reg[s]
			case ebpf.Lsh64Imm:
				reg[d] <<= uint32(in.imm) & 63
			case ebpf.Lsh64Reg:
				reg[d] <<= reg[s] & 63
			case ebpf.Rsh64Imm:
				reg[d] >>= uint32(in.imm) & 63
			case ebpf.Rsh64Reg:
				reg[d] >>= reg[s] & 63
			case ebpf.Neg64:
				reg[d] = -reg[d]
			case ebpf.Mod64Imm:
				if in.imm == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] %= uint64(int64(in.imm))
			case ebpf.Mod64Reg:
				if reg[s] == 0 {
					err = NewPCError(ErrDivideByZero, cur)
					goto fail
				}
				reg[d] %= reg[s]
			case ebpf.Xor64Imm:
				reg[d] ^= uint64(int64(in.imm))
			case ebpf.Xor64Reg:
				reg[d] ^= reg[s]
			case ebpf.Mov64Imm:
				reg[d] = uint64(int64(in.imm))
			case ebpf.Mov64Reg:
				reg[d] = reg[s]
			case ebpf.Arsh64Imm:
				reg[d] = uint64(int64(reg[d]) >> (uint32(in.imm) & 63))
			case ebpf.Arsh64Reg:
				reg[d] = uint64(int64(reg[d]) >> (reg[s] & 63))

			// Jumps are relative to the next instruction.
			case ebpf.Ja:
				pc += int(in.off)
			case ebpf.JeqImm:
				if reg[d] == uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JeqReg:
				if reg[d] == reg[s] {
					pc += int(in.off)
				}
			case ebpf.JgtImm:
				if reg[d] > uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JgtReg:
				if reg[d] > reg[s] {
					pc += int(in.off)
				}
			case ebpf.JgeImm:
				if reg[d] >= uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JgeReg:
				if reg[d] >= reg[s] {
					pc += int(in.off)
				}
			case ebpf.JltImm:
				if reg[d] < uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JltReg:
				if reg[d] < reg[s] {
					pc += int(in.off)
				}
			case ebpf.JleImm:
				if reg[d] <= uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JleReg:
				if reg[d] <= reg[s] {
					pc += int(in.off)
				}
			case ebpf.JsetImm:
				if reg[d]&uint64(int64(in.imm)) != 0 {
					pc += int(in.off)
				}
			case ebpf.JsetReg:
				if reg[d]&reg[s] != 0 {
					pc += int(in.off)
				}
			case ebpf.JneImm:
				if reg[d] != uint64(int64(in.imm)) {
					pc += int(in.off)
				}
			case ebpf.JneReg:
				if reg[d] != reg[s] {
					pc += int(in.off)
				}
			case ebpf.JsgtImm:
				if int64(reg[d]) > int64(in.imm) {
					pc += int(in.off)
				}
			case ebpf.JsgtReg:
				if int64(reg[d]) > int64(reg[s]) {
					pc += int(in.off)
				}
			case ebpf.JsgeImm:
				if int64(reg[d]) >= int64(in.imm) {
					pc += int(in.off)
				}
			case ebpf.JsgeReg:
				if int64(reg[d]) >= int64(reg[s]) {
					pc += int(in.off)
				}
			case ebpf.JsltImm:
				if int64(reg[d]) < int64(in.imm) {
					pc += int(in.off)
				}
			case ebpf.JsltReg:
				if int64(reg[d]) < int64(reg[s]) {
					pc += int(in.off)
				}
			case ebpf.JsleImm:
				if int64(reg[d]) <= int64(in.imm) {
					pc += int(in.off)
				}
			case ebpf.JsleReg:
				if int64(reg[d]) <= int64(reg[s]) {
					pc += int(in.off)
				}

			case ebpf.CallReg:
				// The frame is pushed before the target is checked.
				addr = reg[in.imm&15]
				var top uint64
				if top, err = vm.frames.Push(reg[ebpf.FirstScratchReg:], pc); err != nil {
					goto fail
				}
				reg[ebpf.StackReg] = top
				if addr < vm.textVaddr {
					err = NewCallOutsideTextSegment(cur, addr&^7)
					goto fail
				}
				if pc, err = vm.checkPC(cur, (addr-vm.textVaddr)/ebpf.InsnSize); err != nil {
					goto fail
				}
			case opCallSyscall:
				// The meter is settled before the syscall runs.
				vm.settled += last
				if vm.meterOn {
					vm.meterRemaining = satSub(vm.meterRemaining, last)
				}
				vm.stopAt -= last
				last = 0
				sc := &vm.sys[in.aux]
				var r0 uint64
				if r0, err = sc.obj.Call(&vm.sctx, reg[1], reg[2], reg[3], reg[4], reg[5], vm.mem); err != nil {
					goto fail
				}
				reg[0] = r0
				if vm.meterOn {
					vm.limit = vm.meterRemaining
				}
				threshold = min(vm.limit, vm.stopAt)
			case opCallFunction:
				var top uint64
				if top, err = vm.frames.Push(reg[ebpf.FirstScratchReg:], pc); err != nil {
					goto fail
				}
				reg[ebpf.StackReg] = top
				if pc, err = vm.checkPC(cur, uint64(vm.callTargets[in.aux])); err != nil {
					goto fail
				}
			case opCallUnresolved:
				err = vm.unresolved(cur)
				goto fail
			case ebpf.Exit:
				if vm.frames.index == 0 {
					vm.last, vm.pc = last, pc
					vm.finish(reg[0], nil)
					return
				}
				saved, top, ret, _ := vm.frames.Pop()
				copy(reg[ebpf.FirstScratchReg:], saved[:])
				reg[ebpf.StackReg] = top
				if pc, err = vm.checkPC(cur, uint64(ret)); err != nil {
					goto fail
				}
			case opBadRegister:
				err = NewInvalidRegister(cur, int64(in.aux))
				goto fail
			case opLddwTruncated:
				err = NewPCError(ErrIncompleteLddw, cur)
				goto fail
			default:
				err = NewPCError(ErrUnsupportedInstruction, cur)
				goto fail
			}
		}
		if last >= threshold {
			if last >= vm.limit {
				err = NewExceededMaxInstructions(cur, vm.initial)
				goto fail
			}
			vm.last, vm.pc = last, pc
			if vm.meterOn {
				vm.remaining = vm.limit
			}
			return
		}
	}
memFail:
	err = accessError(vm.mem, cur, addr, prog[cur].opc)
fail:
	vm.last, vm.pc = last, cur
	vm.finish(0, err)
}

// ldSize is the access size of a load or store opcode.
func ldSize(opc uint8) uint64 {
	switch opc & 0x18 {
	case ebpf.SizeB:
		return 1
	case ebpf.SizeH:
		return 2
	case ebpf.SizeW:
		return 4
	}
	return 8
}

// accessError is the access violation of instruction pc, numbered as the
// interpreter reports it.
func accessError(mem *MemoryMapping, pc int, addr uint64, opc uint8) error {
	access := Load
	if c := opc & ebpf.ClassMask; c == ebpf.ClassSt || c == ebpf.ClassStx {
		access = Store
	}
	e := mem.AccessViolation(access, addr, ldSize(opc))
	e.PC = insnNum(pc)
	return e
}

// checkPC is rbpf's check_pc: target must be a whole slot of the text, or
// the call at pc fails with CallOutsideTextSegment.
func (vm *VM) checkPC(pc int, target uint64) (int, error) {
	if target >= uint64(len(vm.prog)) {
		return 0, NewCallOutsideTextSegment(pc, vm.textVaddr+target*ebpf.InsnSize)
	}
	return int(target), nil
}

// unresolved is the error of a `call imm` at pc that names nothing.
func (vm *VM) unresolved(pc int) error {
	err := vm.exe.Program.ReportUnresolvedSymbol(pc)
	if _, isELF := err.(*elf.Error); isELF {
		return WrapELF(err)
	}
	return err
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
