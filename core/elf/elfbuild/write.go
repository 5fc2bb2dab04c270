package elfbuild

import "sort"

// Dynamic tags the builder writes.
const (
	dtNull     = 0
	dtHash     = 4
	dtStrtab   = 5
	dtSymtab   = 6
	dtStrsz    = 10
	dtSyment   = 11
	dtRel      = 17
	dtRelsz    = 18
	dtRelent   = 19
	dtTextrel  = 22
	dtFlags    = 30
	dtRelcount = 0x6ffffffa
	dfTextrel  = 4
)

// dynamicEntries lists the .dynamic entries in ld.lld's order. The count
// does not depend on the addresses, so planning calls it with zeros.
func (b *builder) dynamicEntries(rel, sym, str, hash uint64) [][2]uint64 {
	var out [][2]uint64
	nrel := uint64(len(b.relocs) + len(b.spec.ExtraRelocs))
	if nrel > 0 {
		out = append(out, [2]uint64{dtFlags, dfTextrel}, [2]uint64{dtRel, rel},
			[2]uint64{dtRelsz, nrel * 16}, [2]uint64{dtRelent, 16})
		if n := b.relativeCount(); n > 0 {
			out = append(out, [2]uint64{dtRelcount, n})
		}
	}
	out = append(out, [2]uint64{dtSymtab, sym}, [2]uint64{dtSyment, 24},
		[2]uint64{dtStrtab, str}, [2]uint64{dtStrsz, uint64(len(b.dynstrBytes()))})
	if nrel > 0 {
		out = append(out, [2]uint64{dtTextrel, 0})
	}
	return append(out, [2]uint64{dtHash, hash}, [2]uint64{dtNull, 0})
}

func (b *builder) relativeCount() uint64 {
	n := uint64(0)
	for _, r := range b.relocs {
		if r.typ == relocRelative {
			n++
		}
	}
	return n
}

// fill computes every section's contents now that addresses are known.
func (b *builder) fill() error {
	s := b.spec
	text := b.sec(".text")
	textIdx := uint16(b.index(".text"))
	ro := uint64(0)
	if s.ROData != nil {
		ro = b.sec(".rodata").off
		b.sec(".rodata").data = s.ROData
	}
	for _, l := range s.Loads {
		le.PutUint32(b.text[l.PC*8+4:], uint32(ro+l.Offset))
		le.PutUint32(b.text[l.PC*8+12:], uint32((ro+l.Offset)>>32))
	}
	text.data = b.text
	for i := range b.relocs {
		b.relocs[i].offset += text.off
	}
	b.fillDynsym(textIdx)
	var rel []byte
	for _, r := range b.relocs {
		rel = le.AppendUint64(le.AppendUint64(rel, r.offset), r.info())
	}
	for _, r := range s.ExtraRelocs {
		rel = le.AppendUint64(le.AppendUint64(rel, r.Offset), r.Info)
	}
	relOff := uint64(0)
	if len(rel) > 0 {
		b.sec(".rel.dyn").data = rel
		relOff = b.sec(".rel.dyn").off
	}
	for i, x := range s.ExtraSections {
		if x.Type != shtNobits {
			b.extras[i].data = x.Data
		}
	}
	var dyn []byte
	for _, e := range b.dynamicEntries(relOff, b.sec(".dynsym").off, b.sec(".dynstr").off, b.sec(".hash").off) {
		dyn = le.AppendUint64(le.AppendUint64(dyn, e[0]), e[1])
	}
	b.sec(".dynamic").data = dyn
	b.fillSymtab(textIdx)
	return nil
}

// fillDynsym writes .dynsym, .dynstr and .hash: undefined names are
// global untyped symbols, functions global function symbols.
func (b *builder) fillDynsym(textIdx uint16) {
	text := b.sec(".text")
	dynstr := newStrtab()
	var dynsym []byte
	for i, name := range b.dynsyms {
		sy := sym{}
		if i > 0 {
			sy.info = infoGlobalNotype
			if f, ok := b.fn(name); ok {
				sy = sym{info: infoGlobalFunc, shndx: textIdx, value: text.off + uint64(f.PC)*8, size: uint64(f.slots) * 8}
			}
		}
		dynsym = appendSym(dynsym, sy, dynstr.add(name))
	}
	b.sec(".dynsym").data = dynsym
	b.sec(".dynstr").data = dynstr.buf
	b.sec(".hash").data = hashTable(b.dynsyms)
}

// sortSyms orders global symbols by name.
func sortSyms(s []sym) {
	sort.SliceStable(s, func(i, j int) bool { return s[i].name < s[j].name })
}

func (b *builder) fn(name string) (function, bool) {
	for _, f := range b.fns {
		if f.Name == name {
			return f, true
		}
	}
	return function{}, false
}

