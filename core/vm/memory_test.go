package vm

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func TestMappingLookupAndEdges(t *testing.T) {
	a := []byte{1, 2, 3, 4}
	b := []byte{5, 6, 7, 8}
	m, err := NewMemoryMapping([]MemoryRegion{
		NewRegion(b, 0x2000, 0, true),
		NewRegion(a, 0x1000, 0, false),
	}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if rs := m.Regions(); rs[0].VMAddr != 0x1000 || rs[1].VMAddr != 0x2000 {
		t.Fatalf("regions not sorted: %+v", rs)
	}
	if v, err := m.Load(0x1000, 4); err != nil || v != 0x04030201 {
		t.Errorf("load a: %#x %v", v, err)
	}
	if v, err := m.Load(0x2003, 1); err != nil || v != 8 {
		t.Errorf("load last byte of b: %#x %v", v, err)
	}
	for _, c := range []struct {
		access AccessType
		addr   uint64
		n      uint64
		text   string
	}{
		{Load, 0x1001, 4, "Access violation in unknown section at address 0x1001 of size 4 by instruction #0"},
		{Load, 0xfff, 1, "Access violation in unknown section at address 0xfff of size 1 by instruction #0"},
		{Store, 0x1000, 1, "Access violation in unknown section at address 0x1000 of size 1 by instruction #0"},
		{Load, 0x2004, 1, "Access violation in unknown section at address 0x2004 of size 1 by instruction #0"},
		{Load, 0x2000, ^uint64(0), "Access violation in unknown section at address 0x2000 of size 18446744073709551615 by instruction #0"},
	} {
		_, err := m.Map(c.access, c.addr, c.n)
		if err == nil || err.Error() != c.text {
			t.Errorf("%v %#x/%d: got %v, want %q", c.access, c.addr, c.n, err, c.text)
		}
	}
	if err := m.Store(0x2001, 2, 0xaabb); err != nil || !bytes.Equal(b, []byte{5, 0xbb, 0xaa, 8}) {
		t.Errorf("store: %v %x", err, b)
	}
	// A zero-length access at the very end of a region is allowed.
	if got, err := m.Map(Load, 0x2004, 0); err != nil || len(got) != 0 {
		t.Errorf("empty access at end: %v", err)
	}
}

func TestMappingOverlap(t *testing.T) {
	_, err := NewMemoryMapping([]MemoryRegion{
		NewRegion(make([]byte, 0x10), 0x1000, 0, false),
		NewRegion(make([]byte, 0x10), 0x100f, 0, false),
	}, DefaultConfig())
	var e *Error
	if !errors.As(err, &e) || e.Kind != VirtualAddressOverlap || err.Error() != "virtual address overlap 100f" {
		t.Fatalf("overlap: %v", err)
	}
	// Touching regions do not overlap.
	if _, err := NewMemoryMapping([]MemoryRegion{
		NewRegion(make([]byte, 0x10), 0x1000, 0, false),
		NewRegion(make([]byte, 0x10), 0x1010, 0, false),
	}, DefaultConfig()); err != nil {
		t.Fatal(err)
	}
}

func TestMappingStackGaps(t *testing.T) {
	cfg := DefaultConfig()
	f := NewCallFrames(cfg.MaxCallDepth, cfg.StackFrameSize)
	m, err := NewMemoryMapping([]MemoryRegion{f.Region()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fs := uint64(cfg.StackFrameSize)
	// Frame 0 is mapped, then a gap, then frame 1 (host bytes 4096..8191).
	if err := m.Store(ebpf.MMStackStart+2*fs, 1, 0x5a); err != nil {
		t.Fatal(err)
	}
	if f.stack[fs] != 0x5a {
		t.Errorf("frame 1 does not start at host offset %d", fs)
	}
	cases := []struct {
		addr uint64
		n    uint64
		text string
	}{
		{ebpf.MMStackStart + fs, 1, "Access violation in stack frame 1 at address 0x200001000 of size 1 by instruction #0"},
		{ebpf.MMStackStart - 1, 1, "Access violation in stack frame 0 at address 0x1ffffffff of size 1 by instruction #0"},
		{ebpf.MMStackStart - fs - 1, 1, "Access violation in stack frame -1 at address 0x1ffffefff of size 1 by instruction #0"},
		{ebpf.MMStackStart - 2*fs - 1, 1, "Access violation in program section at address 0x1ffffdfff of size 1 by instruction #0"},
		{ebpf.MMStackStart + 19*fs, 1, "Access violation in stack frame 19 at address 0x200013000 of size 1 by instruction #0"},
		{ebpf.MMStackStart + 40*fs, 1, "Access violation in stack section at address 0x200028000 of size 1 by instruction #0"},
		{ebpf.MMStackStart + 21*fs, 1, "Access violation in stack section at address 0x200015000 of size 1 by instruction #0"},
		{ebpf.MMHeapStart, 1, "Access violation in heap section at address 0x300000000 of size 1 by instruction #0"},
		{ebpf.MMInputStart, 1, "Access violation in input section at address 0x400000000 of size 1 by instruction #0"},
	}
	for _, c := range cases {
		if _, err := m.Map(Load, c.addr, c.n); err == nil || err.Error() != c.text {
			t.Errorf("%#x: got %v, want %q", c.addr, err, c.text)
		}
	}
	// Only the first byte is checked against the gap, as in rbpf: an access
	// running off the end of frame 0 reads the start of frame 1.
	if v, err := m.Load(ebpf.MMStackStart+fs-1, 2); err != nil || v != 0x5a00 {
		t.Errorf("access across the gap: %#x %v", v, err)
	}
	// Frame 10 lives at 20 frame sizes: the VM span is twice the host size.
	if _, err := m.Map(Store, ebpf.MMStackStart+20*fs, 1); err != nil {
		t.Errorf("frame 10: %v", err)
	}
}

func TestMappingDuplicateStartPrefersLast(t *testing.T) {
	// With equal starts rbpf's lookup finds the region added last.
	m, err := NewMemoryMapping([]MemoryRegion{
		NewRegion(nil, 0x1000, 0, true),
		NewRegion([]byte{9}, 0x1000, 0, true),
	}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := m.Load(0x1000, 1); err != nil || v != 9 {
		t.Errorf("got %d %v", v, err)
	}
}

func TestRegionVMToHost(t *testing.T) {
	r := NewRegion(make([]byte, 16), 0x100, 4, true)
	if r.GapShift != 2 {
		t.Fatalf("gap shift %d", r.GapShift)
	}
	// VM 0x100-0x103 -> host 0-3, 0x104-0x107 gap, 0x108-0x10b -> host 4-7.
	if off, err := r.VMToHost(0x109, 2); err != nil || off != 5 {
		t.Errorf("0x109: %d %v", off, err)
	}
	if _, err := r.VMToHost(0x105, 1); err == nil || err.Error() != "invalid virtual address 105" {
		t.Errorf("gap: %v", err)
	}
}

func TestMapIsAllocationFree(t *testing.T) {
	m, _ := NewMemoryMapping([]MemoryRegion{NewRegion(make([]byte, 64), ebpf.MMInputStart, 0, true)}, DefaultConfig())
	allocs := testing.AllocsPerRun(100, func() {
		_ = m.Store(ebpf.MMInputStart+8, 8, 42)
		_, _ = m.Load(ebpf.MMInputStart+8, 8)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per load/store", allocs)
	}
}

// TestHostBytes checks that Map, Load and Store count the bytes they hand
// out, and that refused accesses count nothing.
func TestHostBytes(t *testing.T) {
	m, err := NewMemoryMapping([]MemoryRegion{NewRegion(make([]byte, 64), ebpf.MMInputStart, 0, true)}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Map(Load, ebpf.MMInputStart, 40); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Load(ebpf.MMInputStart+8, 8); err != nil {
		t.Fatal(err)
	}
	if err := m.Store(ebpf.MMInputStart, 2, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Map(Load, ebpf.MMInputStart, 65); err == nil {
		t.Fatal("a 65-byte map of a 64-byte region was allowed")
	}
	if got := m.HostBytes(); got != 40+8+2 {
		t.Errorf("HostBytes %d, want 50", got)
	}
}

func TestHostStoreHook(t *testing.T) {
	val := make([]byte, 16)
	mem, err := NewMemoryMapping([]MemoryRegion{NewRegion(val, 0x1000, 0, true)}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	mem.SetHostStoreHook(func(addr, n uint64) { got = append(got, addr, n) })
	if _, err := mem.Map(Load, 0x1000, 4); err != nil { // a load is not reported
		t.Fatal(err)
	}
	if _, err := mem.Map(Store, 0x1004, 3); err != nil {
		t.Fatal(err)
	}
	if err := mem.Store(0x1008, 8, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Map(Store, 0x100f, 2); err == nil { // a refused store is not reported
		t.Fatal("store past the region granted")
	}
	if want := []uint64{0x1004, 3, 0x1008, 8}; !slices.Equal(got, want) {
		t.Errorf("hook saw %#x, want %#x", got, want)
	}
	mem.SetHostStoreHook(nil)
	if _, err := mem.Map(Store, 0x1000, 1); err != nil || len(got) != 4 {
		t.Errorf("a removed hook still called: %v %#x", err, got)
	}
}
