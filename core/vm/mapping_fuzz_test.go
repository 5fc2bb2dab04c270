package vm

import (
	"encoding/binary"
	"math/bits"
	"sort"
	"testing"
)

// eytzinger is an independent model of rbpf's MemoryMapping lookup: the
// regions laid out in Eytzinger (BFS) order and searched by walking the
// implicit tree, as rbpf v0.2.8 does.
type eytzinger struct {
	keys []uint64
	idx  []int // position in the sorted slice of each Eytzinger slot
}

func newEytzinger(sorted []uint64) *eytzinger {
	e := &eytzinger{keys: make([]uint64, len(sorted)), idx: make([]int, len(sorted))}
	var fill func(in, out int) int
	fill = func(in, out int) int {
		if out >= len(sorted) {
			return in
		}
		in = fill(in, 2*out+1)
		e.keys[out], e.idx[out] = sorted[in], in
		return fill(in+1, 2*out+2)
	}
	fill(0, 0)
	return e
}

// find returns the sorted position of the region rbpf picks, or -1.
func (e *eytzinger) find(addr uint64) int {
	i := 1
	for i <= len(e.keys) {
		next := i << 1
		if e.keys[i-1] <= addr {
			next++
		}
		i = next
	}
	// The path's bits after the leading one are the turns (1: the key was
	// not above addr). Dropping the final run of left turns and the last
	// right turn leaves the node of that right turn: the answer.
	i >>= bits.TrailingZeros(uint(i)) + 1
	if i == 0 {
		return -1
	}
	return e.idx[i-1]
}

// FuzzMappingLookup checks that the mapping picks the same region as the
// Eytzinger model for any set of regions and address, with short (scanned)
// and long (bisected) region lists.
func FuzzMappingLookup(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0x10, 0, 4, 0, 0, 0, 0, 0, 0x20, 0, 4}, uint64(0x1002))
	f.Add(make([]byte, 9*20), uint64(0))
	f.Fuzz(func(t *testing.T, spec []byte, addr uint64) {
		var regions []MemoryRegion
		for len(spec) >= 9 && len(regions) < 40 {
			start := binary.LittleEndian.Uint64(spec) & 0xffff
			regions = append(regions, NewRegion(make([]byte, spec[8]&0x3f), start, 0, spec[8]&0x40 != 0))
			spec = spec[9:]
		}
		addr &= 0x1ffff
		m, err := NewMemoryMapping(regions, DefaultConfig())
		if err != nil {
			return // overlapping sets are rejected before any lookup
		}
		sorted := append([]MemoryRegion(nil), regions...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].VMAddr < sorted[j].VMAddr })
		keys := make([]uint64, len(sorted))
		for i := range sorted {
			keys[i] = sorted[i].VMAddr
		}
		want := newEytzinger(keys).find(addr)
		for n := uint64(0); n <= 9; n += 3 {
			b, ok := m.slice(Load, addr, n)
			wantOK := want >= 0 && addr-sorted[want].VMAddr+n <= sorted[want].Len()
			if ok != wantOK {
				t.Fatalf("addr %#x len %d: ok %v, model %v (region %d)", addr, n, ok, wantOK, want)
			}
			if ok && n > 0 && &b[0] != &sorted[want].Host[addr-sorted[want].VMAddr] {
				t.Fatalf("addr %#x: a different region's bytes", addr)
			}
		}
	})
}
