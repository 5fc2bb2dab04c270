package ebpf

// Failure is why an instruction fails as soon as it runs, whatever the
// state of the machine: a fact of the instruction and its position alone,
// which tools can know before running it.
type Failure uint8

// The static failures, named after the rbpf v0.2.8 errors they raise.
const (
	NoFailure          Failure = iota
	FailUnsupported            // UnsupportedInstruction: the opcode is not executed
	FailRegister               // InvalidRegister: a used field names a register above r10
	FailInvalid                // InvalidInstruction: le/be with a width other than 16, 32, 64
	FailIncompleteLddw         // an lddw in the last slot has no second half
	FailDivideByZero           // DivideByZero: div or mod by an immediate 0
)

// StaticFailure returns the first static failure of instruction in, in
// slot pc of a text of n slots, checking in the order rbpf v0.2.8 does
// when it executes the instruction: the opcode; callx's register; the
// byte-swap width; the dst then the src register; an lddw's second slot;
// a division by an immediate zero. For FailRegister, reg is the register
// number the instruction names (callx's immediate may be negative).
//
// An instruction that fails statically fails without any effect. An engine
// may leave FailInvalid and FailDivideByZero to the instruction's own code,
// as the interpreter does (a division by a register needs the check at run
// time anyway); the others it must settle before running the instruction.
func StaticFailure(in Insn, pc, n int) (f Failure, reg int64) {
	use := in.Opc.Uses()
	switch {
	case !in.Opc.Executed():
		return FailUnsupported, 0
	case use&UsesImmReg != 0 && (in.Imm < 0 || in.Imm > 10):
		return FailRegister, int64(in.Imm)
	case in.Opc.Form() == FormEndian && !ValidWidth(in.Imm):
		return FailInvalid, 0
	case use&UsesDst != 0 && in.Dst > 10:
		return FailRegister, int64(in.Dst)
	case use&UsesSrc != 0 && in.Src > 10:
		return FailRegister, int64(in.Src)
	case in.Opc == LdDwImm && pc+1 >= n:
		return FailIncompleteLddw, 0
	case in.Opc.IsDivMod() && !in.Opc.IsReg() && in.Imm == 0:
		return FailDivideByZero, 0
	}
	return NoFailure, 0
}

// ValidWidth reports whether imm is a width le and be accept: 16, 32 or 64
// bits.
func ValidWidth(imm int32) bool { return imm == 16 || imm == 32 || imm == 64 }
