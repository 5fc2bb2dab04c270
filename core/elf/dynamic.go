package elf

import "encoding/binary"

// dynInfo is what goblin's DynamicInfo keeps of the entries the loader's
// parse depends on. Addresses are already file offsets (0 when no segment
// maps them, as goblin's unwrap_or(0)).
type dynInfo struct {
	rel, relsz       uint64
	rela, relasz     uint64
	jmprel, pltrelsz uint64
	pltrel           uint64
	strtab, strsz    uint64
	symtab           uint64
	gnuHash, hash    uint64
	hasGNUHash       bool
	hasHash          bool
}

// vmToOffset is goblin's vm_to_offset: the first program header of any type
// whose memory range holds addr translates it.
func vmToOffset(phdrs []ProgramHeader, addr uint64) (uint64, bool) {
	for _, p := range phdrs {
		if addr >= p.Vaddr {
			d := addr - p.Vaddr
			if d < p.Memsz {
				o, overflow := addOverflow(p.Offset, d)
				return o, !overflow
			}
		}
	}
	return 0, false
}

func (d *dynInfo) update(phdrs []ProgramHeader, tag, val uint64) {
	off := func() uint64 { o, _ := vmToOffset(phdrs, val); return o }
	switch tag {
	case dtRela:
		d.rela = off()
	case dtRelaSz:
		d.relasz = val
	case dtRel:
		d.rel = off()
	case dtRelSz:
		d.relsz = val
	case dtGNUHash:
		d.gnuHash, d.hasGNUHash = vmToOffset(phdrs, val)
	case dtHash:
		d.hash, d.hasHash = vmToOffset(phdrs, val)
	case dtStrtab:
		d.strtab = off()
	case dtStrSz:
		d.strsz = val
	case dtSymtab:
		d.symtab = off()
	case dtPltRelSz:
		d.pltrelsz = val
	case dtPltRel:
		d.pltrel = val
	case dtJmpRel:
		d.jmprel = off()
	}
}

// parseDynamic follows goblin: the first PT_DYNAMIC segment's entries up to
// DT_NULL give the string table, the relocation tables and, through the
// hash tables and the largest relocated symbol index, the dynamic symbol
// count. Section headers play no part.
func (f *file) parseDynamic() *Error {
	var seg *ProgramHeader
	for i := range f.phdrs {
		if f.phdrs[i].Type == ptDynamic {
			seg = &f.phdrs[i]
			break
		}
	}
	if seg == nil {
		return nil
	}
	var raw []byte
	if seg.Filesz > 0 {
		var err *Error
		if raw, err = subslice(f.data, seg.Offset, seg.Filesz); err != nil {
			return malformed("Invalid PT_DYNAMIC size (offset %#x, filesz %#x)", seg.Offset, seg.Filesz)
		}
	}
	entSize := uint64(16)
	if !f.is64 {
		entSize = 8
	}
	var info dynInfo
	f.hasDyn = true
	f.dynamic = []DynamicEntry{}
	for i := uint64(0); i+entSize <= uint64(len(raw)); i += entSize {
		c := &cursor{buf: raw[i:], order: f.order}
		e := DynamicEntry{Tag: c.word(f.is64), Val: c.word(f.is64)}
		f.dynamic = append(f.dynamic, e)
		if e.Tag == dtNull {
			break
		}
	}
	// goblin translates the address of every entry it sees; only the last
	// entry of a tag counts, so translating that one alone gives the same
	// result without the time quadratic in entries and program headers.
	last := map[uint64]uint64{}
	var order []uint64
	for _, e := range f.dynamic {
		if _, seen := last[e.Tag]; !seen {
			order = append(order, e.Tag)
		}
		last[e.Tag] = e.Val
	}
	for _, tag := range order {
		info.update(f.phdrs, tag, last[tag])
	}
	return f.loadDynamicTables(&info)
}

func (f *file) loadDynamicTables(info *dynInfo) *Error {
	var err *Error
	if f.dynstrtab, err = parseStrtab(f.data, info.strtab, info.strsz); err != nil {
		return err
	}
	rela, err := parseRelocs(f.data, info.rela, info.relasz, true, f.is64, f.order)
	if err != nil {
		return err
	}
	if f.dynrels, err = parseRelocs(f.data, info.rel, info.relsz, false, f.is64, f.order); err != nil {
		return err
	}
	plt, err := parseRelocs(f.data, info.jmprel, info.pltrelsz, info.pltrel == dtRela, f.is64, f.order)
	if err != nil {
		return err
	}
	var numSyms uint64
	switch {
	case info.hasGNUHash:
		numSyms, err = gnuHashLen(f.data, info.gnuHash, f.is64, f.order)
	case info.hasHash:
		numSyms, err = hashLen(f.data, info.hash, f.header.Machine, f.is64, f.order)
	}
	if err != nil {
		return err
	}
	maxSym := max(rela.maxSym(), f.dynrels.maxSym(), plt.maxSym())
	if maxSym != 0 {
		numSyms = max(numSyms, maxSym+1)
	}
	f.dynsyms, err = parseSymtab(f.data, info.symtab, numSyms, f.is64, f.order)
	return err
}

func readU32(data []byte, off uint64, order binary.ByteOrder) (uint64, *Error) {
	c, err := at(data, off, order)
	if err != nil {
		return 0, err
	}
	v := c.field(4)
	return v, c.err
}

// gnuHashLen is goblin's count of dynamic symbols from a DT_GNU_HASH table:
// one past the last symbol of the longest chain.
func gnuHashLen(data []byte, off uint64, is64 bool, order binary.ByteOrder) (uint64, *Error) {
	var hdr [3]uint64
	for i := range hdr {
		v, err := readU32(data, off+uint64(4*i), order)
		if err != nil {
			return 0, err
		}
		hdr[i] = v
	}
	buckets, minChain, bloom := hdr[0], hdr[1], hdr[2]
	if buckets == 0 || minChain == 0 || bloom == 0 {
		return 0, malformed("Invalid DT_GNU_HASH: buckets_num=%d min_chain=%d bloom_size=%d", buckets, minChain, bloom)
	}
	word := uint64(4)
	if is64 {
		word = 8
	}
	bucketsOff := off + 16 + bloom*word
	maxChain := uint64(0)
	for b := uint64(0); b < buckets; b++ {
		v, err := readU32(data, bucketsOff+b*4, order)
		if err != nil {
			return 0, err
		}
		maxChain = max(maxChain, v)
	}
	if maxChain < minChain {
		return 0, nil
	}
	chainOff := bucketsOff + buckets*4 + (maxChain-minChain)*4
	for {
		h, err := readU32(data, chainOff, order)
		if err != nil {
			return 0, err
		}
		maxChain++
		chainOff += 4
		if h&1 != 0 {
			return maxChain, nil
		}
	}
}

// hashLen is goblin's count of dynamic symbols from a DT_HASH table: its
// nchain word (a 64-bit word on 64-bit S390 and Alpha, as readelf has it).
func hashLen(data []byte, off uint64, machine uint16, is64 bool, order binary.ByteOrder) (uint64, *Error) {
	c, err := at(data, off+4, order)
	if err != nil {
		return 0, err
	}
	var v uint64
	if (machine == emFakeAlpha || machine == emS390) && is64 {
		v = c.field(8)
	} else {
		v = c.field(4)
	}
	return v, c.err
}
