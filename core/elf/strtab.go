package elf

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// strtab is a string table as goblin reads it: a name runs from its offset
// to the next NUL or to the end of the table, and must be UTF-8.
//
// goblin finds each name by scanning, so a crafted file whose many symbols
// point into one long unterminated run costs time quadratic in its size.
// Here a name whose NUL is not near its start is looked up in an index of
// the table built once (the NUL positions and, for every byte, whether the
// rest of its run is valid UTF-8), which keeps every load linear.
type strtab struct {
	b  []byte
	ix *strIndex
}

// scanWindow is how far get scans for a NUL before using the index.
const scanWindow = 64

type strIndex struct {
	nuls  []int  // positions of the NUL bytes, ascending
	valid []byte // bit i: b[i:next NUL] is valid UTF-8
}

// parseStrtab is goblin's Strtab::parse bounds check.
func parseStrtab(data []byte, off, size uint64) (strtab, *Error) {
	end, overflow := addOverflow(off, size)
	if overflow || end > uint64(len(data)) {
		return strtab{}, malformed("Strtable size (%d) + offset (%d) is out of bounds for %d #bytes. Overflowed: %t", size, off, len(data), overflow)
	}
	return strtab{b: data[off:end], ix: &strIndex{}}, nil
}

// strStatus tells why a string table lookup found no valid name.
type strStatus int

const (
	strOK      strStatus = iota
	strMissing           // offset past the table (goblin: None)
	strBadUTF8           // not UTF-8 (goblin: Some(Err))
)

// get returns the name at off without copying.
func (t strtab) get(off uint64) ([]byte, strStatus) {
	if off >= uint64(len(t.b)) {
		return nil, strMissing
	}
	rest := t.b[off:]
	window := rest[:min(len(rest), scanWindow)]
	if n := bytes.IndexByte(window, 0); n >= 0 || len(rest) <= scanWindow {
		if n < 0 {
			n = len(rest)
		}
		if !utf8.Valid(rest[:n]) {
			return nil, strBadUTF8
		}
		return rest[:n], strOK
	}
	ix := t.index()
	i := int(off)
	k := sort.SearchInts(ix.nuls, i)
	end := len(t.b)
	if k < len(ix.nuls) {
		end = ix.nuls[k]
	}
	if ix.valid[i/8]&(1<<(i%8)) == 0 {
		return nil, strBadUTF8
	}
	return t.b[i:end], strOK
}

// is reports whether the name at off is exactly name (an ASCII string),
// looking at no more than len(name)+1 bytes.
func (t strtab) is(off uint64, name string) bool {
	if off >= uint64(len(t.b)) || uint64(len(name)) > uint64(len(t.b))-off {
		return false
	}
	rest := t.b[off:]
	return string(rest[:len(name)]) == name && (len(rest) == len(name) || rest[len(name)] == 0)
}

// index builds the table's index on first use.
func (t strtab) index() *strIndex {
	ix := t.ix
	if ix.valid != nil {
		return ix
	}
	b := t.b
	ix.valid = make([]byte, (len(b)+8)/8)
	set := func(i int) { ix.valid[i/8] |= 1 << (i % 8) }
	// Walk backwards: a position is valid if it starts a well-formed
	// sequence inside its run and the position after that is valid.
	runEnd := len(b)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == 0 {
			ix.nuls = append(ix.nuls, i)
			runEnd = i
			set(i)
			continue
		}
		r, size := utf8.DecodeRune(b[i:runEnd])
		if r == utf8.RuneError && size == 1 {
			continue
		}
		if i+size == runEnd || ix.valid[(i+size)/8]&(1<<((i+size)%8)) != 0 {
			set(i)
		}
	}
	for l, r := 0, len(ix.nuls)-1; l < r; l, r = l+1, r-1 {
		ix.nuls[l], ix.nuls[r] = ix.nuls[r], ix.nuls[l]
	}
	return ix
}
