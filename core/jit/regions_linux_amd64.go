//go:build linux && amd64

package jit

import (
	"math/bits"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// setRegions builds the region descriptors and the bucket table from the
// VM's regions (sorted by VM address, as the mapping keeps them).
func (r *run) setRegions(regions []vm.MemoryRegion) {
	c := r.ctx
	r.descs = make([]regionDesc, len(regions))
	for i := range regions {
		r.descs[i] = describe(&regions[i])
	}
	c.regionCount = uint64(len(r.descs))
	if len(r.descs) > 0 {
		c.regionLast = uintptr(unsafe.Pointer(&r.descs[len(r.descs)-1]))
	}
	empty := uintptr(unsafe.Pointer(&c.empty))
	for b := range c.buckets {
		c.buckets[b] = 0
		switch i, n := bucketRegions(regions, uint64(b)); {
		case n == 0 && !crossesInto(regions, uint64(b)):
			c.buckets[b] = empty
		case n == 1 && !crossesInto(regions, uint64(b)):
			c.buckets[b] = uintptr(unsafe.Pointer(&r.descs[i]))
		}
	}
}

// describe makes the descriptor of one region (see regionDesc).
func describe(reg *vm.MemoryRegion) regionDesc {
	shift := reg.GapShift & 63
	d := regionDesc{
		vm:     reg.VMAddr,
		gapBit: uint64(1) << shift,
		hiMask: ^(uint64(1)<<shift - 1),
	}
	n := uint64(len(reg.Host))
	if n > 0 {
		d.host = uintptr(unsafe.Pointer(&reg.Host[0]))
	}
	for lg := 0; lg < 4; lg++ {
		size := uint64(1) << lg
		if n >= size {
			d.limit[lg] = n - size + 1
			if reg.Writable {
				d.limit[4+lg] = n - size + 1
			}
		}
	}
	return d
}

// bucketRegions returns how many regions start in 4 GiB bucket b and the
// index of the last of them.
func bucketRegions(regions []vm.MemoryRegion, b uint64) (last, n int) {
	for i := range regions {
		if regions[i].VMAddr>>32 == b {
			last, n = i, n+1
		}
	}
	return last, n
}

// crossesInto reports whether a region starting below bucket b may reach
// into it. A gapped region spans up to twice its length of VM space.
func crossesInto(regions []vm.MemoryRegion, b uint64) bool {
	start := b << 32
	for i := range regions {
		reg := &regions[i]
		if reg.VMAddr >= start {
			continue
		}
		span := uint64(len(reg.Host))
		if reg.GapShift < 63 {
			span *= 2
		}
		end, carry := bits.Add64(reg.VMAddr, span, 0)
		if carry != 0 || end > start {
			return true
		}
	}
	return false
}
