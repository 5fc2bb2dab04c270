package jit

import (
	"encoding/hex"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Listing is a compiled program for people to read: every eBPF instruction
// with the x86-64 code it became. `rbpf jit --json` prints it and
// POST /api/jit answers it, so the two have one shape.
type Listing struct {
	// Slots is the number of instruction slots (an lddw takes two).
	Slots int `json:"slots"`
	// CodeBytes is the size of the whole machine code image.
	CodeBytes int `json:"code_bytes"`
	// Blinding and CompileNS describe the compilation; NewListing leaves
	// them for the caller, which compiled the program.
	Blinding  bool  `json:"blinding"`
	CompileNS int64 `json:"compile_ns"`
	// Insns has one entry per instruction, in text order.
	Insns []ListingInsn `json:"insns"`
	// Routines is the code after the last instruction (DisassembleRoutines),
	// when the caller asked for it.
	Routines []string `json:"routines,omitempty"`
}

// ListingInsn is one eBPF instruction and its machine code.
type ListingInsn struct {
	// PC is the instruction's first slot; Insn is PC + 29, the number
	// rbpf's errors give it.
	PC   int `json:"pc"`
	Insn int `json:"insn"`
	// Asm is rbpf's disassembly of the instruction.
	Asm string `json:"asm"`
	// Offset is where its code starts in the image, Bytes how long the
	// code is and Native the code itself in hex (for an lddw, the code of
	// both slots).
	Offset int    `json:"offset"`
	Bytes  int    `json:"bytes"`
	Native string `json:"native"`
	// X86 is the code decoded, one x86-64 instruction per entry (Intel
	// syntax, jump targets as offsets in the image).
	X86 []string `json:"x86"`
}

// NewListing pairs each instruction of text, the program p was compiled
// from, with its machine code.
func NewListing(p *Program, text []byte) Listing {
	code := Disassemble(p)
	l := Listing{Slots: p.Slots, CodeBytes: len(p.Code), Insns: []ListingInsn{}}
	for _, d := range asm.DisassembleInsns(text) {
		if d.Ptr >= len(code) {
			break
		}
		in := ListingInsn{PC: d.Ptr, Insn: d.Ptr + ebpf.ElfInsnDumpOffset, Asm: d.Desc, Offset: p.PCOffsets[d.Ptr], X86: []string{}}
		var native []byte
		for pc := d.Ptr; pc < d.Ptr+d.Slots && pc < len(code); pc++ {
			native = append(native, code[pc].Native...)
			in.X86 = append(in.X86, code[pc].Text...)
		}
		in.Bytes, in.Native = len(native), hex.EncodeToString(native)
		l.Insns = append(l.Insns, in)
	}
	return l
}
