package elfbuild

import (
	"encoding/binary"
	"sort"
)

var le = binary.LittleEndian

// strtabBuilder builds a string table that starts with the empty name and
// stores each distinct string once.
type strtabBuilder struct {
	buf []byte
	idx map[string]uint32
}

func newStrtab() *strtabBuilder {
	return &strtabBuilder{buf: []byte{0}, idx: map[string]uint32{"": 0}}
}

func (t *strtabBuilder) add(s string) uint32 {
	if o, ok := t.idx[s]; ok {
		return o
	}
	o := uint32(len(t.buf))
	t.buf = append(append(t.buf, s...), 0)
	t.idx[s] = o
	return o
}

// sym is a symbol table entry before serialization.
type sym struct {
	name  string
	info  uint8
	other uint8
	shndx uint16
	value uint64
	size  uint64
}

func appendSym(b []byte, s sym, name uint32) []byte {
	b = le.AppendUint32(b, name)
	b = append(b, s.info, s.other)
	b = le.AppendUint16(b, s.shndx)
	b = le.AppendUint64(b, s.value)
	return le.AppendUint64(b, s.size)
}

// Symbol st_info values: binding << 4 | type.
const (
	infoLocalNotype  = 0x00
	infoLocalFunc    = 0x02
	infoLocalFile    = 0x04
	infoGlobalNotype = 0x10
	infoGlobalFunc   = 0x12
	stvHidden        = 2
	shnAbs           = 0xfff1
)

// elfHash is the System V ABI symbol hash used by DT_HASH tables.
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}

// hashTable builds a DT_HASH table over the dynamic symbol names (index 0
// is the null symbol), with one bucket per symbol.
func hashTable(names []string) []byte {
	n := uint32(len(names))
	buckets := make([]uint32, n)
	chains := make([]uint32, n)
	for i := n - 1; i >= 1; i-- {
		b := elfHash(names[i]) % n
		chains[i] = buckets[b]
		buckets[b] = i
	}
	out := le.AppendUint32(nil, n)
	out = le.AppendUint32(out, n)
	for _, v := range buckets {
		out = le.AppendUint32(out, v)
	}
	for _, v := range chains {
		out = le.AppendUint32(out, v)
	}
	return out
}

// reloc is a REL entry before serialization.
type reloc struct {
	offset uint64
	typ    uint32
	sym    uint32
}

func (r reloc) info() uint64 { return uint64(r.sym)<<32 | uint64(r.typ) }

// sortRelocs orders relocations as ld.lld does: relative ones first by
// offset, then symbol ones by symbol index and offset.
func sortRelocs(rs []reloc) {
	sort.SliceStable(rs, func(a, b int) bool {
		x, y := rs[a], rs[b]
		if (x.typ == 8) != (y.typ == 8) {
			return x.typ == 8
		}
		if x.sym != y.sym {
			return x.sym < y.sym
		}
		return x.offset < y.offset
	})
}

func alignUp(v, a uint64) uint64 {
	if a <= 1 {
		return v
	}
	return (v + a - 1) &^ (a - 1)
}
