package elf

import (
	"bytes"
	"encoding/binary"
)

// ELF constants the loader and parser use.
const (
	elfClass32   = 1
	elfClass64   = 2
	elfDataLSB   = 1
	elfDataMSB   = 2
	elfOSABINone = 0
	emBPF        = 247
	emS390       = 22
	emFakeAlpha  = 41
	etDyn        = 3

	ptDynamic = 2

	shtSymtab = 2
	shtRela   = 4
	shtNobits = 8
	shtRel    = 9

	dtNull     = 0
	dtPltRelSz = 2
	dtHash     = 4
	dtStrtab   = 5
	dtSymtab   = 6
	dtRela     = 7
	dtRelaSz   = 8
	dtStrSz    = 10
	dtRel      = 17
	dtRelSz    = 18
	dtPltRel   = 20
	dtJmpRel   = 23
	dtGNUHash  = 0x6ffffef5
)

// file is an ELF file as goblin 0.3.0's Elf::parse sees it. Tables are kept
// as views into the input and decoded on use, so parsing allocates in
// proportion to the number of headers, never to counts read from the file.
type file struct {
	data   []byte
	is64   bool
	order  binary.ByteOrder
	header Header
	phdrs  []ProgramHeader
	shdrs  []SectionHeader

	shstrtab strtab
	syms     symtab
	strtab   strtab

	dynamic   []DynamicEntry // nil without a PT_DYNAMIC segment
	hasDyn    bool
	dynsyms   symtab
	dynstrtab strtab
	dynrels   relocs
}

