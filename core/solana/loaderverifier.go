package solana

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// LoaderVerifierError is a rejection by the BPF loader's own verifier
// (programs/bpf_loader/src/bpf_verifier.rs in v1.6.9), which the loader
// runs on a program's relocated text when it deploys it and when it first
// executes it. Its text is the release's; instruction numbers are slot
// index + 29, as there.
type LoaderVerifierError struct {
	Text string
}

func (e *LoaderVerifierError) Error() string { return e.Text }

func lvErr(format string, args ...any) error {
	return &LoaderVerifierError{Text: fmt.Sprintf(format, args...)}
}

// lvCheck is the check one accepted opcode gets before the register check.
type lvCheck uint8

const (
	lvNone lvCheck = iota
	lvStore
	lvNonzeroImm
	lvShiftImm
	lvEndian
	lvJump
	lvCallReg
	lvLoadDW
)

// loaderRules are the opcodes the loader's verifier accepts and what it
// checks of each. It differs from rbpf's verifier: shifts by an immediate
// must be below 64, callx names a register 0-10, a multiplication by an
// immediate 0 is rejected as a division by 0, and there is no check for
// jumps to themselves.
var loaderRules = func() map[uint8]lvCheck {
	m := map[uint8]lvCheck{}
	set := func(c lvCheck, ops ...uint8) {
		for _, op := range ops {
			m[op] = c
		}
	}
	set(lvNone, ebpf.LdAbsB, ebpf.LdAbsH, ebpf.LdAbsW, ebpf.LdAbsDW, ebpf.LdIndB, ebpf.LdIndH, ebpf.LdIndW, ebpf.LdIndDW,
		ebpf.LdBReg, ebpf.LdHReg, ebpf.LdWReg, ebpf.LdDWReg,
		ebpf.Add32Imm, ebpf.Add32Reg, ebpf.Sub32Imm, ebpf.Sub32Reg, ebpf.Mul32Imm, ebpf.Mul32Reg, ebpf.Div32Reg,
		ebpf.Or32Imm, ebpf.Or32Reg, ebpf.And32Imm, ebpf.And32Reg, ebpf.Lsh32Reg, ebpf.Rsh32Reg, ebpf.Neg32, ebpf.Mod32Reg,
		ebpf.Xor32Imm, ebpf.Xor32Reg, ebpf.Mov32Imm, ebpf.Mov32Reg, ebpf.Arsh32Reg,
		ebpf.Add64Imm, ebpf.Add64Reg, ebpf.Sub64Imm, ebpf.Sub64Reg, ebpf.Mul64Reg, ebpf.Div64Reg,
		ebpf.Or64Imm, ebpf.Or64Reg, ebpf.And64Imm, ebpf.And64Reg, ebpf.Lsh64Reg, ebpf.Rsh64Reg, ebpf.Neg64, ebpf.Mod64Reg,
		ebpf.Xor64Imm, ebpf.Xor64Reg, ebpf.Mov64Imm, ebpf.Mov64Reg, ebpf.Arsh64Reg,
		ebpf.CallImm, ebpf.Exit)
	set(lvStore, ebpf.StBImm, ebpf.StHImm, ebpf.StWImm, ebpf.StDWImm, ebpf.StBReg, ebpf.StHReg, ebpf.StWReg, ebpf.StDWReg)
	set(lvNonzeroImm, ebpf.Div32Imm, ebpf.Mod32Imm, ebpf.Mul64Imm, ebpf.Div64Imm, ebpf.Mod64Imm)
	set(lvShiftImm, ebpf.Lsh32Imm, ebpf.Rsh32Imm, ebpf.Arsh32Imm, ebpf.Lsh64Imm, ebpf.Rsh64Imm, ebpf.Arsh64Imm)
	set(lvEndian, ebpf.Le, ebpf.Be)
	set(lvJump, ebpf.Ja, ebpf.JeqImm, ebpf.JeqReg, ebpf.JgtImm, ebpf.JgtReg, ebpf.JgeImm, ebpf.JgeReg,
		ebpf.JltImm, ebpf.JltReg, ebpf.JleImm, ebpf.JleReg, ebpf.JsetImm, ebpf.JsetReg, ebpf.JneImm, ebpf.JneReg,
		ebpf.JsgtImm, ebpf.JsgtReg, ebpf.JsgeImm, ebpf.JsgeReg, ebpf.JsltImm, ebpf.JsltReg, ebpf.JsleImm, ebpf.JsleReg)
	set(lvCallReg, ebpf.CallReg)
	set(lvLoadDW, ebpf.LdDwImm)
	return m
}()

// VerifyProgram is the loader's verifier (bpf_verifier::check) over a
// program's relocated text.
func VerifyProgram(prog []byte) error {
	if len(prog)%ebpf.InsnSize != 0 {
		return lvErr("program length must be a multiple of %d octets", ebpf.InsnSize)
	}
	if len(prog) == 0 {
		return lvErr("no program set, call prog_set() to load one")
	}
	n := len(prog) / ebpf.InsnSize
	num := func(pc int) uint64 { return uint64(pc) + ebpf.ElfInsnDumpOffset }
	pc := 0
	for pc < n {
		insn, _ := ebpf.GetInsn(prog, pc)
		check, ok := loaderRules[insn.Opc]
		if !ok {
			return lvErr("unknown eBPF opcode %#x (insn #%d)", insn.Opc, num(pc))
		}
		store := false
		switch check {
		case lvStore:
			store = true
		case lvNonzeroImm:
			if insn.Imm == 0 {
				return lvErr("division by 0 (insn #%d)", num(pc))
			}
		case lvShiftImm:
			if insn.Imm < 0 || insn.Imm >= 64 {
				return lvErr("Shift with overflow at instruction %d", num(pc))
			}
		case lvEndian:
			if insn.Imm != 16 && insn.Imm != 32 && insn.Imm != 64 {
				return lvErr("unsupported argument for LE/BE (insn #%d)", num(pc))
			}
		case lvJump:
			dst := int64(pc) + 1 + int64(insn.Off)
			if dst < 0 || dst >= int64(n) {
				return lvErr("jump out of code to #%d (insn #%d)", uint64(dst), num(pc))
			}
			if next, _ := ebpf.GetInsn(prog, int(dst)); next.Opc == 0 {
				return lvErr("jump to middle of LD_DW at #%d (insn #%d)", dst, num(pc))
			}
		case lvCallReg:
			if insn.Imm < 0 || insn.Imm > 10 {
				return lvErr("Invalid register specified at instruction %d", num(pc))
			}
		case lvLoadDW:
			store = true
			if pc+1 >= n {
				return lvErr("LD_DW instruction cannot be last in program")
			}
			if next, _ := ebpf.GetInsn(prog, pc+1); next.Opc != 0 {
				return lvErr("incomplete LD_DW instruction (insn #%d)", num(pc))
			}
			pc++ // the register check below reports the second slot, as the release does
		}
		if insn.Src > 10 {
			return lvErr("invalid source register (insn #%d)", num(pc))
		}
		switch {
		case insn.Dst <= 9 || insn.Dst == 10 && store:
		case insn.Dst == 10:
			return lvErr("cannot write into register r10 (insn #%d)", num(pc))
		default:
			return lvErr("invalid destination register (insn #%d)", num(pc))
		}
		pc++
	}
	return nil
}
