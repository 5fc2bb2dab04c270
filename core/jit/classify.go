package jit

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// exitOfFailure is the exit code that reports each static failure.
var exitOfFailure = [...]int{
	ebpf.FailUnsupported:    exitUnsupported,
	ebpf.FailRegister:       exitBadRegister,
	ebpf.FailInvalid:        exitInvalidInsn,
	ebpf.FailIncompleteLddw: exitIncompleteLddw,
	ebpf.FailDivideByZero:   exitDivZero,
}

// staticFailure says whether instruction pc, when executed, always fails
// without doing anything else (ebpf.StaticFailure), and with which exit
// code and argument. Such an instruction compiles to its exit alone.
func staticFailure(in ebpf.Insn, pc, n int) (code int, arg uint64, fails bool) {
	f, reg := ebpf.StaticFailure(in, pc, n)
	if f == ebpf.NoFailure {
		return 0, 0, false
	}
	return exitOfFailure[f], uint64(reg), true
}

// isPure reports whether an instruction that does not fail statically only
// changes registers and falls through: it can neither fail, nor touch
// memory, nor transfer control. Such instructions may share a meter check.
func isPure(in ebpf.Insn) bool {
	return in.Opc.IsALU() && (!in.Opc.IsDivMod() || !in.Opc.IsReg())
}
