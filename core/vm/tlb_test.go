package vm

import (
	"encoding/binary"
	"testing"
)

// FuzzTLB checks the interpreter's region cache against the memory
// mapping: after a refill, every access any slot serves is one the mapping
// allows, with the same host bytes, and an access the mapping allows is
// served by its slot right after the refill (so the retried instruction
// cannot miss again). Regions may have gaps, be read-only, share a start,
// and start inside a gap region's span. With a watch armed, no slot serves
// an access the watch catches.
func FuzzTLB(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 2, 0, 0x10, 0x91, 0x20, 0, 0, 0, 4, 0, 0, 0x40, 0x00}, uint64(0x2_0000_0008), uint64(0x4_0000_0000))
	f.Add([]byte{0, 0, 0, 0, 2, 0, 4, 0xc4, 0x10, 0x10, 0, 0, 0, 2, 0, 0, 0x48, 0}, uint64(0x2_0000_0010), uint64(0x2_0000_0011))
	f.Fuzz(func(t *testing.T, spec []byte, a1, a2 uint64) {
		var regions []MemoryRegion
		for len(spec) >= 9 && len(regions) < 12 {
			start := binary.LittleEndian.Uint64(spec) & 0x7_0000_ffff
			size, gap := int(spec[8]&0x3f), uint64(0)
			if spec[8]&0x80 != 0 {
				gap = 4
			}
			host := make([]byte, size)
			regions = append(regions, NewRegion(host, start, gap, spec[8]&0x40 != 0))
			spec = spec[9:]
		}
		m, err := NewMemoryMapping(regions, DefaultConfig())
		if err != nil {
			return
		}
		vm := &VM{mem: m}
		if a1&1 != 0 {
			w := Watch{Addr: a2 & 0x7_0000_ffff, Len: 1 + a1>>58, Kind: WatchKind(1 + a1>>1%3)}
			if err := vm.SetWatches([]Watch{w}); err != nil {
				t.Fatal(err)
			}
		}
		addrs := []uint64{a1 & 0x7_0000_ffff, a2 & 0x7_0000_ffff, a1, a2}
		for _, access := range []AccessType{Load, Store} {
			for _, addr := range addrs {
				for _, n := range []uint64{1, 2, 4, 8} {
					checkRefill(t, vm, access, addr, n)
				}
			}
		}
	})
}

// checkRefill refills the slot of addr and compares every slot with the
// mapping at the fuzzed addresses and their neighbours.
func checkRefill(t *testing.T, vm *VM, access AccessType, addr, n uint64) {
	t.Helper()
	want, wantOK := vm.mem.slice(access, addr, n)
	ok, watched := vm.refill(access, addr, n)
	if ok != wantOK {
		t.Fatalf("refill(%v, %#x, %d) = %v, mapping says %v", access, addr, n, ok, wantOK)
	}
	if watched >= 0 && vm.watch.kinds[watched] == 0 {
		t.Fatalf("refill(%v, %#x, %d) kept an unwatched region out", access, addr, n)
	}
	if wantOK && watched < 0 {
		e := &vm.tlb[addr>>32%tlbSlots]
		b, ok := e.at(addr, n)
		if !ok || (access == Store && !e.writable) || &b[0] != &want[0] || len(b) != len(want) {
			t.Fatalf("%v %#x/%d: the refilled slot does not serve the access", access, addr, n)
		}
	}
	for i := range vm.tlb {
		e := &vm.tlb[i]
		for _, a := range []uint64{addr - 1, addr, addr + 1, addr + 8, addr + 16} {
			b, ok := e.at(a, n)
			if !ok || (access == Store && !e.writable) {
				continue
			}
			m, mok := vm.mem.slice(access, a, n)
			if !mok || &m[0] != &b[0] || len(m) != len(b) {
				t.Fatalf("slot %d serves %v %#x/%d, the mapping gives %v", i, access, a, n, mok)
			}
			if vm.watchIndex(access, a, n) >= 0 {
				t.Fatalf("slot %d serves %v %#x/%d, which hits %+v", i, access, a, n, vm.watch.watches)
			}
		}
	}
}

// TestTraceAcrossRegionMisses checks that a cache miss, which runs the
// instruction again, records it once: the trace has one entry per executed
// instruction, in program order, while loads and stores move between the
// input and two stack frames.
func TestTraceAcrossRegionMisses(t *testing.T) {
	r := run(t, `
		ldxb r2, [r1]
		stxdw [r10-8], r2
		mov64 r6, r1
		call 1
		ldxdw r0, [r10-8]
		ldxb r3, [r6+1]
		add64 r0, r3
		exit
	fn:
		stxdw [r10-16], r1
		ldxdw r0, [r10-16]
		exit`, []byte{40, 2}, 100, func(e *Executable) {
		e.Config.EnableInstructionTracing = true
		e.RegisterFunction(1, 8)
	})
	expectOK(t, r, 42, 11)
	want := []int{0, 1, 2, 3, 8, 9, 10, 4, 5, 6, 7}
	if len(r.Trace.Log) != len(want) {
		t.Fatalf("%d trace entries, want %d", len(r.Trace.Log), len(want))
	}
	for i, e := range r.Trace.Log {
		if e.PC() != want[i] {
			t.Errorf("entry %d at pc %d, want %d", i, e.PC(), want[i])
		}
	}
}
