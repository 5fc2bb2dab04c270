package elfbuild

import (
	"fmt"
	"sort"
)

// ELF constants the builder writes.
const (
	shtProgbits = 1
	shtSymtab   = 2
	shtStrtab   = 3
	shtHash     = 5
	shtDynamic  = 6
	shtNobits   = 8
	shtRel      = 9
	shtDynsym   = 11

	shfWrite = 1
	shfAlloc = 2
	shfExec  = 4

	ptLoad    = 1
	ptDynamic = 2
	ptPhdr    = 6

	pfX = 1
	pfW = 2
	pfR = 4

	relocRelative = 8
	reloc64_32    = 10

	pageSize = 0x1000
)

// File is a built ELF file and where its parts are, so that tests and
// generators of malformed files can patch it.
type File struct {
	Bytes []byte
	// Sections lists the section headers in table order (index 0 is the
	// null section).
	Sections []Placed
	// Phoff and Shoff are the offsets of the program and section header
	// tables; Phnum the number of program headers.
	Phoff, Shoff uint64
	Phnum        int
}

// Placed is a section of a built file.
type Placed struct {
	Name   string
	Index  int
	Type   uint32
	Offset uint64
	Addr   uint64
	Size   uint64
	// Header is the file offset of the section's header.
	Header uint64
}

// Section returns the first section called name.
func (f *File) Section(name string) (Placed, bool) {
	for _, s := range f.Sections {
		if s.Name == name {
			return s, true
		}
	}
	return Placed{}, false
}

// Build packages a program as an ELF shared object that rbpf v0.2.8 loads:
// ELF64, little endian, ET_DYN, EM_BPF, with .text, .rodata, .dynamic,
// .dynsym, .dynstr, .hash, .rel.dyn, .symtab, .strtab and .shstrtab.
// Calls to functions of the program are relative (imm = target - pc - 1)
// unless the Call asks for a relocation; calls to other names get imm -1
// and an R_BPF_64_32 relocation against an undefined dynamic symbol; loads
// get the .rodata address and an R_BPF_64_RELATIVE relocation.
func Build(s Spec) (*File, error) {
	fns, err := s.check()
	if err != nil {
		return nil, err
	}
	b := &builder{spec: &s, fns: fns}
	b.planSymbols()
	b.planRelocs()
	b.planSections()
	b.place()
	if err := b.fill(); err != nil {
		return nil, err
	}
	return b.write(), nil
}

type builder struct {
	spec *Spec
	fns  []function

	dynsyms  []string // index 0 is ""
	dynIndex map[string]int
	relocs   []reloc
	text     []byte

	secs   []*section
	extras []*section
	phs    []phdr
	end    uint64 // end of the last placed section
}

type section struct {
	name    string
	typ     uint32
	flags   uint64
	align   uint64
	entsize uint64
	size    uint64
	data    []byte
	link    string
	info    uint32
	off     uint64
	alloc   bool
	newPage bool
}

type phdr struct {
	typ, flags uint32
	first      *section // first and last section it covers; nil for PT_PHDR
	last       *section
	align      uint64
	fromZero   bool // starts at offset 0, covering the ELF and program headers
}

// planSymbols orders the dynamic symbols as ld.lld does: the null symbol,
// the undefined names in order of first call, then the global functions
// by name.
func (b *builder) planSymbols() {
	b.dynsyms = []string{""}
	b.dynIndex = map[string]int{}
	calls := append([]Call(nil), b.spec.Calls...)
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].PC < calls[j].PC })
	for _, c := range calls {
		if _, def := b.spec.function(c.Name); !def && b.dynIndex[c.Name] == 0 {
			b.dynIndex[c.Name] = len(b.dynsyms)
			b.dynsyms = append(b.dynsyms, c.Name)
		}
	}
	for _, f := range b.globals() {
		b.dynIndex[f.Name] = len(b.dynsyms)
		b.dynsyms = append(b.dynsyms, f.Name)
	}
}