// fillSymtab writes .symtab and .strtab: the null symbol, the FILE symbol,
// the static functions, _DYNAMIC, then the global names sorted.
func (b *builder) fillSymtab(textIdx uint16) {
	text := b.sec(".text")
	str := newStrtab()
	source := b.spec.Source
	if source == "" {
		source = "program.s"
	}
	syms := []sym{{}, {name: source, info: infoLocalFile, shndx: shnAbs}}
	for _, f := range b.fns {
		if f.Local {
			syms = append(syms, sym{name: f.Name, info: infoLocalFunc, shndx: textIdx, value: text.off + uint64(f.PC)*8, size: uint64(f.slots) * 8})
		}
	}
	dyn := b.sec(".dynamic")
	syms = append(syms, sym{name: "_DYNAMIC", info: infoLocalNotype, other: stvHidden, shndx: uint16(b.index(".dynamic")), value: dyn.off})
	firstGlobal := len(syms)
	var globals []sym
	for _, f := range b.globals() {
		globals = append(globals, sym{name: f.Name, info: infoGlobalFunc, shndx: textIdx, value: text.off + uint64(f.PC)*8, size: uint64(f.slots) * 8})
	}
	for _, n := range b.imports() {
		globals = append(globals, sym{name: n, info: infoGlobalNotype})
	}
	sortSyms(globals)
	var out []byte
	for _, s := range append(syms, globals...) {
		out = appendSym(out, s, str.add(s.name))
	}
	st := b.sec(".symtab")
	st.data, st.size, st.info = out, uint64(len(out)), uint32(firstGlobal)
	b.sec(".strtab").data = str.buf
	b.sec(".strtab").size = uint64(len(str.buf))
}

// write lays out the non-allocated sections and serializes the file.
func (b *builder) write() *File {
	shstr := newStrtab()
	names := make([]uint32, len(b.secs))
	for i, s := range b.secs[1:] {
		names[i+1] = shstr.add(s.name)
	}
	b.sec(".shstrtab").data = shstr.buf
	b.sec(".shstrtab").size = uint64(len(shstr.buf))
	off := b.end
	for _, s := range b.secs[1:] {
		if !s.alloc {
			off = alignUp(off, s.align)
			s.off = off
			off += s.size
		}
	}
	shoff := alignUp(off, 8)
	out := make([]byte, shoff+uint64(len(b.secs))*64)
	f := &File{Bytes: out, Phoff: 64, Shoff: shoff, Phnum: len(b.phs)}
	b.writeHeader(out, shoff)
	b.writePhdrs(out[64:])
	for i, s := range b.secs {
		copy(out[s.off:], s.data)
		h := shoff + uint64(i)*64
		b.writeShdr(out[h:], s, names[i])
		f.Sections = append(f.Sections, Placed{Name: s.name, Index: i, Type: s.typ, Offset: s.off, Addr: s.addr(), Size: s.size, Header: h})
	}
	return f
}

func (s *section) addr() uint64 {
	if s.alloc {
		return s.off
	}
	return 0
}

func (b *builder) writeHeader(out []byte, shoff uint64) {
	copy(out, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	h := out[16:16:64]
	h = le.AppendUint16(h, 3)   // ET_DYN
	h = le.AppendUint16(h, 247) // EM_BPF
	h = le.AppendUint32(h, 1)
	entry, _ := b.fn(b.spec.Entry)
	h = le.AppendUint64(h, b.sec(".text").off+uint64(entry.PC)*8)
	h = le.AppendUint64(h, 64)
	h = le.AppendUint64(h, shoff)
	h = le.AppendUint32(h, 0)
	h = le.AppendUint16(h, 64)
	h = le.AppendUint16(h, 56)
	h = le.AppendUint16(h, uint16(len(b.phs)))
	h = le.AppendUint16(h, 64)
	h = le.AppendUint16(h, uint16(len(b.secs)))
	le.AppendUint16(h, uint16(b.index(".shstrtab")))
}

func (b *builder) writePhdrs(out []byte) {
	h := out[:0]
	for _, p := range b.phs {
		var off, size uint64
		if p.typ == ptPhdr {
			off, size = 64, uint64(56*len(b.phs))
		} else {
			first, last := p.first, p.last
			if !p.fromZero {
				off = first.off
			}
			size = last.off - off
			if last.typ != shtNobits {
				size += last.size
			}
		}
		h = le.AppendUint32(h, p.typ)
		h = le.AppendUint32(h, p.flags)
		for _, v := range []uint64{off, off, off, size, size, p.align} {
			h = le.AppendUint64(h, v)
		}
	}
}

func (b *builder) writeShdr(out []byte, s *section, name uint32) {
	h := out[:0]
	h = le.AppendUint32(h, name)
	h = le.AppendUint32(h, s.typ)
	h = le.AppendUint64(h, s.flags)
	h = le.AppendUint64(h, s.addr())
	h = le.AppendUint64(h, s.off)
	h = le.AppendUint64(h, s.size)
	h = le.AppendUint32(h, uint32(b.index(s.link)))
	h = le.AppendUint32(h, s.info)
	h = le.AppendUint64(h, s.align)
	le.AppendUint64(h, s.entsize)
}
