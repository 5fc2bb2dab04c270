package ebpf

import "testing"

// TestStaticFailureOrder checks the order of the checks on instructions
// that break several rules at once: the first in rbpf's order wins.
func TestStaticFailureOrder(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    Insn
		pc, n int
		want  Failure
		reg   int64
	}{
		{"fine", Insn{Opc: Add64Reg, Dst: 10, Src: 10}, 0, 1, NoFailure, 0},
		{"unknown before registers", Insn{Opc: 0x06, Dst: 15}, 0, 1, FailUnsupported, 0},
		{"xadd", Insn{Opc: StWXadd}, 0, 1, FailUnsupported, 0},
		{"callx register", Insn{Opc: CallReg, Imm: -1, Dst: 15}, 0, 1, FailRegister, -1},
		{"callx r10", Insn{Opc: CallReg, Imm: 10}, 0, 1, NoFailure, 0},
		{"width before dst", Insn{Opc: Le, Dst: 12, Imm: 8}, 0, 1, FailInvalid, 0},
		{"dst before src", Insn{Opc: Mov64Reg, Dst: 11, Src: 12}, 0, 1, FailRegister, 11},
		{"src", Insn{Opc: LdIndW, Dst: 15, Src: 12}, 0, 1, FailRegister, 12},
		{"ldabs ignores registers", Insn{Opc: LdAbsB, Dst: 15, Src: 15}, 0, 1, NoFailure, 0},
		{"register before lddw", Insn{Opc: LdDwImm, Dst: 11}, 0, 1, FailRegister, 11},
		{"lddw last", Insn{Opc: LdDwImm}, 1, 2, FailIncompleteLddw, 0},
		{"lddw", Insn{Opc: LdDwImm}, 0, 2, NoFailure, 0},
		{"register before division", Insn{Opc: Div32Imm, Dst: 11}, 0, 1, FailRegister, 11},
		{"division", Insn{Opc: Mod64Imm}, 0, 1, FailDivideByZero, 0},
		{"division by a register", Insn{Opc: Div64Reg}, 0, 1, NoFailure, 0},
	} {
		f, reg := StaticFailure(c.in, c.pc, c.n)
		if f != c.want || reg != c.reg {
			t.Errorf("%s: %d, %d; want %d, %d", c.name, f, reg, c.want, c.reg)
		}
	}
}

func TestValidWidth(t *testing.T) {
	for imm, want := range map[int32]bool{16: true, 32: true, 64: true, 0: false, 8: false, -16: false} {
		if ValidWidth(imm) != want {
			t.Errorf("ValidWidth(%d)", imm)
		}
	}
}
