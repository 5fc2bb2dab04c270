package inspect

import (
	stdelf "debug/elf"
	"fmt"
	"strings"
)

// The names below turn the numbers core/elf reports into the names readelf
// uses, for the text rendering and for any UI showing a Document.

// TypeName names an e_type value, e.g. "ET_DYN".
func TypeName(t uint16) string { return stdelf.Type(t).String() }

// MachineName names an e_machine value, e.g. "EM_BPF".
func MachineName(m uint16) string { return stdelf.Machine(m).String() }

// ClassName names EI_CLASS, e.g. "ELFCLASS64".
func ClassName(c byte) string { return stdelf.Class(c).String() }

// DataName names EI_DATA, e.g. "ELFDATA2LSB".
func DataName(d byte) string { return stdelf.Data(d).String() }

// OSABIName names EI_OSABI, e.g. "ELFOSABI_NONE".
func OSABIName(o byte) string { return stdelf.OSABI(o).String() }

// SegmentTypeName names a p_type value, e.g. "PT_LOAD".
func SegmentTypeName(t uint32) string { return stdelf.ProgType(t).String() }

// SectionTypeName names an sh_type value, e.g. "SHT_PROGBITS".
func SectionTypeName(t uint32) string { return stdelf.SectionType(t).String() }

// DynTagName names a d_tag value, e.g. "DT_REL".
func DynTagName(t uint64) string { return stdelf.DynTag(t).String() }

// SymbolKindName names a symbol's binding and type, e.g. "GLOBAL FUNC".
func SymbolKindName(info uint8) string {
	bind := strings.TrimPrefix(stdelf.ST_BIND(info).String(), "STB_")
	typ := strings.TrimPrefix(stdelf.ST_TYPE(info).String(), "STT_")
	return bind + " " + typ
}

// SegmentFlags renders p_flags as "RWX" letters ("R-X").
func SegmentFlags(f uint32) string {
	return flagLetters(uint64(f), []flagBit{{4, 'R'}, {2, 'W'}, {1, 'X'}})
}

// SectionFlags renders sh_flags as readelf's letters: W (write), A
// (alloc), X (execute).
func SectionFlags(f uint64) string {
	return flagLetters(f, []flagBit{{1, 'W'}, {2, 'A'}, {4, 'X'}})
}

type flagBit struct {
	bit    uint64
	letter byte
}

func flagLetters(f uint64, bits []flagBit) string {
	b := make([]byte, len(bits))
	for i, fb := range bits {
		b[i] = '-'
		if f&fb.bit != 0 {
			b[i] = fb.letter
		}
	}
	return string(b)
}

// RelocTypeName names the relocation types rbpf v0.2.8 knows (it uses the
// x86-64 numbers): 0 R_BPF_NONE, 8 R_BPF_64_RELATIVE, 10 R_BPF_64_32.
// Type 1 is R_BPF_64_64 of later toolchains, which v0.2.8 rejects.
func RelocTypeName(t uint32) string {
	switch t {
	case 0:
		return "R_BPF_NONE"
	case 1:
		return "R_BPF_64_64"
	case 8:
		return "R_BPF_64_RELATIVE"
	case 10:
		return "R_BPF_64_32"
	}
	return fmt.Sprintf("type %d", t)
}