// globals returns the non-static functions sorted by name.
func (b *builder) globals() []function {
	var out []function
	for _, f := range b.fns {
		if !f.Local {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// imports returns the undefined dynamic symbols in table order.
func (b *builder) imports() []string {
	var out []string
	for _, n := range b.dynsyms[1:] {
		if _, def := b.spec.function(n); !def {
			out = append(out, n)
		}
	}
	return out
}

// planRelocs decides each call's and load's relocation; offsets are filled
// in once .text is placed.
func (b *builder) planRelocs() {
	b.text = append([]byte(nil), b.spec.Text...)
	for _, l := range b.spec.Loads {
		b.relocs = append(b.relocs, reloc{offset: uint64(l.PC) * 8, typ: relocRelative})
	}
	for _, c := range b.spec.Calls {
		// clang marks every call it emits with src = 1 (BPF_PSEUDO_CALL).
		b.text[c.PC*8+1] = b.text[c.PC*8+1]&0x0f | 0x10
		f, def := b.spec.function(c.Name)
		if def && !c.Relocate {
			le.PutUint32(b.text[c.PC*8+4:], uint32(int32(f.PC-c.PC-1)))
			continue
		}
		le.PutUint32(b.text[c.PC*8+4:], 0xffffffff)
		b.relocs = append(b.relocs, reloc{offset: uint64(c.PC) * 8, typ: reloc64_32, sym: uint32(b.dynIndex[c.Name])})
	}
	sortRelocs(b.relocs)
}

func (b *builder) textRelocs() bool { return len(b.relocs) > 0 }

// allocSections are the allocated sections before they are ordered; rel
// and ro are nil when the file has none.
type allocSections struct {
	dynsym, hash, dynstr, rel, ro, text, dyn *section
	extras                                   []*section
}

func newAlloc(name string, typ uint32, flags, align, entsize, size uint64) *section {
	return &section{name: name, typ: typ, flags: flags, align: align, entsize: entsize, size: size, alloc: true}
}

// planSections creates the sections and orders them for the layout.
func (b *builder) planSections() {
	a := b.allocSections()
	b.extras = a.extras
	var order []*section
	if b.spec.Layout == Compact {
		order = b.orderCompact(a)
	} else {
		order = b.orderPaged(a)
	}
	symtab := &section{name: ".symtab", typ: shtSymtab, align: 8, entsize: 24, link: ".strtab"}
	shstrtab := &section{name: ".shstrtab", typ: shtStrtab, align: 1}
	strtab := &section{name: ".strtab", typ: shtStrtab, align: 1}
	b.secs = append(append([]*section{{}}, order...), symtab, shstrtab, strtab)
}

func (b *builder) allocSections() allocSections {
	s := b.spec
	var a allocSections
	a.dynsym = newAlloc(".dynsym", shtDynsym, shfAlloc, 8, 24, uint64(len(b.dynsyms))*24)
	a.dynsym.link, a.dynsym.info = ".dynstr", 1
	a.hash = newAlloc(".hash", shtHash, shfAlloc, 4, 4, uint64(2+2*len(b.dynsyms))*4)
	a.hash.link = ".dynsym"
	a.dynstr = newAlloc(".dynstr", shtStrtab, shfAlloc, 1, 0, uint64(len(b.dynstrBytes())))
	if n := len(b.relocs) + len(s.ExtraRelocs); n > 0 {
		a.rel = newAlloc(".rel.dyn", shtRel, shfAlloc, 8, 16, uint64(n)*16)
		a.rel.link = ".dynsym"
	}
	if s.ROData != nil {
		a.ro = newAlloc(".rodata", shtProgbits, shfAlloc, 1, 0, uint64(len(s.ROData)))
		if len(s.ROData) == 0 {
			a.ro.typ = shtNobits
		}
	}
	for _, x := range s.ExtraSections {
		e := newAlloc(x.Name, x.Type, x.Flags, 8, 0, uint64(len(x.Data)))
		if x.Type == shtNobits {
			e.size = x.Size
		}
		a.extras = append(a.extras, e)
	}
	a.text = newAlloc(".text", shtProgbits, shfAlloc|shfExec, 8, 0, uint64(len(s.Text)))
	a.dyn = newAlloc(".dynamic", shtDynamic, shfAlloc|shfWrite, 8, 16, uint64(len(b.dynamicEntries(0, 0, 0, 0)))*16)
	a.dyn.link = ".dynstr"
	return a
}

// orderCompact is elf.ld's order: .text and .rodata in one PT_LOAD, the
// dynamic tables in PT_DYNAMIC.
func (b *builder) orderCompact(a allocSections) []*section {
	order := append(append([]*section{a.text}, nonNil(a.ro)...), a.extras...)
	lastLoad := order[len(order)-1]
	order = append(order, a.dyn, a.dynsym, a.dynstr)
	order = append(append(order, nonNil(a.rel)...), a.hash)
	b.phs = []phdr{
		{typ: ptLoad, flags: pfR | pfX, first: a.text, last: lastLoad, align: pageSize},
		{typ: ptDynamic, flags: pfR | pfW, first: a.dyn, last: a.hash, align: 8},
	}
	return order
}

// orderPaged is ld.lld's default order: a read-only segment from the start
// of the file through .rodata, then .text and .dynamic on their own pages.
func (b *builder) orderPaged(a allocSections) []*section {
	order := append([]*section{a.dynsym, a.hash, a.dynstr}, nonNil(a.rel)...)
	order = append(append(order, nonNil(a.ro)...), a.extras...)
	lastRO := order[len(order)-1]
	a.text.newPage, a.dyn.newPage = true, true
	order = append(order, a.text, a.dyn)
	b.phs = []phdr{
		{typ: ptPhdr, flags: pfR, align: 8},
		{typ: ptLoad, flags: pfR, first: a.dynsym, last: lastRO, align: pageSize, fromZero: true},
		{typ: ptLoad, flags: pfR | pfX, first: a.text, last: a.text, align: pageSize},
		{typ: ptLoad, flags: pfR | pfW, first: a.dyn, last: a.dyn, align: pageSize},
		{typ: ptDynamic, flags: pfR | pfW, first: a.dyn, last: a.dyn, align: 8},
	}
	return order
}

func nonNil(s *section) []*section {
	if s == nil {
		return nil
	}
	return []*section{s}
}

// sec returns the builder's own section called name; extra sections of
// the same name (which malformed files use) are never returned.
func (b *builder) sec(name string) *section {
	return b.secs[b.index(name)]
}

func (b *builder) index(name string) int {
	for i, s := range b.secs {
		if s.name == name && !b.isExtra(s) {
			return i
		}
	}
	if name == "" {
		return 0
	}
	panic(fmt.Sprintf("elfbuild: no section %s", name))
}

func (b *builder) isExtra(s *section) bool {
	for _, x := range b.extras {
		if x == s {
			return true
		}
	}
	return false
}

// place assigns file offsets (equal to addresses) to the allocated
// sections. The non-allocated ones are placed when their size is known.
func (b *builder) place() {
	off := uint64(64 + 56*len(b.phs))
	if b.spec.Layout == Compact {
		off = max(off, 0xe8)
	}
	for _, s := range b.secs[1:] {
		if !s.alloc {
			continue
		}
		if s.newPage {
			off = alignUp(off, pageSize)
		}
		off = alignUp(off, s.align)
		s.off = off
		if s.typ != shtNobits {
			off += s.size
		}
	}
	b.end = off
}

func (b *builder) dynstrBytes() []byte {
	t := newStrtab()
	for _, n := range b.dynsyms[1:] {
		t.add(n)
	}
	return t.buf
}
