package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// dinsn is one instruction slot decoded ahead of the run. Decoding once
// lets the dispatch loop index a slice of fixed-size structs and resolves
// what cannot change during a run: `call imm` targets (the registry and the
// function map are fixed) and instructions that would index a register
// above r10, which v0.2.8 panics on.
type dinsn struct {
	op  uint8 // dispatch code of opc, see dispatch.go
	opc ebpf.OpCode
	dst uint8
	src uint8
	off int16
	imm int32
	aux int32 // syscall slot or call-target index for the pseudo-opcodes
}

// Pseudo-opcodes the decoder substitutes. None is an opcode v0.2.8
// executes, and every opcode it does not execute is decoded as
// opUnsupported, so they cannot collide with program bytes.
const (
	opUnsupported    ebpf.OpCode = 0x00 // UnsupportedInstruction
	opCallSyscall    ebpf.OpCode = 0xe5 // call imm resolved to sys[aux]
	opCallFunction   ebpf.OpCode = 0xf5 // call imm resolved to callTargets[aux]
	opCallUnresolved ebpf.OpCode = 0xed // call imm naming nothing
	opBadRegister    ebpf.OpCode = 0xfd // uses register aux (> 10)
	opLddwTruncated  ebpf.OpCode = 0xf4 // lddw in the last slot
)

// immReg is the register exec loads with each instruction's immediate
// (sign-extended), so that the immediate form of an ALU or jump operation
// can run as its register form with src = immReg. Registers above r10 are
// never visible: programs cannot name them (the decoder rejects them) and
// the accessors, the trace and the call frames only see r0-r10.
const immReg = 11

// decode fills vm.prog from the text.
func (vm *VM) decode() {
	n := len(vm.text) / ebpf.InsnSize
	vm.prog = make([]dinsn, n)
	for pc := range vm.prog {
		in := ebpf.DecodeSlot(vm.text[pc*ebpf.InsnSize:])
		d := vm.decodeOne(in, pc, n)
		d.op = dispatchOf[d.opc]
		if (d.opc.IsALU() || d.opc.Class() == ebpf.ClassJmp) && !d.opc.IsReg() && dispatchOf[d.opc|ebpf.SrcX] == d.op {
			d.src = immReg
		}
		vm.prog[pc] = d
	}
}

// decodeOne turns the static failures of ebpf.StaticFailure into the
// pseudo-opcodes exec reports them by. exec's own cases find the two that
// depend on the operands it reads anyway (a byte-swap width, a zero
// divisor), so those instructions decode as themselves.
func (vm *VM) decodeOne(in ebpf.Insn, pc, n int) dinsn {
	d := dinsn{opc: in.Opc, dst: in.Dst, src: in.Src, off: in.Off, imm: in.Imm}
	switch f, reg := ebpf.StaticFailure(in, pc, n); f {
	case ebpf.FailUnsupported:
		d.opc = opUnsupported
	case ebpf.FailRegister:
		d.opc, d.aux = opBadRegister, int32(reg)
	case ebpf.FailIncompleteLddw:
		d.opc = opLddwTruncated
	case ebpf.NoFailure:
		if in.Opc == ebpf.CallImm {
			vm.resolveCall(&d, uint32(in.Imm))
		}
	}
	return d
}

// resolveCall decides what `call imm` does, in rbpf's order: a syscall,
// else a function, else an unresolved symbol.
func (vm *VM) resolveCall(d *dinsn, hash uint32) {
	if i, ok := vm.sysByHash[hash]; ok {
		d.opc, d.aux = opCallSyscall, int32(i)
		return
	}
	if target, ok := vm.exe.Program.LookupFunction(hash); ok {
		d.opc, d.aux = opCallFunction, int32(len(vm.callTargets))
		vm.callTargets = append(vm.callTargets, target)
		return
	}
	d.opc = opCallUnresolved
}
