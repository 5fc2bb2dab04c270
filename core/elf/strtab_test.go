package elf

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// naiveGet is goblin's lookup: scan to the NUL, then check UTF-8.
func naiveGet(b []byte, off int) ([]byte, strStatus) {
	if off >= len(b) {
		return nil, strMissing
	}
	s := b[off:]
	if n := bytes.IndexByte(s, 0); n >= 0 {
		s = s[:n]
	}
	if !utf8.Valid(s) {
		return nil, strBadUTF8
	}
	return s, strOK
}

// TestStrtabIndex compares the indexed lookup with the naive one on random
// tables mixing ASCII, multi-byte UTF-8, invalid bytes and long runs.
func TestStrtabIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := [][]byte{{0}, []byte("abc"), []byte("é"), []byte("€"), []byte("😀"), {0xff}, {0xe2, 0x82}, {0x80}, bytes.Repeat([]byte("x"), 100)}
	for round := 0; round < 300; round++ {
		var b []byte
		for n := rng.IntN(40); n > 0; n-- {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		tab := strtab{b: b, ix: &strIndex{}}
		for off := 0; off <= len(b); off++ {
			got, gs := tab.get(uint64(off))
			want, ws := naiveGet(b, off)
			if gs != ws || !bytes.Equal(got, want) {
				t.Fatalf("table %q offset %d: got %q %v, want %q %v", b, off, got, gs, want, ws)
			}
		}
	}
}

func TestStrtabIs(t *testing.T) {
	tab := strtab{b: []byte("\x00.text\x00.tex\x00.textx"), ix: &strIndex{}}
	for _, c := range []struct {
		off  uint64
		want bool
	}{{1, true}, {7, false}, {12, false}, {0, false}, {100, false}, {^uint64(0), false}} {
		if got := tab.is(c.off, ".text"); got != c.want {
			t.Errorf("is(%d) = %v", c.off, got)
		}
	}
	if !(strtab{b: []byte("a.text")}).is(1, ".text") {
		t.Error("a name may end at the end of the table")
	}
}

// TestStrtabLongRun: many lookups into one long unterminated run stay
// linear (the index is built once) and agree with the naive lookup.
func TestStrtabLongRun(t *testing.T) {
	b := bytes.Repeat([]byte("a"), 1<<20)
	tab := strtab{b: b, ix: &strIndex{}}
	for off := 0; off < len(b); off += 97 {
		s, st := tab.get(uint64(off))
		if st != strOK || len(s) != len(b)-off {
			t.Fatalf("offset %d: %d bytes, %v", off, len(s), st)
		}
	}
	if len(tab.ix.valid) == 0 {
		t.Fatal("the index was not used")
	}
}
