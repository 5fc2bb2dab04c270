package ebpf

import "testing"

func TestAccessAddr(t *testing.T) {
	regs := [11]uint64{1: MMInputStart + 0x10, 2: 0x20, 10: MMStackStart + 0x1000}
	for _, c := range []struct {
		in   Insn
		addr uint64
		ok   bool
	}{
		{Insn{Opc: LdBReg, Dst: 3, Src: 1, Off: 5}, MMInputStart + 0x15, true},
		{Insn{Opc: LdDWReg, Dst: 0, Src: 10, Off: -8}, MMStackStart + 0xff8, true},
		{Insn{Opc: StWImm, Dst: 10, Off: -4, Imm: 7}, MMStackStart + 0xffc, true},
		{Insn{Opc: StBReg, Dst: 1, Src: 2, Off: -0x10}, MMInputStart, true},
		{Insn{Opc: LdAbsH, Imm: -1}, MMInputStart + 0xffff_ffff, true},
		{Insn{Opc: LdIndW, Src: 2, Imm: 3}, MMInputStart + 0x23, true},
		{Insn{Opc: LdBReg, Dst: 3, Src: 11}, 0, false},
		{Insn{Opc: LdAbsB, Dst: 11, Src: 12, Imm: 2}, MMInputStart + 2, true}, // uses neither field
		{Insn{Opc: LdIndB, Dst: 11, Src: 2, Imm: 2}, MMInputStart + 0x22, true},
		{Insn{Opc: LdIndB, Src: 11}, 0, false},
		{Insn{Opc: StBImm, Dst: 1, Src: 15}, MMInputStart + 0x10, true},
		{Insn{Opc: Add64Reg, Dst: 1, Src: 2}, 0, false},
		{Insn{Opc: StWXadd, Dst: 1, Src: 2}, 0, false}, // not executed
	} {
		addr, ok := AccessAddr(c.in, &regs)
		if addr != c.addr || ok != c.ok {
			t.Errorf("%v: %#x %v, want %#x %v", c.in, addr, ok, c.addr, c.ok)
		}
	}
}
