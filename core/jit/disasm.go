package jit

import "golang.org/x/arch/x86/x86asm"

// InsnCode is the machine code of one eBPF instruction slot.
type InsnCode struct {
	// PC is the slot index.
	PC int
	// Native is the slot's machine code: its meter check (when a segment
	// starts there), its trace recording (when tracing) and its body.
	// Out-of-line paths (errors, region search, trace flush) are shared or
	// placed after all slots and are not included.
	Native []byte
	// Text is Native decoded, one x86 instruction per entry, in Intel
	// syntax with jump targets as offsets into Program.Code.
	Text []string
}

// Disassemble pairs every instruction slot of p with the x86-64 code it
// became, decoded with x86asm. It is pure Go, so the browser can show it.
func Disassemble(p *Program) []InsnCode {
	out := make([]InsnCode, p.Slots)
	for pc := range out {
		out[pc] = p.SlotCode(pc)
	}
	return out
}

// SlotCode is the machine code of slot pc (0 <= pc < Slots), decoded as
// Disassemble decodes it; a view of one slot need not decode the rest.
func (p *Program) SlotCode(pc int) InsnCode {
	start, end := p.PCOffsets[pc], p.PCOffsets[pc+1]
	return InsnCode{PC: pc, Native: p.Code[start:end], Text: decodeRange(p.Code, start, end)}
}

// decodeRange decodes code[start:end]; addresses are offsets in code.
func decodeRange(code []byte, start, end int) []string {
	var text []string
	for off := start; off < end; {
		inst, err := x86asm.Decode(code[off:end], 64)
		if err != nil {
			text = append(text, "(bad)")
			off++
			continue
		}
		text = append(text, x86asm.IntelSyntax(inst, uint64(off), nil))
		off += inst.Len
	}
	return text
}

// DisassembleRoutines decodes the code after the last slot: the end-of-text
// check, the shared routines and the out-of-line paths, up to the dispatch
// table.
func DisassembleRoutines(p *Program) []string {
	return decodeRange(p.Code, p.PCOffsets[p.Slots], p.tableOff)
}
