package jit

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Register fields an opcode reads, as the interpreter checks them: an
// executed instruction naming a register above r10 fails with
// InvalidRegister instead of running.
const (
	usesDst uint8 = 1 << iota
	usesSrc
	usesImmReg // callx names its register in imm
	executed   // the interpreter executes the opcode at all
)

var opcodeUse = makeOpcodeUse()

func makeOpcodeUse() (t [256]uint8) {
	set := func(flags uint8, ops ...ebpf.OpCode) {
		for _, op := range ops {
			t[op] = executed | flags
		}
	}
	set(0, ebpf.LdAbsB, ebpf.LdAbsH, ebpf.LdAbsW, ebpf.LdAbsDW, ebpf.Ja, ebpf.CallImm, ebpf.Exit)
	set(usesSrc, ebpf.LdIndB, ebpf.LdIndH, ebpf.LdIndW, ebpf.LdIndDW)
	set(usesDst, ebpf.LdDwImm, ebpf.StBImm, ebpf.StHImm, ebpf.StWImm, ebpf.StDWImm,
		ebpf.Neg32, ebpf.Neg64, ebpf.Le, ebpf.Be)
	set(usesDst|usesSrc, ebpf.LdBReg, ebpf.LdHReg, ebpf.LdWReg, ebpf.LdDWReg,
		ebpf.StBReg, ebpf.StHReg, ebpf.StWReg, ebpf.StDWReg)
	set(usesImmReg, ebpf.CallReg)
	for _, class := range []ebpf.OpCode{ebpf.ClassAlu, ebpf.ClassAlu64} {
		for op := ebpf.OpAdd; op <= ebpf.OpArsh; op += 0x10 {
			if op != ebpf.OpNeg {
				set(usesDst, class|ebpf.SrcK|op)
				set(usesDst|usesSrc, class|ebpf.SrcX|op)
			}
		}
	}
	for op := ebpf.OpJeq; op <= ebpf.OpJsle; op += 0x10 {
		if op != ebpf.OpCall && op != ebpf.OpExit {
			set(usesDst, ebpf.ClassJmp|ebpf.SrcK|op)
			set(usesDst|usesSrc, ebpf.ClassJmp|ebpf.SrcX|op)
		}
	}
	return t
}

// staticFailure says whether instruction pc, when executed, always fails
// without doing anything else, and with which exit code and argument. The
// checks come in the interpreter's order.
func staticFailure(in ebpf.Insn, pc, n int) (code int, arg uint64, fails bool) {
	use := opcodeUse[in.Opc]
	switch {
	case use == 0:
		return exitUnsupported, 0, true
	case use&usesImmReg != 0 && (in.Imm < 0 || in.Imm > 10):
		return exitBadRegister, uint64(int64(in.Imm)), true
	case (in.Opc == ebpf.Le || in.Opc == ebpf.Be) && in.Imm != 16 && in.Imm != 32 && in.Imm != 64:
		return exitInvalidInsn, 0, true
	case use&usesDst != 0 && in.Dst > 10:
		return exitBadRegister, uint64(in.Dst), true
	case use&usesSrc != 0 && in.Src > 10:
		return exitBadRegister, uint64(in.Src), true
	case in.Opc == ebpf.LdDwImm && pc+1 >= n:
		return exitIncompleteLddw, 0, true
	case isDivMod(in.Opc) && in.Opc&ebpf.SrcX == 0 && in.Imm == 0:
		return exitDivZero, 0, true
	}
	return 0, 0, false
}

func isDivMod(opc ebpf.OpCode) bool {
	c := opc & ebpf.ClassMask
	op := opc & ebpf.AluOpMask
	return (c == ebpf.ClassAlu || c == ebpf.ClassAlu64) && (op == ebpf.OpDiv || op == ebpf.OpMod)
}

// isPure reports whether an instruction that does not fail statically only
// changes registers and falls through: it can neither fail, nor touch
// memory, nor transfer control. Such instructions may share a meter check.
func isPure(in ebpf.Insn) bool {
	c := in.Opc & ebpf.ClassMask
	if c != ebpf.ClassAlu && c != ebpf.ClassAlu64 {
		return false
	}
	return !isDivMod(in.Opc) || in.Opc&ebpf.SrcX == 0
}

// jumpTarget returns the index a jump at pc goes to when taken.
func jumpTarget(in ebpf.Insn, pc int) int { return pc + 1 + int(in.Off) }

// isJump reports whether the opcode is a (conditional) jump with an offset.
func isJump(opc ebpf.OpCode) bool {
	if opc&ebpf.ClassMask != ebpf.ClassJmp {
		return false
	}
	op := opc & ebpf.AluOpMask
	return op != ebpf.OpCall && op != ebpf.OpExit && opcodeUse[opc] != 0
}
