package asm

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Line is one disassembled instruction, rbpf's `HlInsn`.
type Line struct {
	// Ptr is the slot index of the instruction.
	Ptr int
	// Opc is the opcode byte.
	Opc ebpf.OpCode
	// Name is the mnemonic ("add64", "lddw", "unknown").
	Name string
	// Desc is the instruction as rbpf v0.2.8 prints it ("add64 r1, 0x5").
	Desc string
	// Insn is the decoded first slot.
	Insn ebpf.Insn
	// Imm is the immediate widened to 64 bits; for lddw it is the whole
	// constant built from both slots.
	Imm int64
	// Slots is how many slots the instruction occupies: 2 for lddw, else 1.
	Slots int
	// Truncated is set on an lddw in the last slot, whose upper half is
	// missing (rbpf v0.2.8 panics there; this package reads it as 0).
	Truncated bool
}

// DisassembleInsns decodes prog into one Line per instruction, like rbpf's
// `to_insn_vec`: an lddw is one Line covering two slots. It never panics:
// trailing bytes that do not fill a slot are ignored, an lddw without its
// second slot gets 0 as its upper half and is marked Truncated, and opcodes
// rbpf does not know become "unknown opcode=0x..".
func DisassembleInsns(prog []byte) []Line {
	n := len(prog) / ebpf.InsnSize
	out := make([]Line, 0, n)
	for pc := 0; pc < n; {
		l := decodeLine(prog, pc, n)
		out = append(out, l)
		pc += l.Slots
	}
	return out
}

// DecodeAt disassembles the single instruction at slot pc. ok is false when
// pc is outside the program.
func DecodeAt(prog []byte, pc int) (l Line, ok bool) {
	n := len(prog) / ebpf.InsnSize
	if pc < 0 || pc >= n {
		return Line{}, false
	}
	return decodeLine(prog, pc, n), true
}

func decodeLine(prog []byte, pc, n int) Line {
	insn := ebpf.DecodeSlot(prog[pc*ebpf.InsnSize:])
	l := Line{Ptr: pc, Opc: insn.Opc, Insn: insn, Imm: int64(insn.Imm), Slots: 1}
	if insn.Opc == ebpf.LdDwImm {
		l.Slots = 2
		var hi uint32
		if pc+1 < n {
			hi = uint32(ebpf.DecodeSlot(prog[(pc+1)*ebpf.InsnSize:]).Imm)
		} else {
			l.Truncated = true
		}
		l.Imm = int64(uint64(uint32(insn.Imm)) | uint64(hi)<<32)
		l.Name = "lddw"
		l.Desc = string(appendHex(appendReg(text("lddw "), insn.Dst).appendSep(), uint64(l.Imm)))
		return l
	}
	l.Name, l.Desc = describe(insn)
	return l
}

// Disassemble returns what rbpf v0.2.8's `disassemble` prints: one line per
// instruction, the slot index plus 29 right-aligned in five columns, a
// space and the description. Like rbpf it first prints a warning for each
// byte swap whose width is not 16, 32 or 64.
func Disassemble(prog []byte) string {
	lines := DisassembleInsns(prog)
	var b strings.Builder
	for _, l := range lines {
		if l.Opc.Form() == ebpf.FormEndian && !ebpf.ValidWidth(l.Insn.Imm) {
			fmt.Fprintf(&b, "[Disassembler] Warning: Invalid offset value for %s insn\n", l.Name)
		}
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "%5d %s\n", l.Ptr+ebpf.ElfInsnDumpOffset, l.Desc)
	}
	return b.String()
}
