package inspect

import (
	stdelf "debug/elf"
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/elf"
)

// The names below turn the numbers core/elf reports into the names readelf
// uses, for the text rendering and for any UI showing a Document.

// TypeName names an e_type value, e.g. "ET_DYN".
func TypeName(t uint16) string { return stdelf.Type(t).String() }

// EMSBPF is e_machine 263, EM_SBPF: the machine number of SBPFv3 programs
// (SIMD-0189's stricter ELF headers), which debug/elf does not name.
const EMSBPF = 263

// MachineName names an e_machine value, e.g. "EM_BPF".
func MachineName(m uint16) string {
	if m == EMSBPF {
		return "EM_SBPF"
	}
	return stdelf.Machine(m).String()
}

// MachineMeaning says what an e_machine value means for a Solana program
// and what rbpf v0.2.8, which accepts only EM_BPF (247), does with it.
func MachineMeaning(m uint16) string {
	switch m {
	case uint16(stdelf.EM_BPF):
		return "eBPF: the machine rbpf v0.2.8 loads"
	case EMSBPF:
		return "SBPF, the machine of SBPFv3 programs (static syscalls, stricter ELF headers); " +
			"rbpf v0.2.8 knows only EM_BPF (247) and rejects the file (WrongMachine)"
	}
	return "not eBPF: rbpf v0.2.8 accepts only EM_BPF (247) and rejects the file (WrongMachine)"
}

// FlagsMeaning says what e_flags means to Solana's later loaders, which
// read the SBPF version from it, and that rbpf v0.2.8 never reads it: it
// runs every file it accepts as the one version it knows (later called
// SBPFv0).
func FlagsMeaning(f uint32) string {
	const ignored = "; rbpf v0.2.8 does not read e_flags and runs the file as v0"
	switch f {
	case 0:
		return "SBPFv0: the original format, the only one rbpf v0.2.8 knows"
	case 1:
		return "SBPFv1 (dynamic stack frames, SIMD-0166) to later loaders" + ignored
	case 2:
		return "SBPFv2 (new instruction encodings and arithmetic, no lddw or le; SIMD-0173, SIMD-0174) to later loaders" + ignored +
			", so instructions of the new encodings fail"
	case 3:
		return "SBPFv3 (static syscalls, stricter ELF headers; SIMD-0178, SIMD-0179, SIMD-0189) to later loaders, " +
			"which expect e_machine EM_SBPF (263); rbpf v0.2.8 does not read e_flags, but rejects EM_SBPF"
	case 0x20:
		return "EF_SBF_V2, the SBPFv2 flag of rbpf 0.3 to 0.8" + ignored
	}
	return "no SBPF version defines these flags" + ignored
}

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
	return SymbolBindName(info) + " " + SymbolTypeName(info)
}

// SymbolBindName names a symbol's binding, e.g. "GLOBAL".
func SymbolBindName(info uint8) string {
	return strings.TrimPrefix(stdelf.ST_BIND(info).String(), "STB_")
}

// SymbolTypeName names a symbol's type, e.g. "FUNC".
func SymbolTypeName(info uint8) string {
	return strings.TrimPrefix(stdelf.ST_TYPE(info).String(), "STT_")
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

// CheckError is the error a failed check adds to what it found, "" when
// there is none or when the finding already says it (a parse failure finds
// the parser's message, which the error repeats).
func CheckError(c elf.Check) string {
	if c.Error == nil {
		return ""
	}
	e := c.Error.Error()
	if c.Got != "" && strings.Contains(e, c.Got) {
		// The error only repeats the finding: keep the error, which
		// names rbpf's variant, and drop nothing a reader needs.
		return strings.TrimSuffix(strings.TrimSuffix(e, c.Got), ": ")
	}
	return e
}
