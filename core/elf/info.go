package elf

// Info is what the loader's parser sees in a file, for display: the
// header, the program and section headers, the PT_DYNAMIC entries, both
// symbol tables and the dynamic relocations the loader applies.
type Info struct {
	Size           int             `json:"size"`
	Header         Header          `json:"header"`
	ProgramHeaders []ProgramHeader `json:"program_headers"`
	Sections       []SectionInfo   `json:"sections"`
	// Dynamic is nil when the file has no PT_DYNAMIC segment.
	Dynamic        []DynamicEntry `json:"dynamic"`
	DynamicSymbols []SymbolInfo   `json:"dynamic_symbols"`
	Symbols        []SymbolInfo   `json:"symbols"`
	Relocations    []RelocInfo    `json:"relocations"`
}

// SectionInfo is a section header with its name from .shstrtab ("" when
// the name cannot be read).
type SectionInfo struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	SectionHeader
}

// SymbolInfo is a symbol with its name from its string table.
type SymbolInfo struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	Symbol
}

// RelocInfo is a dynamic relocation with its symbol's name, if any.
type RelocInfo struct {
	Reloc
	SymbolName string `json:"symbol_name,omitempty"`
}

// Inspect parses data as the loader does and describes it. It fails with
// the loader's FailedToParse error when the loader would.
func Inspect(data []byte) (*Info, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, err
	}
	return f.info(), nil
}

// info builds the Info of a parsed file. Every list is bounded by the file
// size (each entry is at least 8 bytes of the file) and names are
// substrings of one copy of their table.
func (f *file) info() *Info {
	in := &Info{
		Size:           len(f.data),
		Header:         f.header,
		ProgramHeaders: append([]ProgramHeader{}, f.phdrs...),
		Sections:       make([]SectionInfo, len(f.shdrs)),
		Dynamic:        f.dynamic,
	}
	shstr := string(f.shstrtab.b)
	for i, s := range f.shdrs {
		name, _ := lookupName(f.shstrtab, shstr, s.NameOffset)
		in.Sections[i] = SectionInfo{Index: i, Name: name, SectionHeader: s}
	}
	in.DynamicSymbols = symbolInfos(f.dynsyms, f.dynstrtab)
	in.Symbols = symbolInfos(f.syms, f.strtab)
	in.Relocations = make([]RelocInfo, f.dynrels.count)
	for i := range in.Relocations {
		r := f.dynrels.get(uint64(i))
		in.Relocations[i].Reloc = r
		if r.Sym < uint64(len(in.DynamicSymbols)) && r.Sym != 0 {
			in.Relocations[i].SymbolName = in.DynamicSymbols[r.Sym].Name
		}
	}
	return in
}

func symbolInfos(t symtab, names strtab) []SymbolInfo {
	whole := string(names.b)
	out := make([]SymbolInfo, t.count)
	for i := range out {
		s, _ := t.get(uint64(i))
		name, _ := lookupName(names, whole, s.NameOffset)
		out[i] = SymbolInfo{Index: i, Name: name, Symbol: s}
	}
	return out
}
