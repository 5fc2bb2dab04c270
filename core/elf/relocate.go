package elf

import (
	"encoding/binary"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Relocation types as rbpf numbers them (the x86-64 numbers).
const (
	relocRelative = 8  // R_BPF_64_RELATIVE
	reloc64_32    = 10 // R_BPF_64_32
)

const opCallImm = 0x85

var le = binary.LittleEndian

// span returns the n bytes of b at start, or nil when they are not all
// inside b (rbpf's checked get_mut with a saturating end).
func span(b []byte, start, n uint64) []byte {
	end := satAdd(start, n)
	if end > uint64(len(b)) {
		return nil
	}
	return b[start:end]
}

// clip returns a copy of up to n bytes of b at start, for the log.
func clip(b []byte, start, n uint64) Hex {
	if start >= uint64(len(b)) {
		return nil
	}
	end := min(satAdd(start, n), uint64(len(b)))
	return append(Hex(nil), b[start:end]...)
}

// fixupRelativeCalls is rbpf's fixup_relative_calls: every `call imm` slot
// of text whose imm is not -1 is a call relative to the next instruction.
// Its target is registered under the hash of the caller's own index, and
// that hash replaces the imm. textOff is only used in the log.
func fixupRelativeCalls(calls map[uint32]int, text []byte, textOff uint64, l *Log) *Error {
	n := len(text) / ebpf.InsnSize
	for i := 0; i < n; i++ {
		slot := text[i*ebpf.InsnSize : (i+1)*ebpf.InsnSize]
		imm := int32(le.Uint32(slot[4:]))
		if slot[0] != opCallImm || imm == -1 {
			continue
		}
		target := int64(i) + 1 + int64(imm)
		st := Step{Kind: StepRelativeCall, Reloc: -1, FileOffset: textOff + uint64(i*ebpf.InsnSize), Insn: i, Imm: imm, TargetPC: int(target)}
		if target < 0 || target >= int64(n) {
			return rejectStep(l, st, &Error{Kind: RelativeJumpOutOfBounds, Insn: i + ebpf.ElfInsnDumpOffset})
		}
		var key [8]byte
		le.PutUint64(key[:], uint64(i))
		hash := ebpf.HashSymbolName(key[:])
		_, dup := calls[hash]
		calls[hash] = int(target)
		if dup {
			return rejectStep(l, st, &Error{Kind: RelocationHashCollision, Insn: i + ebpf.ElfInsnDumpOffset})
		}
		if l != nil {
			st.Before = clip(slot, 0, 8)
		}
		le.PutUint32(slot[4:], hash)
		if l != nil {
			st.After = clip(slot, 0, 8)
			st.Key, st.Hash = append(Hex(nil), key[:]...), hash
			st.CallAdded = &CallEntry{Hash: hash, PC: int(target)}
			l.step(st)
		}
	}
	return nil
}

// rejectStep logs st as the step that failed with err.
func rejectStep(l *Log, st Step, err *Error) *Error {
	if l != nil {
		st.Attempted, st.Kind, st.Error = st.Kind, StepRejected, err
		l.step(st)
	}
	return err
}

// relocator applies the dynamic relocations to the file image.
type relocator struct {
	f     *file
	image []byte
	text  *SectionHeader
	calls map[uint32]int
	l     *Log
}

// relocate is rbpf's relocate: the relative-call fixups over .text, then
// each relocation of the DT_REL table in order.
func (r *relocator) relocate() *Error {
	t := r.text
	if err := fixupRelativeCalls(r.calls, r.image[t.Offset:t.fileEnd()], t.Offset, r.l); err != nil {
		return err
	}
	for i := uint64(0); i < r.f.dynrels.count; i++ {
		rel := r.f.dynrels.get(i)
		st := Step{Reloc: int(i), RelocType: rel.Type, FileOffset: rel.Offset, Insn: r.insnIndex(rel.Offset), TargetPC: -1}
		var err *Error
		switch rel.Type {
		case relocRelative:
			err = r.relative(rel, st)
		case reloc64_32:
			err = r.symbolCall(rel, st)
		default:
			err = rejectStep(r.l, st, &Error{Kind: UnknownRelocation, Value: uint64(rel.Type)})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// callSlots counts the `call imm` slots of text, to size the call map.
func callSlots(text []byte) int {
	n := 0
	for i := 0; i+ebpf.InsnSize <= len(text); i += ebpf.InsnSize {
		if text[i] == opCallImm {
			n++
		}
	}
	return n
}

// insnIndex is the .text instruction index holding file offset off, or -1.
func (r *relocator) insnIndex(off uint64) int {
	if off < r.text.Offset || off >= r.text.fileEnd() {
		return -1
	}
	return int((off - r.text.Offset) / ebpf.InsnSize)
}

func (r *relocator) inText(off uint64) bool { return r.insnIndex(off) >= 0 }

// relative handles R_BPF_64_RELATIVE. rbpf reads the referenced address from
// the 32 bits at offset+4 (an lddw's first immediate) whichever section the
// target is in, and rejects 0.
func (r *relocator) relative(rel Reloc, st Step) *Error {
	st.Kind = StepRelativeText
	width := uint64(16)
	if !r.inText(rel.Offset) {
		st.Kind, width = StepRelativeData, 8
	}
	if r.l != nil {
		st.Before = clip(r.image, rel.Offset, width)
	}
	immOff := satAdd(rel.Offset, 4)
	src := span(r.image, immOff, 4)
	if src == nil {
		return rejectStep(r.l, st, kindError(OutOfBounds))
	}
	st.VirtAddr = uint64(le.Uint32(src))
	if st.VirtAddr == 0 {
		return rejectStep(r.l, st, &Error{Kind: InvalidVirtualAddress, Value: 0})
	}
	st.PhysAddr = ebpf.MMProgramStart + st.VirtAddr
	if st.Kind == StepRelativeText {
		lo := span(r.image, immOff, 4)
		le.PutUint32(lo, uint32(st.PhysAddr))
		hi := span(r.image, satAdd(immOff, ebpf.InsnSize), 4)
		if hi == nil {
			return rejectStep(r.l, st, kindError(OutOfBounds))
		}
		le.PutUint32(hi, uint32(st.PhysAddr>>32))
	} else {
		dst := span(r.image, rel.Offset, 8)
		if dst == nil {
			return rejectStep(r.l, st, kindError(OutOfBounds))
		}
		le.PutUint64(dst, st.PhysAddr)
	}
	if r.l != nil {
		st.After = clip(r.image, rel.Offset, width)
		r.l.step(st)
	}
	return nil
}

// symbolCall handles R_BPF_64_32: the dynamic symbol's name is hashed into
// the imm at offset+4, and a function symbol with a value is registered
// under that hash.
func (r *relocator) symbolCall(rel Reloc, st Step) *Error {
	st.Kind, st.SymIndex = StepSymbolCall, rel.Sym
	if r.l != nil {
		st.Before = clip(r.image, rel.Offset, 8)
	}
	sym, ok := r.f.dynsyms.get(rel.Sym)
	if !ok {
		return rejectStep(r.l, st, &Error{Kind: UnknownSymbol, Value: rel.Sym})
	}
	name, status := r.f.dynstrtab.get(uint64(sym.NameOffset))
	if status != strOK {
		return rejectStep(r.l, st, &Error{Kind: UnknownSymbol, Value: uint64(sym.NameOffset)})
	}
	hash := ebpf.HashSymbolName(name)
	if r.l != nil {
		st.Symbol, st.Key, st.Hash = string(name), append(Hex(nil), name...), hash
	}
	dst := span(r.image, satAdd(rel.Offset, 4), 4)
	if dst == nil {
		return rejectStep(r.l, st, kindError(OutOfBounds))
	}
	le.PutUint32(dst, hash)
	if sym.IsFunction() && sym.Value != 0 {
		t := r.text
		if sym.Value < t.Addr || sym.Value >= t.vmEnd() {
			return rejectStep(r.l, st, kindError(OutOfBounds))
		}
		pc := int((sym.Value - t.Addr) / ebpf.InsnSize)
		r.calls[hash] = pc
		st.TargetPC = pc
		if r.l != nil {
			st.CallAdded = &CallEntry{Hash: hash, PC: pc}
		}
	}
	if r.l != nil {
		st.After = clip(r.image, rel.Offset, 8)
		r.l.step(st)
	}
	return nil
}
