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

// Register use of an opcode, for the out-of-range register check.
const (
	useDst uint8 = 1 << iota
	useSrc
	useImmReg // callx: imm names the register
	supported
)

// opUse says, for every opcode v0.2.8's interpreter executes, which
// register fields it indexes; 0 means the opcode is not executed.
var opUse = buildOpUse()

func buildOpUse() (t [256]uint8) {
	for _, op := range []ebpf.OpCode{ebpf.LdAbsB, ebpf.LdAbsH, ebpf.LdAbsW, ebpf.LdAbsDW, ebpf.Ja, ebpf.CallImm, ebpf.Exit} {
		t[op] = supported
	}
	for _, op := range []ebpf.OpCode{ebpf.LdIndB, ebpf.LdIndH, ebpf.LdIndW, ebpf.LdIndDW} {
		t[op] = supported | useSrc
	}
	for _, op := range []ebpf.OpCode{ebpf.LdDwImm, ebpf.StBImm, ebpf.StHImm, ebpf.StWImm, ebpf.StDWImm, ebpf.Neg32, ebpf.Neg64, ebpf.Le, ebpf.Be} {
		t[op] = supported | useDst
	}
	for _, op := range []ebpf.OpCode{ebpf.LdBReg, ebpf.LdHReg, ebpf.LdWReg, ebpf.LdDWReg, ebpf.StBReg, ebpf.StHReg, ebpf.StWReg, ebpf.StDWReg} {
		t[op] = supported | useDst | useSrc
	}
	t[ebpf.CallReg] = supported | useImmReg
	for _, class := range []ebpf.OpCode{ebpf.ClassAlu, ebpf.ClassAlu64} {
		for op := ebpf.OpAdd; op <= ebpf.OpArsh; op += 0x10 {
			if op == ebpf.OpNeg {
				continue
			}
			t[class|ebpf.SrcK|op] = supported | useDst
			t[class|ebpf.SrcX|op] = supported | useDst | useSrc
		}
	}
	for op := ebpf.OpJeq; op <= ebpf.OpJsle; op += 0x10 {
		if op == ebpf.OpCall || op == ebpf.OpExit {
			continue
		}
		t[ebpf.ClassJmp|ebpf.SrcK|op] = supported | useDst
		t[ebpf.ClassJmp|ebpf.SrcX|op] = supported | useDst | useSrc
	}
	return t
}

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
		if c := d.opc & ebpf.ClassMask; (c == ebpf.ClassAlu || c == ebpf.ClassAlu64 || c == ebpf.ClassJmp) &&
			d.opc&ebpf.SrcX == 0 && dispatchOf[d.opc|ebpf.SrcX] == d.op {
			d.src = immReg
		}
		vm.prog[pc] = d
	}
}

func (vm *VM) decodeOne(in ebpf.Insn, pc, n int) dinsn {
	d := dinsn{opc: in.Opc, dst: in.Dst, src: in.Src, off: in.Off, imm: in.Imm}
	use := opUse[in.Opc]
	switch {
	case use == 0:
		d.opc = opUnsupported
	case use&useImmReg != 0 && (in.Imm < 0 || in.Imm > 10):
		d.opc, d.aux = opBadRegister, in.Imm
	case (in.Opc == ebpf.Le || in.Opc == ebpf.Be) && !validWidth(in.Imm):
		// InvalidInstruction comes before the register is touched.
	case use&useDst != 0 && in.Dst > 10:
		d.opc, d.aux = opBadRegister, int32(in.Dst)
	case use&useSrc != 0 && in.Src > 10:
		d.opc, d.aux = opBadRegister, int32(in.Src)
	case in.Opc == ebpf.LdDwImm && pc+1 >= n:
		d.opc = opLddwTruncated
	case in.Opc == ebpf.CallImm:
		vm.resolveCall(&d, uint32(in.Imm))
	}
	return d
}

func validWidth(imm int32) bool { return imm == 16 || imm == 32 || imm == 64 }

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
