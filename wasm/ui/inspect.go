package ui

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/inspect"
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
	// The names are core/inspect's, as `rbpf elf` prints them.
	add := func(f, v, m string) { t.Rows = append(t.Rows, Row{Cells: []string{f, v, m}}) }
	add("e_ident[EI_CLASS]", fmt.Sprint(h.Ident[4]), inspect.ClassName(h.Ident[4]))
	add("e_ident[EI_DATA]", fmt.Sprint(h.Ident[5]), inspect.DataName(h.Ident[5]))
	add("e_ident[EI_OSABI]", fmt.Sprint(h.Ident[7]), inspect.OSABIName(h.Ident[7]))
	add("e_type", fmt.Sprint(h.Type), inspect.TypeName(h.Type))
	add("e_machine", fmt.Sprint(h.Machine), inspect.MachineName(h.Machine)+": "+inspect.MachineMeaning(h.Machine))
	add("e_entry", x64(h.Entry), "entrypoint address")
	add("e_phoff", x64(h.Phoff), fmt.Sprintf("%d program headers of %d bytes", h.Phnum, h.Phentsize))
	add("e_shoff", x64(h.Shoff), fmt.Sprintf("%d section headers of %d bytes", h.Shnum, h.Shentsize))
	add("e_shstrndx", fmt.Sprint(h.Shstrndx), "section holding section names")
	add("e_flags", x64(uint64(h.Flags)), inspect.FlagsMeaning(h.Flags))
	return t
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
		if e := inspect.CheckError(c); e != "" {
			got += "  →  " + e
		}
		t.Rows = append(t.Rows, Row{Cells: []string{mark, c.Name, c.Want, got}, Class: string(c.Status)})
	}
	return t
}

// ProgramHeaders lists the segments.
func (p *Loaded) ProgramHeaders() *DataTable {
	t := &DataTable{ID: "program-headers", Title: "Program headers", Head: []string{"type", "flags", "offset", "vaddr", "filesz", "memsz", "align"}}
	if p.Log == nil || p.Log.Info == nil {
		return t
	}
	for _, ph := range p.Log.Info.ProgramHeaders {
		t.Rows = append(t.Rows, Row{Cells: []string{inspect.SegmentTypeName(ph.Type), inspect.SegmentFlags(ph.Flags), x64(ph.Offset), x64(ph.Vaddr), x64(ph.Filesz), x64(ph.Memsz), x64(ph.Align)}})
	}
	if len(t.Rows) == 0 {
		t.Note = "No program headers."
	}
	return t
}

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
		t.Rows = append(t.Rows, Row{Cells: []string{fmt.Sprint(s.Index), s.Name, inspect.SectionTypeName(s.Type), inspect.SectionFlags(s.Flags), x64(s.Offset), x64(s.Size), vm}})
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

// symbolTable lists symbols with their names demangled; a demangled row
// has the raw name, which the hash column hashes, as its tooltip.
func symbolTable(id, title string, syms []elf.SymbolInfo, open map[string]bool) *DataTable {
	t := &DataTable{ID: id, Title: title, Head: []string{"#", "name", "bind", "type", "section", "value", "size", "hash (call imm)"}}
	for _, s := range syms {
		hash := ""
		if s.Name != "" {
			hash = fmt.Sprintf("0x%08x", ebpf.HashSymbolName([]byte(s.Name)))
		}
		t.Rows = append(t.Rows, Row{Cells: []string{fmt.Sprint(s.Index), symname.Display(s.Name), inspect.SymbolBindName(s.Info), inspect.SymbolTypeName(s.Info),
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

// LoadStatus is the load's outcome in a line, naming the entrypoint as
// the page names instructions.
func (p *Loaded) LoadStatus() string {
	if p.Err != nil {
		return "rejected: " + p.Err.Error()
	}
	return fmt.Sprintf("loaded: %s, entrypoint at %s", count(uint64(len(p.Prog.Text)/ebpf.InsnSize), "instruction"), ebpf.PCRef(p.Prog.Entrypoint))
}

// LoadErrorWhy relates the instruction number a loader error gives (a
// relocation that failed) to the pc, "" when the error names none.
func (p *Loaded) LoadErrorWhy() string {
	if p.Err == nil {
		return ""
	}
	if r, ok := insnRefOf(p.Err, 0); ok {
		return fmt.Sprintf("rbpf's %s is %s: %s.", r.Said, r.Ref(), r.Why)
	}
	return ""
}
