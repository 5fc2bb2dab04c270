package ui

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

func x64(v uint64) string { return fmt.Sprintf("0x%x", v) }

// Parsed reports whether the file parsed far enough to have headers.
func (p *Loaded) Parsed() bool { return p.Log != nil && p.Log.Info != nil }

// HeaderTable lists the ELF header fields with their meaning.
func (p *Loaded) HeaderTable() *DataTable {
	t := &DataTable{ID: "elf-header", Title: "ELF header", Head: []string{"field", "value", "meaning"}}
	if p.Log == nil || p.Log.Info == nil {
		t.Note = "The file did not parse, so there is no header to show."
		return t
	}
	h := p.Log.Info.Header
	add := func(f, v, m string) { t.Rows = append(t.Rows, Row{Cells: []string{f, v, m}}) }
	add("e_ident[EI_CLASS]", fmt.Sprint(h.Ident[4]), pick(h.Ident[4], map[uint64]string{1: "ELF32", 2: "ELF64"}))
	add("e_ident[EI_DATA]", fmt.Sprint(h.Ident[5]), pick(h.Ident[5], map[uint64]string{1: "little-endian", 2: "big-endian"}))
	add("e_ident[EI_OSABI]", fmt.Sprint(h.Ident[7]), pick(h.Ident[7], map[uint64]string{0: "System V"}))
	add("e_type", fmt.Sprint(h.Type), pick(h.Type, map[uint64]string{1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN (shared object)", 4: "ET_CORE"}))
	add("e_machine", fmt.Sprint(h.Machine), pick(h.Machine, map[uint64]string{247: "EM_BPF", 62: "EM_X86_64", 183: "EM_AARCH64"}))
	add("e_entry", x64(h.Entry), "entrypoint address")
	add("e_phoff", x64(h.Phoff), fmt.Sprintf("%d program headers of %d bytes", h.Phnum, h.Phentsize))
	add("e_shoff", x64(h.Shoff), fmt.Sprintf("%d section headers of %d bytes", h.Shnum, h.Shentsize))
	add("e_shstrndx", fmt.Sprint(h.Shstrndx), "section holding section names")
	add("e_flags", x64(uint64(h.Flags)), "")
	return t
}

func pick[T ~uint8 | ~uint16 | ~uint32](v T, names map[uint64]string) string {
	if n, ok := names[uint64(v)]; ok {
		return n
	}
	return "unknown"
}

// Checklist is the loader's validation checks with their outcomes.
func (p *Loaded) Checklist() *DataTable {
	t := &DataTable{ID: "checklist", Title: "Loader checks", Head: []string{"", "check", "expects", "found"}}
	if p.Log == nil {
		return t
	}
	for _, c := range p.Log.Checks {
		mark := map[elf.CheckStatus]string{elf.CheckPass: "✔", elf.CheckFail: "✘", elf.CheckSkipped: "·"}[c.Status]
		got := c.Got
		if c.Error != nil {
			got += "  →  " + c.Error.Error()
		}
		t.Rows = append(t.Rows, Row{Cells: []string{mark, c.Name, c.Want, got}, Class: string(c.Status)})
	}
	return t
}

var segTypes = map[uint64]string{0: "NULL", 1: "LOAD", 2: "DYNAMIC", 3: "INTERP", 4: "NOTE", 6: "PHDR", 0x6474e551: "GNU_STACK"}

// ProgramHeaders lists the segments.
func (p *Loaded) ProgramHeaders() *DataTable {
	t := &DataTable{ID: "program-headers", Title: "Program headers", Head: []string{"type", "flags", "offset", "vaddr", "filesz", "memsz", "align"}}
	if p.Log == nil || p.Log.Info == nil {
		return t
	}
	for _, ph := range p.Log.Info.ProgramHeaders {
		t.Rows = append(t.Rows, Row{Cells: []string{pick(ph.Type, segTypes), segFlags(ph.Flags), x64(ph.Offset), x64(ph.Vaddr), x64(ph.Filesz), x64(ph.Memsz), x64(ph.Align)}})
	}
	if len(t.Rows) == 0 {
		t.Note = "No program headers."
	}
	return t
}

func segFlags(f uint32) string {
	s := []byte("---")
	if f&4 != 0 {
		s[0] = 'R'
	}
	if f&2 != 0 {
		s[1] = 'W'
	}
	if f&1 != 0 {
		s[2] = 'X'
	}
	return string(s)
}

var secTypes = map[uint64]string{0: "NULL", 1: "PROGBITS", 2: "SYMTAB", 3: "STRTAB", 4: "RELA", 5: "HASH", 6: "DYNAMIC", 7: "NOTE", 8: "NOBITS", 9: "REL", 11: "DYNSYM"}

// vmAddr is where the VM maps section name, if it maps it.
func (p *Loaded) vmAddr(name string) (uint64, bool) {
	if p.Prog == nil {
		return 0, false
	}
	if name == ".text" {
		return p.Prog.TextVaddr, true
	}
	for _, s := range p.Prog.ROSections {
		if s.Name == name {
			return s.Vaddr, true
		}
	}
	return 0, false
}

// Sections lists the section headers with file offsets beside VM addresses.
func (p *Loaded) Sections() *DataTable {
	t := &DataTable{ID: "sections", Title: "Sections", Head: []string{"#", "name", "type", "flags", "file offset", "size", "VM address"}}
	if p.Log == nil || p.Log.Info == nil {
		return t
	}
	for _, s := range p.Log.Info.Sections {
		vm := "not mapped"
		if a, ok := p.vmAddr(s.Name); ok {
			vm = x64(a)
		}
		t.Rows = append(t.Rows, Row{Cells: []string{fmt.Sprint(s.Index), s.Name, pick(s.Type, secTypes), secFlags(s.Flags), x64(s.Offset), x64(s.Size), vm}})
	}
	return limitRows(t, p.openTables(), false)
}

// openTables records which of the file's long tables show all their rows.
func (p *Loaded) openTables() map[string]bool {
	if p.open == nil {
		p.open = map[string]bool{}
	}
	return p.open
}

func secFlags(f uint64) string {
	var b strings.Builder
	for _, x := range []struct {
		bit uint64
		c   byte
	}{{1, 'W'}, {2, 'A'}, {4, 'X'}} {
		if f&x.bit != 0 {
			b.WriteByte(x.c)
		}
	}
	return b.String()
}

var symBinds = map[uint64]string{0: "LOCAL", 1: "GLOBAL", 2: "WEAK"}
var symTypes = map[uint64]string{0: "NOTYPE", 1: "OBJECT", 2: "FUNC", 3: "SECTION", 4: "FILE"}

// symbolTable lists symbols with their names demangled; a demangled row
// has the raw name, which the hash column hashes, as its tooltip.
func symbolTable(id, title string, syms []elf.SymbolInfo, open map[string]bool) *DataTable {
	t := &DataTable{ID: id, Title: title, Head: []string{"#", "name", "bind", "type", "section", "value", "size", "hash (call imm)"}}
	for _, s := range syms {
		hash := ""
		if s.Name != "" {
			hash = fmt.Sprintf("0x%08x", ebpf.HashSymbolName([]byte(s.Name)))
		}
		t.Rows = append(t.Rows, Row{Cells: []string{fmt.Sprint(s.Index), symname.Display(s.Name), pick(s.Info>>4, symBinds), pick(s.Info&0xf, symTypes),
			fmt.Sprint(s.Shndx), x64(s.Value), fmt.Sprint(s.Size), hash}, Title: rawIfMangled(s.Name)})
	}
	if len(t.Rows) == 0 {
		t.Note = "None."
	}
	return limitRows(t, open, false)
}

// DynSymbols lists .dynsym.
func (p *Loaded) DynSymbols() *DataTable {
	if p.Log == nil || p.Log.Info == nil {
		return &DataTable{ID: "dynsym", Title: "Dynamic symbols"}
	}
	return symbolTable("dynsym", "Dynamic symbols (.dynsym)", p.Log.Info.DynamicSymbols, p.openTables())
}

// SymTable lists .symtab.
func (p *Loaded) SymTable() *DataTable {
	if p.Log == nil || p.Log.Info == nil {
		return &DataTable{ID: "symtab", Title: "Symbol table"}
	}
	return symbolTable("symtab", "Symbol table (.symtab)", p.Log.Info.Symbols, p.openTables())
}
