package verifier

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Check verifies prog the way rbpf v0.2.8's `verifier::check` does and
// returns nil or a *UserError wrapping the first rule that failed. It never
// panics, whatever the bytes.
func Check(prog []byte) error {
	if err := check(prog); err != nil {
		return &UserError{Err: err}
	}
	return nil
}

// rule is what the verifier checks for one opcode, beyond the register
// numbers that every instruction must respect.
type rule uint8

const (
	ruleNone     rule = iota // any operands
	ruleStore                // dst may be r10 (it is an address, not written)
	ruleLddw                 // two slots; the second must have opcode 0
	ruleNonZero              // division or modulo by an immediate
	ruleShift                // shift by an immediate
	ruleEndian               // le/be width
	ruleJump                 // jump target inside the code, not in an lddw
	ruleCallxReg             // callx register number in imm
)

// ruleOf returns the rule of an opcode; known is false for an opcode the
// verifier rejects, which is any opcode v0.2.8 does not execute.
func ruleOf(op ebpf.OpCode) (r rule, known bool) {
	imm := op.IsALU() && !op.IsReg()
	switch {
	case !op.Executed():
		return ruleNone, false
	case op == ebpf.LdDwImm:
		return ruleLddw, true
	case op.IsStore():
		return ruleStore, true
	case imm && op.IsDivMod():
		return ruleNonZero, true
	case imm && op.IsShift():
		return ruleShift, true
	case op.Form() == ebpf.FormEndian:
		return ruleEndian, true
	case op.IsJump():
		return ruleJump, true
	case op == ebpf.CallReg:
		return ruleCallxReg, true
	}
	return ruleNone, true
}

func check(prog []byte) *Error {
	if err := checkLength(prog); err != nil {
		return err
	}
	n := len(prog) / ebpf.InsnSize
	pc := 0
	for ; pc < n; pc++ {
		insn, _ := ebpf.GetInsn(prog, pc)
		r, known := ruleOf(insn.Opc)
		if !known {
			return &Error{Kind: UnknownOpCode, Opcode: uint8(insn.Opc), PC: pc}
		}
		if err := checkOperands(prog, insn, r, pc); err != nil {
			return err
		}
		if err := checkRegisters(insn, r == ruleStore || r == ruleLddw, pc); err != nil {
			return err
		}
		if r == ruleLddw {
			pc++
		}
	}
	// rbpf keeps this final consistency check although the lddw rule makes
	// it unreachable: an lddw can never be the last slot.
	if pc != n {
		return &Error{Kind: JumpOutOfCode, Target: uint64(pc), PC: pc}
	}
	return nil
}

func checkLength(prog []byte) *Error {
	switch {
	case len(prog)%ebpf.InsnSize != 0:
		return &Error{Kind: ProgramLengthNotMultiple}
	case len(prog) > ebpf.ProgMaxSize:
		return &Error{Kind: ProgramTooLarge, Insns: len(prog) / ebpf.InsnSize}
	case len(prog) == 0:
		return &Error{Kind: NoProgram}
	}
	if last, _ := ebpf.GetInsn(prog, len(prog)/ebpf.InsnSize-1); last.Opc != ebpf.Exit {
		return &Error{Kind: InvalidLastInstruction}
	}
	return nil
}

func checkOperands(prog []byte, insn ebpf.Insn, r rule, pc int) *Error {
	switch r {
	case ruleLddw:
		// The trailing exit guarantees that an lddw has a next slot.
		if next, ok := ebpf.GetInsn(prog, pc+1); !ok || next.Opc != 0 {
			return &Error{Kind: IncompleteLddw, PC: pc}
		}
	case ruleNonZero:
		if insn.Imm == 0 {
			return &Error{Kind: DivisionByZero, PC: pc}
		}
	case ruleShift:
		if insn.Imm < 0 || insn.Imm >= 64 {
			return &Error{Kind: ShiftWithOverflow, PC: pc}
		}
	case ruleEndian:
		if !ebpf.ValidWidth(insn.Imm) {
			return &Error{Kind: UnsupportedLeBeArgument, PC: pc}
		}
	case ruleJump:
		return checkJump(prog, insn, pc)
	case ruleCallxReg:
		if insn.Imm < 0 || insn.Imm > 10 {
			return &Error{Kind: InvalidRegister, PC: pc}
		}
	}
	return nil
}

func checkJump(prog []byte, insn ebpf.Insn, pc int) *Error {
	if insn.Off == -1 {
		return &Error{Kind: InfiniteLoop, PC: pc}
	}
	target := ebpf.JumpTarget(pc, insn.Off)
	dst, ok := ebpf.GetInsn(prog, target)
	if !ok {
		return &Error{Kind: JumpOutOfCode, Target: uint64(int64(target)), PC: pc}
	}
	if dst.Opc == 0 {
		return &Error{Kind: JumpToMiddleOfLddw, Target: uint64(target), PC: pc}
	}
	return nil
}

func checkRegisters(insn ebpf.Insn, store bool, pc int) *Error {
	if insn.Src > 10 {
		return &Error{Kind: InvalidSourceRegister, PC: pc}
	}
	switch {
	case insn.Dst <= 9, insn.Dst == 10 && store:
		return nil
	case insn.Dst == 10:
		return &Error{Kind: CannotWriteR10, PC: pc}
	}
	return &Error{Kind: InvalidDestinationRegister, PC: pc}
}
