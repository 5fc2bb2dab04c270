package asm

import (
	"fmt"
	"strconv"

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

// text is the description of i in the layout of its form. It is built
// with strconv appends rather than fmt: the page disassembles a whole
// program of 30 000 instructions when it first lists it, and fmt made that
// three times slower (describe_test.go keeps fmt's layouts as the oracle).
func (info opInfo) text(i ebpf.Insn) string {
	imm, off := uint64(uint32(i.Imm)), uint64(uint16(i.Off))
	b := make([]byte, 0, 40)
	b = append(b, info.name...)
	switch info.f {
	case ebpf.FormAluImm:
		b = appendHex(appendReg(append(b, ' '), i.Dst).appendSep(), imm)
	case ebpf.FormAluReg:
		b = appendReg(appendReg(append(b, ' '), i.Dst).appendSep(), i.Src)
	case ebpf.FormUnary:
		b = appendReg(append(b, ' '), i.Dst)
	case ebpf.FormEndian:
		b = appendReg(append(strconv.AppendInt(b, int64(i.Imm), 10), ' '), i.Dst)
	case ebpf.FormStoreImm:
		b = appendHex(append(appendHex(append(appendReg(append(b, " ["...), i.Dst), '+'), off), "], "...), imm)
	case ebpf.FormLoadReg:
		b = append(appendHex(append(appendReg(appendReg(append(b, ' '), i.Dst).appendSep().appendStr("["), i.Src), '+'), off), ']')
	case ebpf.FormStoreReg:
		b = appendReg(append(appendHex(append(appendReg(append(b, " ["...), i.Dst), '+'), off), "], "...), i.Src)
	case ebpf.FormLoadAbs, ebpf.FormCall, ebpf.FormCallReg:
		b = appendHex(append(b, ' '), imm)
	case ebpf.FormLoadInd:
		b = appendHex(appendReg(append(b, ' '), i.Src).appendSep(), imm)
	case ebpf.FormJa:
		b = appendHex(append(b, " +"...), off)
	case ebpf.FormJumpImm:
		b = appendOff(appendHex(appendReg(append(b, ' '), i.Dst).appendSep(), imm).appendSep(), i.Off)
	case ebpf.FormJumpReg:
		b = appendOff(appendReg(appendReg(append(b, ' '), i.Dst).appendSep(), i.Src).appendSep(), i.Off)
	default:
		return info.name
	}
	return string(b)
}

// text is a description being built.
type text []byte

func (b text) appendSep() text         { return append(b, ", "...) }
func (b text) appendStr(s string) text { return append(b, s...) }

// appendReg appends "rN".
func appendReg(b text, r uint8) text { return strconv.AppendUint(append(b, 'r'), uint64(r), 10) }

// appendHex appends v as fmt's %#x does.
func appendHex(b text, v uint64) text { return strconv.AppendUint(append(b, "0x"...), v, 16) }

// appendOff appends a jump offset as fmt's %+d does.
func appendOff(b text, off int16) text {
	if off >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, int64(off), 10)
}
