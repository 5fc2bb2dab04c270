package asm

import (
	"fmt"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Rust prints negative integers in hexadecimal as their two's complement
// at the integer's own width; the uint16/uint32 conversions below do the
// same. A jump offset is printed with `{:+}` (signed decimal), except for
// `ja`, whose `{:+#x}` always shows "+" followed by the 16-bit pattern.

// format names a description layout.
type format int

const (
	fmtAluImm format = iota // add64 r1, 0x5
	fmtAluReg               // add64 r1, r2
	fmtUnary                // neg64 r1
	fmtSwap                 // be16 r1
	fmtStImm                // stw [r1+0x2], 0x3
	fmtLdReg                // ldxw r1, [r2+0x3]
	fmtStReg                // stxw [r1+0x2], r3
	fmtLdAbs                // ldabsw 0x1
	fmtLdInd                // ldindw r1, 0x2
	fmtJa                   // ja +0x8
	fmtJmpImm               // jeq r1, 0x4, +8
	fmtJmpReg               // jeq r1, r3, +8
	fmtCall                 // call 0x3
	fmtExit                 // exit
)

type opInfo struct {
	name string
	f    format
}

// opTable maps each opcode rbpf v0.2.8's disassembler knows to its name
// and layout; the zero entry (empty name) means unknown. Built on first use
// rather than at package initialisation.
var opTable = sync.OnceValue(buildOpTable)

func buildOpTable() *[256]opInfo {
	t := new([256]opInfo)
	for name, m := range mnemonics() {
		switch m.kind {
		case kindAluBinary:
			if name != trimWidth(name)+"32" && name != trimWidth(name)+"64" {
				continue
			}
			t[m.opc|ebpf.SrcK] = opInfo{name, fmtAluImm}
			t[m.opc|ebpf.SrcX] = opInfo{name, fmtAluReg}
		case kindJumpCond:
			t[m.opc|ebpf.SrcK] = opInfo{name, fmtJmpImm}
			t[m.opc|ebpf.SrcX] = opInfo{name, fmtJmpReg}
		case kindAluUnary:
			if name != "neg" {
				t[m.opc] = opInfo{name, fmtUnary}
			}
		default:
			if f, ok := kindFormats[m.kind]; ok {
				t[m.opc] = opInfo{name, f}
			}
		}
	}
	t[ebpf.Le] = opInfo{"le", fmtSwap}
	t[ebpf.Be] = opInfo{"be", fmtSwap}
	t[ebpf.StWXadd] = opInfo{"stxxaddw", fmtStReg}
	t[ebpf.StDWXadd] = opInfo{"stxxadddw", fmtStReg}
	return t
}

// kindFormats gives the layout of the mnemonics that have one opcode each.
var kindFormats = map[insnKind]format{
	kindLoadAbs: fmtLdAbs, kindLoadInd: fmtLdInd, kindLoadReg: fmtLdReg,
	kindStoreImm: fmtStImm, kindStoreReg: fmtStReg, kindJumpAlways: fmtJa,
	kindCallImm: fmtCall, kindCallReg: fmtCall, kindNoOperand: fmtExit,
}

// trimWidth drops a trailing "32" or "64" from a mnemonic.
func trimWidth(name string) string {
	if n := len(name); n > 2 && (name[n-2:] == "32" || name[n-2:] == "64") {
		return name[:n-2]
	}
	return name
}

// describe returns the mnemonic and description of a one-slot instruction.
func describe(i ebpf.Insn) (name, desc string) {
	info := opTable()[i.Opc]
	if info.name == "" {
		return "unknown", fmt.Sprintf("unknown opcode=%#x", uint8(i.Opc))
	}
	return info.name, info.f.text(info.name, i)
}

func (f format) text(name string, i ebpf.Insn) string {
	imm, off := uint32(i.Imm), uint16(i.Off)
	switch f {
	case fmtAluImm:
		return fmt.Sprintf("%s r%d, %#x", name, i.Dst, imm)
	case fmtAluReg:
		return fmt.Sprintf("%s r%d, r%d", name, i.Dst, i.Src)
	case fmtUnary:
		return fmt.Sprintf("%s r%d", name, i.Dst)
	case fmtSwap:
		return fmt.Sprintf("%s%d r%d", name, i.Imm, i.Dst)
	case fmtStImm:
		return fmt.Sprintf("%s [r%d+%#x], %#x", name, i.Dst, off, imm)
	case fmtLdReg:
		return fmt.Sprintf("%s r%d, [r%d+%#x]", name, i.Dst, i.Src, off)
	case fmtStReg:
		return fmt.Sprintf("%s [r%d+%#x], r%d", name, i.Dst, off, i.Src)
	case fmtLdAbs, fmtCall:
		return fmt.Sprintf("%s %#x", name, imm)
	case fmtLdInd:
		return fmt.Sprintf("%s r%d, %#x", name, i.Src, imm)
	case fmtJa:
		return fmt.Sprintf("%s +%#x", name, off)
	case fmtJmpImm:
		return fmt.Sprintf("%s r%d, %#x, %+d", name, i.Dst, imm, i.Off)
	case fmtJmpReg:
		return fmt.Sprintf("%s r%d, r%d, %+d", name, i.Dst, i.Src, i.Off)
	}
	return name
}
