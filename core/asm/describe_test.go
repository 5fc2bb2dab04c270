package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// describeFmt is text's layouts written with fmt, rbpf's format strings
// as they read: the oracle text must match.
func describeFmt(info opInfo, i ebpf.Insn) string {
	name := info.name
	imm, off := uint32(i.Imm), uint16(i.Off)
	switch info.f {
	case ebpf.FormAluImm:
		return fmt.Sprintf("%s r%d, %#x", name, i.Dst, imm)
	case ebpf.FormAluReg:
		return fmt.Sprintf("%s r%d, r%d", name, i.Dst, i.Src)
	case ebpf.FormUnary:
		return fmt.Sprintf("%s r%d", name, i.Dst)
	case ebpf.FormEndian:
		return fmt.Sprintf("%s%d r%d", name, i.Imm, i.Dst)
	case ebpf.FormStoreImm:
		return fmt.Sprintf("%s [r%d+%#x], %#x", name, i.Dst, off, imm)
	case ebpf.FormLoadReg:
		return fmt.Sprintf("%s r%d, [r%d+%#x]", name, i.Dst, i.Src, off)
	case ebpf.FormStoreReg:
		return fmt.Sprintf("%s [r%d+%#x], r%d", name, i.Dst, off, i.Src)
	case ebpf.FormLoadAbs, ebpf.FormCall, ebpf.FormCallReg:
		return fmt.Sprintf("%s %#x", name, imm)
	case ebpf.FormLoadInd:
		return fmt.Sprintf("%s r%d, %#x", name, i.Src, imm)
	case ebpf.FormJa:
		return fmt.Sprintf("%s +%#x", name, off)
	case ebpf.FormJumpImm:
		return fmt.Sprintf("%s r%d, %#x, %+d", name, i.Dst, imm, i.Off)
	case ebpf.FormJumpReg:
		return fmt.Sprintf("%s r%d, r%d, %+d", name, i.Dst, i.Src, i.Off)
	}
	return name
}

// TestTextMatchesFormat checks every opcode's description against the
// fmt layouts, at the edges of every field and at random values.
func TestTextMatchesFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	imms := []int32{0, 1, -1, 9, 10, 15, 16, 255, 0x7fffffff, -0x80000000, 16, 32, 64}
	offs := []int16{0, 1, -1, 0x7fff, -0x8000, 10}
	regs := []uint8{0, 1, 9, 10, 11, 15}
	n := 0
	for op := range 256 {
		info := infoOf(ebpf.OpCode(op))
		if info.name == "" {
			continue
		}
		check := func(i ebpf.Insn) {
			if got, want := info.text(i), describeFmt(info, i); got != want {
				t.Fatalf("opcode %#x %+v: %q, want %q", op, i, got, want)
			}
			n++
		}
		for _, imm := range imms {
			for _, off := range offs {
				for _, reg := range regs {
					check(ebpf.Insn{Opc: ebpf.OpCode(op), Dst: reg, Src: 15 - reg, Off: off, Imm: imm})
				}
			}
		}
		for range 200 {
			check(ebpf.Insn{Opc: ebpf.OpCode(op), Dst: uint8(r.IntN(16)), Src: uint8(r.IntN(16)), Off: int16(r.Uint32()), Imm: int32(r.Uint32())})
		}
	}
	if n < 10000 {
		t.Fatalf("only %d descriptions checked", n)
	}
}
