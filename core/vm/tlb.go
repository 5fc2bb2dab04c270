package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// tlbSlots is the number of regions the interpreter keeps at hand; a slot
// is chosen by bits 32-34 of the address, which separate rbpf's program,
// stack, heap and input sections.
const tlbSlots = 8

// tlbEntry lets the dispatch loop translate an address without calling
// into the memory mapping: it is one region of the mapping together with
// the range of addresses for which MemoryMapping.slice would pick that
// region (from its start up to the next region's start). Inside that
// range, the entry allows exactly the accesses slice allows, so using it
// cannot change a result; anything it refuses goes to the mapping.
type tlbEntry struct {
	start    uint64 // the region's VM address
	span     uint64 // addresses start..start+span-1 select the region
	mask     uint64 // 1<<GapShift - 1, or all ones for a contiguous region
	host     []byte
	writable bool
}

// at returns the n host bytes of an access at addr, when the entry's
// region serves it. The translation is MemoryRegion.hostOffset, with the
// contiguous case folded in: an all-ones mask leaves the offset as it is
// and makes the gap bit (mask+1) zero.
func (e *tlbEntry) at(addr, n uint64) ([]byte, bool) {
	off := addr - e.start
	lo := (off&^e.mask)>>1 | off&e.mask
	h := e.host
	if off >= e.span || off&(e.mask+1) != 0 || lo > uint64(len(h)) || n > uint64(len(h))-lo {
		return nil, false
	}
	return h[lo : lo+n], true
}

// refill looks addr up in the memory mapping for an n-byte access and,
// when the access is allowed, puts the region into addr's slot so that
// executing the instruction again finds it there. It reports whether the
// access is allowed, and the region's index when a watch keeps the access
// out of the tlb (-1 when the slot serves it): in a region a watch
// overlaps, the slot serves only what cannot hit (see watchedEntry).
func (vm *VM) refill(access AccessType, addr, n uint64) (ok bool, watched int) {
	m := vm.mem
	if _, ok := m.slice(access, addr, n); !ok {
		return false, -1
	}
	i := m.find(addr)
	e := vm.tlbEntry(i)
	if vm.watch.kinds != nil && vm.watch.kinds[i] != 0 {
		if e, ok = vm.watchedEntry(i, e, access, addr, n); !ok {
			return true, i
		}
	}
	vm.tlb[addr>>32%tlbSlots] = e
	return true, -1
}

// tlbEntry is the entry of region i of the mapping.
func (vm *VM) tlbEntry(i int) tlbEntry {
	m := vm.mem
	r := &m.regions[i]
	e := tlbEntry{start: r.VMAddr, span: ^uint64(0), mask: uint64(1)<<r.GapShift - 1, host: r.Host, writable: r.Writable}
	if r.GapShift >= 63 {
		e.mask = ^uint64(0)
	}
	if i+1 < len(m.keys) {
		e.span = m.keys[i+1] - r.VMAddr
	}
	return e
}

// clearTLB forgets every cached region, for a new run whose mapping may
// differ (Reset replaces the input).
func (vm *VM) clearTLB() { vm.tlb = [tlbSlots]tlbEntry{} }

// enter pushes a call frame as CallFrames.Push does (saving r6-r9 of reg and
// the return index, and pointing r10 at the new frame's stack) without a
// call the dispatch loop would pay for; it reports false when every frame
// is in use.
func (f *CallFrames) enter(reg *[16]uint64, ret int) bool {
	if f.index+1 >= len(f.frames) {
		return false
	}
	fr := &f.frames[f.index]
	fr.SavedReg = [ebpf.ScratchRegs]uint64{reg[6], reg[7], reg[8], reg[9]}
	fr.ReturnPC = ret
	f.index++
	f.max = max(f.max, f.index)
	reg[ebpf.StackReg] = f.frames[f.index].VMAddr + uint64(1)<<f.region.GapShift
	return true
}

// leave pops a frame entered with enter, restoring r6-r9 and r10, and
// returns the index to return to. The caller checks that the current
// frame is not the root.
func (f *CallFrames) leave(reg *[16]uint64) int {
	f.index--
	fr := &f.frames[f.index]
	reg[6], reg[7], reg[8], reg[9] = fr.SavedReg[0], fr.SavedReg[1], fr.SavedReg[2], fr.SavedReg[3]
	reg[ebpf.StackReg] = fr.VMAddr + uint64(1)<<f.region.GapShift
	return fr.ReturnPC
}
