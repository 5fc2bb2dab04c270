package vm

import (
	"encoding/binary"
	"math/bits"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// MemoryRegion maps host bytes into the VM's address space, as rbpf's
// MemoryRegion. A region with a gap (the stack) alternates mapped and
// unmapped VM ranges of 1<<GapShift bytes each, starting with a mapped one,
// so that consecutive stack frames are separated by unmapped space.
type MemoryRegion struct {
	// Host holds the region's bytes; writes through the VM change it.
	Host []byte
	// VMAddr is the VM address of Host[0].
	VMAddr uint64
	// GapShift is log2 of the gap size; 63 means the region is contiguous.
	GapShift uint8
	// Writable allows stores (loads are always allowed).
	Writable bool
}

// NewRegion makes a region of host at vmAddr. gapSize 0 makes it
// contiguous; otherwise gapSize should be a power of two and the shift is
// taken from its highest set bit, as rbpf does.
func NewRegion(host []byte, vmAddr uint64, gapSize uint64, writable bool) MemoryRegion {
	shift := uint8(63)
	if gapSize > 0 {
		shift = uint8(63 - bits.LeadingZeros64(gapSize))
	}
	return MemoryRegion{Host: host, VMAddr: vmAddr, GapShift: shift, Writable: writable}
}

// Len is the number of host bytes in the region.
func (r *MemoryRegion) Len() uint64 { return uint64(len(r.Host)) }

// hostOffset translates vmAddr (which must be >= r.VMAddr) into an offset
// into Host for an access of n bytes. ok is false when the access falls in a
// gap or past the end.
func (r *MemoryRegion) hostOffset(vmAddr, n uint64) (off uint64, ok bool) {
	off = vmAddr - r.VMAddr
	inGap := (off>>r.GapShift)&1 == 1
	mask := uint64(1)<<r.GapShift - 1
	off = (off&^mask)>>1 | off&mask
	end, carry := bits.Add64(off, n, 0)
	if carry != 0 || end > uint64(len(r.Host)) || inGap {
		return 0, false
	}
	return off, true
}

// VMToHost is rbpf's MemoryRegion::vm_to_host: the offset into Host of an
// access of n bytes at vmAddr, or InvalidVirtualAddress. vmAddr must not be
// below VMAddr.
func (r *MemoryRegion) VMToHost(vmAddr, n uint64) (uint64, error) {
	if vmAddr < r.VMAddr {
		return 0, &Error{Kind: InvalidVirtualAddress, Addr: vmAddr}
	}
	off, ok := r.hostOffset(vmAddr, n)
	if !ok {
		return 0, &Error{Kind: InvalidVirtualAddress, Addr: vmAddr}
	}
	return off, nil
}

// MemoryMapping is the VM's address space: regions sorted by VM address,
// looked up as rbpf's MemoryMapping::map does (the region with the greatest
// start not above the address; among equal starts the one added last).
type MemoryMapping struct {
	regions        []MemoryRegion
	keys           []uint64
	stackFrameSize int64
	maxCallDepth   int64
	hostBytes      uint64 // bytes Map, Load and Store have handed out
	onHostStore    func(vmAddr, n uint64)
}

// SetHostStoreHook makes f see every store Map and Store grant host code
// (syscalls writing into the VM's memory): the range, before the bytes are
// written. The interpreter's and the JIT's own stores do not call it. nil
// removes the hook; with none set, granting a store costs nothing more.
// core/provenance records what syscalls write with it.
func (m *MemoryMapping) SetHostStoreHook(f func(vmAddr, n uint64)) { m.onHostStore = f }

// HostBytes is the number of bytes Map, Load and Store have handed to host
// code (syscalls, VM.ReadMemory) since the mapping was made. The interpreter's and the
// JIT's own loads and stores do not count. A host that bounds work by
// something other than time can charge syscalls with it.
func (m *MemoryMapping) HostBytes() uint64 { return m.hostBytes }

// NewMemoryMapping sorts regions by VM address and rejects overlaps with
// VirtualAddressOverlap, as rbpf's MemoryMapping::new. cfg's stack frame
// size and call depth are used to name stack frames in access violations.
func NewMemoryMapping(regions []MemoryRegion, cfg Config) (*MemoryMapping, error) {
	rs := append([]MemoryRegion(nil), regions...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].VMAddr < rs[j].VMAddr })
	for i := 1; i < len(rs); i++ {
		first, second := &rs[i-1], &rs[i]
		end, carry := bits.Add64(first.VMAddr, first.Len(), 0)
		if carry != 0 || end > second.VMAddr {
			return nil, &Error{Kind: VirtualAddressOverlap, Addr: second.VMAddr}
		}
	}
	m := &MemoryMapping{
		regions:        rs,
		keys:           make([]uint64, len(rs)),
		stackFrameSize: int64(cfg.StackFrameSize),
		maxCallDepth:   int64(cfg.MaxCallDepth),
	}
	for i := range rs {
		m.keys[i] = rs[i].VMAddr
	}
	return m, nil
}

