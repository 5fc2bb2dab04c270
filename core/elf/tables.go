package elf

import "encoding/binary"

// Header is the ELF file header. Addresses and offsets of ELF32 files are
// widened to 64 bits, as goblin does.
type Header struct {
	Ident     Ident  `json:"ident"`
	Type      uint16 `json:"type"`
	Machine   uint16 `json:"machine"`
	Version   uint32 `json:"version"`
	Entry     uint64 `json:"entry"`
	Phoff     uint64 `json:"phoff"`
	Shoff     uint64 `json:"shoff"`
	Flags     uint32 `json:"flags"`
	Ehsize    uint16 `json:"ehsize"`
	Phentsize uint16 `json:"phentsize"`
	Phnum     uint16 `json:"phnum"`
	Shentsize uint16 `json:"shentsize"`
	Shnum     uint16 `json:"shnum"`
	Shstrndx  uint16 `json:"shstrndx"`
}

// Ident is the ELF identification, e_ident; it appears in JSON as hex.
type Ident [16]byte

// MarshalText encodes the identification as hex.
func (i Ident) MarshalText() ([]byte, error) { return Hex(i[:]).MarshalText() }

// ProgramHeader is one segment of the program header table.
type ProgramHeader struct {
	Type   uint32 `json:"type"`
	Flags  uint32 `json:"flags"`
	Offset uint64 `json:"offset"`
	Vaddr  uint64 `json:"vaddr"`
	Paddr  uint64 `json:"paddr"`
	Filesz uint64 `json:"filesz"`
	Memsz  uint64 `json:"memsz"`
	Align  uint64 `json:"align"`
}

// SectionHeader is one entry of the section header table.
type SectionHeader struct {
	NameOffset uint32 `json:"name_offset"`
	Type       uint32 `json:"type"`
	Flags      uint64 `json:"flags"`
	Addr       uint64 `json:"addr"`
	Offset     uint64 `json:"offset"`
	Size       uint64 `json:"size"`
	Link       uint32 `json:"link"`
	Info       uint32 `json:"info"`
	Addralign  uint64 `json:"addralign"`
	Entsize    uint64 `json:"entsize"`
}

// fileRange is goblin's file_range end: offset + size, saturating.
func (s *SectionHeader) fileEnd() uint64 { return satAdd(s.Offset, s.Size) }

// vmEnd is goblin's vm_range end: addr + size, saturating.
func (s *SectionHeader) vmEnd() uint64 { return satAdd(s.Addr, s.Size) }

func satAdd(a, b uint64) uint64 {
	if s, o := addOverflow(a, b); !o {
		return s
	}
	return ^uint64(0)
}

// DynamicEntry is one entry of the PT_DYNAMIC segment.
type DynamicEntry struct {
	Tag uint64 `json:"tag"`
	Val uint64 `json:"val"`
}

// Symbol is an entry of a symbol table.
type Symbol struct {
	NameOffset uint32 `json:"name_offset"`
	Info       uint8  `json:"info"`
	Other      uint8  `json:"other"`
	Shndx      uint16 `json:"shndx"`
	Value      uint64 `json:"value"`
	Size       uint64 `json:"size"`
}

// IsFunction reports whether the symbol's type is STT_FUNC.
func (s Symbol) IsFunction() bool { return s.Info&0xf == 2 }

// symtab is a lazily decoded symbol table.
type symtab struct {
	data  []byte
	count uint64
	is64  bool
	order binary.ByteOrder
}

func symSize(is64 bool) uint64 {
	if is64 {
		return 24
	}
	return 16
}

// parseSymtab is goblin's Symtab::parse bounds check.
func parseSymtab(data []byte, off, count uint64, is64 bool, order binary.ByteOrder) (symtab, *Error) {
	size := count * symSize(is64)
	if count != 0 && size/count != symSize(is64) {
		return symtab{}, malformed("Too many ELF symbols (offset %#x, count %d)", off, count)
	}
	b, err := subslice(data, off, size)
	if err != nil {
		return symtab{}, err
	}
	return symtab{data: b, count: count, is64: is64, order: order}, nil
}

// get decodes symbol i; ok is false past the end (goblin: None).
func (t symtab) get(i uint64) (s Symbol, ok bool) {
	if i >= t.count {
		return Symbol{}, false
	}
	c := cursor{buf: t.data[i*symSize(t.is64):], order: t.order}
	s.NameOffset = uint32(c.field(4))
	if t.is64 {
		s.Info = uint8(c.field(1))
		s.Other = uint8(c.field(1))
		s.Shndx = uint16(c.field(2))
		s.Value = c.field(8)
		s.Size = c.field(8)
	} else {
		s.Value = c.field(4)
		s.Size = c.field(4)
		s.Info = uint8(c.field(1))
		s.Other = uint8(c.field(1))
		s.Shndx = uint16(c.field(2))
	}
	return s, true
}

// Reloc is a dynamic relocation. Type and Sym are split from the info word
// as goblin does: type = info & 0xffffffff and sym = info >> 32 in ELF64,
// type = info & 0xff and sym = info >> 8 in ELF32.
type Reloc struct {
	Offset uint64 `json:"offset"`
	Info   uint64 `json:"info"`
	Type   uint32 `json:"type"`
	Sym    uint64 `json:"sym"`
}

// relocs is a lazily decoded REL or RELA table.
type relocs struct {
	data  []byte
	count uint64
	rela  bool
	is64  bool
	order binary.ByteOrder
}

func relocSize(rela, is64 bool) uint64 {
	n := uint64(8)
	if is64 {
		n = 16
	}
	if rela {
		n += n / 2
	}
	return n
}

// parseRelocs is goblin's RelocSection::parse: size bytes at off, which
// must start inside the file even when size is zero.
func parseRelocs(data []byte, off, size uint64, rela, is64 bool, order binary.ByteOrder) (relocs, *Error) {
	b, err := subslice(data, off, size)
	if err != nil {
		return relocs{}, err
	}
	return relocs{data: b, count: size / relocSize(rela, is64), rela: rela, is64: is64, order: order}, nil
}

func (r relocs) get(i uint64) Reloc {
	c := cursor{buf: r.data[i*relocSize(r.rela, r.is64):], order: r.order}
	var x Reloc
	x.Offset = c.word(r.is64)
	x.Info = c.word(r.is64)
	if r.is64 {
		x.Type, x.Sym = uint32(x.Info), x.Info>>32
	} else {
		x.Type, x.Sym = uint32(x.Info&0xff), x.Info>>8
	}
	return x
}

func (r relocs) maxSym() uint64 {
	m := uint64(0)
	for i := uint64(0); i < r.count; i++ {
		m = max(m, r.get(i).Sym)
	}
	return m
}
