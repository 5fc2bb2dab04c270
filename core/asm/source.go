package asm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Source turns program bytes back into text that Assemble turns into the
// same bytes. Unlike rbpf's descriptions (Desc), which print immediates and
// offsets as unsigned hexadecimal and so cannot always be reassembled, it
// writes signed decimal numbers. It fails on slots that no source text
// produces: unknown opcodes, the xadd stores (which the v0.2.8 assembler has
// no mnemonic for), byte swaps of another width, fields an instruction does
// not use set to non-zero, and a truncated lddw.
func Source(prog []byte) (string, error) {
	var b strings.Builder
	for _, l := range DisassembleInsns(prog) {
		text, err := sourceLine(prog, l)
		if err != nil {
			return "", fmt.Errorf("slot %d (%s): %w", l.Ptr, l.Desc, err)
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

var errNoSource = errors.New("no source text encodes this slot")

func sourceLine(prog []byte, l Line) (string, error) {
	if l.Opc == ebpf.LdDwImm {
		return lddwSource(prog, l)
	}
	// The assembler has mnemonics for the executed opcodes only.
	info := infoOf(l.Opc)
	if !l.Opc.Executed() || (info.f == ebpf.FormEndian && !ebpf.ValidWidth(l.Insn.Imm)) {
		return "", errNoSource
	}
	i := l.Insn
	text, used := operandText(info, i)
	if used != i {
		return "", errNoSource
	}
	return text, nil
}

// operandText writes the instruction and returns it with only the fields
// that the text carries; any difference from the real slot means the text
// would not reproduce it.
func operandText(info opInfo, i ebpf.Insn) (string, ebpf.Insn) {
	u := ebpf.Insn{Opc: i.Opc}
	mem := func(reg uint8) string { return fmt.Sprintf("[r%d%+d]", reg, i.Off) }
	switch info.f {
	case ebpf.FormAluImm, ebpf.FormLoadInd, ebpf.FormLoadAbs, ebpf.FormCall, ebpf.FormCallReg, ebpf.FormExit, ebpf.FormUnary:
		return simpleText(info, i)
	case ebpf.FormAluReg:
		u.Dst, u.Src = i.Dst, i.Src
		return fmt.Sprintf("%s r%d, r%d", info.name, i.Dst, i.Src), u
	case ebpf.FormEndian:
		u.Dst, u.Imm = i.Dst, i.Imm
		return fmt.Sprintf("%s%d r%d", info.name, i.Imm, i.Dst), u
	case ebpf.FormStoreImm:
		u.Dst, u.Off, u.Imm = i.Dst, i.Off, i.Imm
		return fmt.Sprintf("%s %s, %d", info.name, mem(i.Dst), i.Imm), u
	case ebpf.FormLoadReg:
		u.Dst, u.Src, u.Off = i.Dst, i.Src, i.Off
		return fmt.Sprintf("%s r%d, %s", info.name, i.Dst, mem(i.Src)), u
	case ebpf.FormStoreReg:
		u.Dst, u.Src, u.Off = i.Dst, i.Src, i.Off
		return fmt.Sprintf("%s %s, r%d", info.name, mem(i.Dst), i.Src), u
	case ebpf.FormJa:
		u.Off = i.Off
		return fmt.Sprintf("ja %+d", i.Off), u
	case ebpf.FormJumpImm:
		u.Dst, u.Off, u.Imm = i.Dst, i.Off, i.Imm
		return fmt.Sprintf("%s r%d, %d, %+d", info.name, i.Dst, i.Imm, i.Off), u
	}
	u.Dst, u.Src, u.Off = i.Dst, i.Src, i.Off
	return fmt.Sprintf("%s r%d, r%d, %+d", info.name, i.Dst, i.Src, i.Off), u
}

// simpleText handles the layouts without memory operands or offsets.
func simpleText(info opInfo, i ebpf.Insn) (string, ebpf.Insn) {
	u := ebpf.Insn{Opc: i.Opc}
	switch info.f {
	case ebpf.FormAluImm:
		u.Dst, u.Imm = i.Dst, i.Imm
		return fmt.Sprintf("%s r%d, %d", info.name, i.Dst, i.Imm), u
	case ebpf.FormLoadInd:
		u.Src, u.Imm = i.Src, i.Imm
		return fmt.Sprintf("%s r%d, %d", info.name, i.Src, i.Imm), u
	case ebpf.FormLoadAbs, ebpf.FormCall, ebpf.FormCallReg:
		u.Imm = i.Imm
		return fmt.Sprintf("%s %d", info.name, i.Imm), u
	case ebpf.FormUnary:
		u.Dst = i.Dst
		return fmt.Sprintf("%s r%d", info.name, i.Dst), u
	}
	return info.name, u
}

func lddwSource(prog []byte, l Line) (string, error) {
	if l.Truncated {
		return "", errNoSource
	}
	hi := ebpf.DecodeSlot(prog[(l.Ptr+1)*ebpf.InsnSize:])
	if l.Insn.Src != 0 || l.Insn.Off != 0 || hi.Opc != 0 || hi.Dst != 0 || hi.Src != 0 || hi.Off != 0 {
		return "", errNoSource
	}
	return l.Desc, nil
}
