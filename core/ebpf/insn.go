package ebpf

import (
	"encoding/binary"
	"fmt"
)

// Insn is one decoded instruction slot:
//
//	byte 0     1          2-3        4-7
//	+--------+----+----+----------+------------------+
//	| opcode |src |dst | offset   | immediate        |
//	+--------+----+----+----------+------------------+
//	           hi   lo   int16 LE   int32 LE
//
// An lddw occupies two slots; the second holds the upper 32 bits of the
// constant in its immediate.
type Insn struct {
	Opc OpCode
	Dst uint8
	Src uint8
	Off int16
	Imm int32
}

// String formats the fields the way rbpf's Debug output for Insn does.
func (i Insn) String() string {
	return fmt.Sprintf("Insn { opc: 0x%02x, dst: %d, src: %d, off: 0x%04x, imm: 0x%08x }",
		i.Opc, i.Dst, i.Src, uint16(i.Off), uint32(i.Imm))
}

// Encode returns the 8-byte encoding of the instruction.
func (i Insn) Encode() [InsnSize]byte {
	var b [InsnSize]byte
	b[0] = byte(i.Opc)
	b[1] = i.Src<<4 | i.Dst&0x0f
	binary.LittleEndian.PutUint16(b[2:], uint16(i.Off))
	binary.LittleEndian.PutUint32(b[4:], uint32(i.Imm))
	return b
}

// Append appends the encoding of the instruction to buf.
func (i Insn) Append(buf []byte) []byte {
	b := i.Encode()
	return append(buf, b[:]...)
}

// DecodeSlot decodes the 8 bytes of b, which must be at least InsnSize long.
func DecodeSlot(b []byte) Insn {
	_ = b[7]
	return Insn{
		Opc: OpCode(b[0]),
		Dst: b[1] & 0x0f,
		Src: b[1] >> 4,
		Off: int16(binary.LittleEndian.Uint16(b[2:])),
		Imm: int32(binary.LittleEndian.Uint32(b[4:])),
	}
}

// GetInsn decodes slot pc of prog. ok is false when the slot does not lie
// entirely within prog.
func GetInsn(prog []byte, pc int) (insn Insn, ok bool) {
	if pc < 0 || pc >= len(prog)/InsnSize {
		return Insn{}, false
	}
	return DecodeSlot(prog[pc*InsnSize:]), true
}

// Decode splits prog into instruction slots. Trailing bytes that do not form
// a whole slot are ignored.
func Decode(prog []byte) []Insn {
	n := len(prog) / InsnSize
	out := make([]Insn, n)
	for pc := range out {
		out[pc] = DecodeSlot(prog[pc*InsnSize:])
	}
	return out
}

// Encode concatenates the encodings of insns.
func Encode(insns []Insn) []byte {
	out := make([]byte, 0, len(insns)*InsnSize)
	for _, i := range insns {
		out = i.Append(out)
	}
	return out
}
