package asm

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Rust prints negative integers in hexadecimal as their two's complement
// at the integer's own width; the uint16/uint32 conversions below do the
// same. A jump offset is printed with `{:+}` (signed decimal), except for
// `ja`, whose `{:+#x}` always shows "+" followed by the 16-bit pattern.

// opInfo is what the disassembler needs of an opcode: rbpf's mnemonic
// ("" for an opcode it does not know) and the operand form that decides
// the layout of the description.
type opInfo struct {
	name string
	f    ebpf.Form
}

func infoOf(op ebpf.OpCode) opInfo { return opInfo{op.Mnemonic(), op.Form()} }

// describe returns the mnemonic and description of a one-slot instruction.
func describe(i ebpf.Insn) (name, desc string) {
	info := infoOf(i.Opc)
	if info.name == "" {
		return "unknown", fmt.Sprintf("unknown opcode=%#x", uint8(i.Opc))
	}
	return info.name, info.text(i)
}

// text is the description of i in the layout of its form.
func (info opInfo) text(i ebpf.Insn) string {
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