// Regions returns the regions sorted by VM address. The slice is shared:
// do not modify it.
func (m *MemoryMapping) Regions() []MemoryRegion { return m.regions }

// search returns the index of the region that may hold vmAddr, or -1, by
// bisection; slice scans short lists itself.
//
//go:noinline
func (m *MemoryMapping) search(vmAddr uint64) int {
	return sort.Search(len(m.keys), func(i int) bool { return m.keys[i] > vmAddr }) - 1
}

// find returns the index of the region with the greatest start not above
// vmAddr (the last added among equal starts), or -1.
func (m *MemoryMapping) find(vmAddr uint64) int {
	keys := m.keys
	if len(keys) > 8 {
		return m.search(vmAddr)
	}
	i := len(keys) - 1
	for i >= 0 && keys[i] > vmAddr {
		i--
	}
	return i
}

// slice returns the host bytes of an access; ok is false when the access is
// not allowed. It picks the region with the greatest start not above
// vmAddr (scanning a short list from the top), and contiguous regions, the
// common case, take a short path.
func (m *MemoryMapping) slice(access AccessType, vmAddr, n uint64) (b []byte, ok bool) {
	i := m.find(vmAddr)
	if i < 0 {
		return nil, false
	}
	r := &m.regions[i]
	if access == Store && !r.Writable {
		return nil, false
	}
	if r.GapShift == 63 {
		off, size := vmAddr-r.VMAddr, uint64(len(r.Host))
		if off > size || n > size-off {
			return nil, false
		}
		return r.Host[off : off+n : off+n], true
	}
	off, ok := r.hostOffset(vmAddr, n)
	if !ok {
		return nil, false
	}
	return r.Host[off : off+n : off+n], true
}

// Map translates an access of n bytes at vmAddr into the host bytes it
// covers (sharing memory with the region), or the access violation rbpf
// reports, with instruction number 0 (the interpreter fills in its own).
func (m *MemoryMapping) Map(access AccessType, vmAddr, n uint64) ([]byte, error) {
	if b, ok := m.slice(access, vmAddr, n); ok {
		m.hostBytes += n
		if access == Store && m.onHostStore != nil {
			m.onHostStore(vmAddr, n)
		}
		return b, nil
	}
	return nil, m.AccessViolation(access, vmAddr, n)
}

// AccessViolation builds the error rbpf reports for a refused access:
// StackAccessViolation when the address is within one frame of the stack
// frames (frame -1 to MaxCallDepth), otherwise AccessViolation naming the
// 4 GiB section of the address.
func (m *MemoryMapping) AccessViolation(access AccessType, vmAddr, n uint64) *Error {
	if m.stackFrameSize != 0 {
		frame := (int64(vmAddr) - int64(ebpf.MMStackStart)) / m.stackFrameSize
		if frame >= -1 && frame <= m.maxCallDepth {
			return &Error{Kind: StackAccessViolation, Access: access, Addr: vmAddr, Len: n, Frame: frame}
		}
	}
	return &Error{Kind: AccessViolation, Access: access, Addr: vmAddr, Len: n, Section: sectionName(vmAddr)}
}

func sectionName(vmAddr uint64) string {
	switch vmAddr &^ (ebpf.MMProgramStart - 1) {
	case ebpf.MMProgramStart:
		return "program"
	case ebpf.MMStackStart:
		return "stack"
	case ebpf.MMHeapStart:
		return "heap"
	case ebpf.MMInputStart:
		return "input"
	}
	return "unknown"
}

// Load reads an n-byte (1, 2, 4 or 8) little-endian value at vmAddr.
func (m *MemoryMapping) Load(vmAddr uint64, n int) (uint64, error) {
	b, ok := m.slice(Load, vmAddr, uint64(n))
	if !ok {
		return 0, m.AccessViolation(Load, vmAddr, uint64(n))
	}
	m.hostBytes += uint64(n)
	return loadLE(b), nil
}

// Store writes the low n bytes (1, 2, 4 or 8) of v little-endian at vmAddr.
func (m *MemoryMapping) Store(vmAddr uint64, n int, v uint64) error {
	b, ok := m.slice(Store, vmAddr, uint64(n))
	if !ok {
		return m.AccessViolation(Store, vmAddr, uint64(n))
	}
	m.hostBytes += uint64(n)
	if m.onHostStore != nil {
		m.onHostStore(vmAddr, uint64(n))
	}
	storeLE(b, v)
	return nil
}

func loadLE(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	case 8:
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func storeLE(b []byte, v uint64) {
	switch len(b) {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	case 8:
		binary.LittleEndian.PutUint64(b, v)
	}
}