// parseFile runs goblin's Elf::parse checks in goblin's order and returns
// the first failure as a FailedToParse error with goblin's text.
func parseFile(data []byte) (*file, *Error) {
	f := &file{data: data}
	if err := f.parseHeader(); err != nil {
		return nil, err
	}
	var err *Error
	if f.phdrs, err = parseProgramHeaders(data, f.header.Phoff, uint64(f.header.Phnum), f.is64, f.order); err != nil {
		return nil, err
	}
	if f.shdrs, err = parseSectionHeaders(data, f.header.Shoff, uint64(f.header.Shnum), f.is64, f.order); err != nil {
		return nil, err
	}
	if f.shstrtab, err = f.sectionStrtab(uint64(f.header.Shstrndx)); err != nil {
		return nil, err
	}
	for i := range f.shdrs {
		if err = f.parseSymtabSection(&f.shdrs[i]); err != nil {
			return nil, err
		}
	}
	if err = f.parseDynamic(); err != nil {
		return nil, err
	}
	for i := range f.shdrs {
		sh := &f.shdrs[i]
		if sh.Type == shtRela || sh.Type == shtRel {
			if err = sh.checkSize(uint64(len(data))); err != nil {
				return nil, err
			}
			if _, err = subslice(data, sh.Offset, sh.Size); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// parseHeader reads the ELF header: identification first, then the fields
// of the class and byte order the identification names.
func (f *file) parseHeader() *Error {
	data := f.data
	if len(data) == 0 {
		return scrollBadOffset(0)
	}
	if len(data) < 16 {
		return malformed("Too small")
	}
	if !bytes.Equal(data[:4], []byte{0x7f, 'E', 'L', 'F'}) {
		return parseError("bad magic: %#x", binary.LittleEndian.Uint64(data[:8]))
	}
	h := &f.header
	copy(h.Ident[:], data[:16])
	switch data[4] {
	case elfClass32, elfClass64:
		f.is64 = data[4] == elfClass64
	default:
		return malformed("invalid ELF class %x", data[4])
	}
	switch data[5] {
	case elfDataLSB:
		f.order = binary.LittleEndian
	case elfDataMSB:
		f.order = binary.BigEndian
	default:
		return malformed("invalid ELF endianness DATA type %x", data[5])
	}
	c := &cursor{buf: data, pos: 16, order: f.order}
	h.Type = uint16(c.field(2))
	h.Machine = uint16(c.field(2))
	h.Version = uint32(c.field(4))
	h.Entry = c.word(f.is64)
	h.Phoff = c.word(f.is64)
	h.Shoff = c.word(f.is64)
	h.Flags = uint32(c.field(4))
	h.Ehsize = uint16(c.field(2))
	h.Phentsize = uint16(c.field(2))
	h.Phnum = uint16(c.field(2))
	h.Shentsize = uint16(c.field(2))
	h.Shnum = uint16(c.field(2))
	h.Shstrndx = uint16(c.field(2))
	return c.err
}

func phdrSize(is64 bool) uint64 {
	if is64 {
		return 56
	}
	return 32
}

func shdrSize(is64 bool) uint64 {
	if is64 {
		return 64
	}
	return 40
}

func parseProgramHeaders(data []byte, off, count uint64, is64 bool, order binary.ByteOrder) ([]ProgramHeader, *Error) {
	if count > uint64(len(data))/phdrSize(is64) {
		return nil, malformed("Buffer is too short for %d program headers", count)
	}
	out := make([]ProgramHeader, 0, count)
	for i := uint64(0); i < count; i++ {
		c, err := at(data, off, order)
		if err != nil {
			return nil, err
		}
		var p ProgramHeader
		p.Type = uint32(c.field(4))
		if is64 {
			p.Flags = uint32(c.field(4))
		}
		p.Offset = c.word(is64)
		p.Vaddr = c.word(is64)
		p.Paddr = c.word(is64)
		p.Filesz = c.word(is64)
		p.Memsz = c.word(is64)
		if !is64 {
			p.Flags = uint32(c.field(4))
		}
		p.Align = c.word(is64)
		if c.err != nil {
			return nil, c.err
		}
		out = append(out, p)
		off += phdrSize(is64)
	}
	return out, nil
}

func readSectionHeader(data []byte, off uint64, is64 bool, order binary.ByteOrder) (SectionHeader, *Error) {
	c, err := at(data, off, order)
	if err != nil {
		return SectionHeader{}, err
	}
	var s SectionHeader
	s.NameOffset = uint32(c.field(4))
	s.Type = uint32(c.field(4))
	s.Flags = c.word(is64)
	s.Addr = c.word(is64)
	s.Offset = c.word(is64)
	s.Size = c.word(is64)
	s.Link = uint32(c.field(4))
	s.Info = uint32(c.field(4))
	s.Addralign = c.word(is64)
	s.Entsize = c.word(is64)
	return s, c.err
}

// parseSectionHeaders follows goblin: offset 0 means no headers at all; a
// count of 0 is taken from the first header's size field.
func parseSectionHeaders(data []byte, off, count uint64, is64 bool, order binary.ByteOrder) ([]SectionHeader, *Error) {
	if off == 0 {
		return nil, nil
	}
	first, err := readSectionHeader(data, off, is64, order)
	if err != nil {
		return nil, err
	}
	off += shdrSize(is64)
	if count == 0 {
		count = first.Size
	}
	if count > uint64(len(data))/shdrSize(is64) {
		return nil, malformed("Buffer is too short for %d section headers", count)
	}
	out := make([]SectionHeader, 1, max(count, 1))
	out[0] = first
	for i := uint64(1); i < count; i++ {
		s, err := readSectionHeader(data, off, is64, order)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		off += shdrSize(is64)
	}
	return out, nil
}

// checkSize is goblin's SectionHeader::check_size, including its message,
// which prints the offset where it says size and the size where it says
// offset.
func (s *SectionHeader) checkSize(size uint64) *Error {
	if s.Type == shtNobits {
		return nil
	}
	end, overflow := addOverflow(s.Offset, s.Size)
	if overflow || end > size {
		return malformed("Section %d size (%d) + offset (%d) is out of bounds. Overflowed: %t", s.NameOffset, s.Offset, s.Size, overflow)
	}
	end, overflow = addOverflow(s.Addr, s.Size)
	if overflow || end > size {
		return malformed("Section %d size (%d) + addr (%d) is out of bounds. Overflowed: %t", s.NameOffset, s.Addr, s.Size, overflow)
	}
	return nil
}

func addOverflow(a, b uint64) (uint64, bool) {
	s := a + b
	return s, s < a
}

// sectionStrtab is goblin's get_strtab: an index past the table yields an
// empty string table, not an error.
func (f *file) sectionStrtab(idx uint64) (strtab, *Error) {
	if idx >= uint64(len(f.shdrs)) {
		return strtab{}, nil
	}
	sh := &f.shdrs[idx]
	if err := sh.checkSize(uint64(len(f.data))); err != nil {
		return strtab{}, err
	}
	return parseStrtab(f.data, sh.Offset, sh.Size)
}

func (f *file) parseSymtabSection(sh *SectionHeader) *Error {
	if sh.Type != shtSymtab {
		return nil
	}
	count := uint64(0)
	if sh.Entsize != 0 {
		count = sh.Size / sh.Entsize
	}
	syms, err := parseSymtab(f.data, sh.Offset, count, f.is64, f.order)
	if err != nil {
		return err
	}
	strs, err := f.sectionStrtab(uint64(sh.Link))
	if err != nil {
		return err
	}
	f.syms, f.strtab = syms, strs
	return nil
}
