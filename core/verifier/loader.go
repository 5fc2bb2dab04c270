package verifier

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// CheckLoader is the verifier of the Solana release that ran rbpf v0.2.8
// (programs/bpf_loader/src/bpf_verifier.rs in v1.6.9), which the BPF
// loader applies to a program's relocated text when it deploys it and
// when it first executes it. Its rules and texts are rbpf's, with these
// differences:
//
//   - instruction numbers are reported as the VM reports them, index +
//     ebpf.ElfInsnDumpOffset (the Error's Offset), except jump targets;
//   - there is no limit on the length, no rule that the program ends with
//     exit and no rule against a jump to itself;
//   - an lddw in the last slot is LddwCannotBeLast, and an lddw's register
//     check reports its second slot;
//   - a multiplication by an immediate 0 is rejected as a division by 0.
func CheckLoader(prog []byte) *Error {
	switch {
	case len(prog)%ebpf.InsnSize != 0:
		return &Error{Kind: ProgramLengthNotMultiple}
	case len(prog) == 0:
		return &Error{Kind: NoProgram}
	}
	n := len(prog) / ebpf.InsnSize
	at := func(k Kind, pc int) *Error { return &Error{Kind: k, PC: pc, Offset: ebpf.ElfInsnDumpOffset} }
	for pc := 0; pc < n; pc++ {
		insn, _ := ebpf.GetInsn(prog, pc)
		r, known := ruleOf(insn.Opc)
		if insn.Opc == ebpf.Mul64Imm {
			r = ruleNonZero
		}
		if !known {
			e := at(UnknownOpCode, pc)
			e.Opcode = uint8(insn.Opc)
			return e
		}
		switch r {
		case ruleLddw:
			if pc+1 >= n {
				return &Error{Kind: LddwCannotBeLast}
			}
			if next, _ := ebpf.GetInsn(prog, pc+1); next.Opc != 0 {
				return at(IncompleteLddw, pc)
			}
			pc++
		case ruleJump:
			target := int64(ebpf.JumpTarget(pc, insn.Off))
			if target < 0 || target >= int64(n) {
				e := at(JumpOutOfCode, pc)
				e.Target = uint64(target)
				return e
			}
			if dst, _ := ebpf.GetInsn(prog, int(target)); dst.Opc == 0 {
				e := at(JumpToMiddleOfLddw, pc)
				e.Target = uint64(target)
				return e
			}
		default:
			if err := checkOperands(prog, insn, r, pc); err != nil {
				err.Offset = ebpf.ElfInsnDumpOffset
				return err
			}
		}
		if err := checkRegisters(insn, r == ruleStore || r == ruleLddw, pc); err != nil {
			err.Offset = ebpf.ElfInsnDumpOffset
			return err
		}
	}
	return nil
}
