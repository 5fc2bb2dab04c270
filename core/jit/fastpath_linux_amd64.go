//go:build linux && amd64

package jit

import (
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// setFastPaths fills the descriptors of the inline fast paths. Each may
// only accept accesses the interpreter's lookup would send to the same
// region with the same result; where the layout makes that uncertain its
// limits stay 0 and every access takes the complete translation.
func (r *run) setFastPaths(cfg vm.Config, regions []vm.MemoryRegion) {
	c := r.ctx
	for i := range regions {
		if regions[i].VMAddr == ebpf.MMInputStart && regions[i].Writable {
			// Regions may not overlap, so nothing else starts inside the
			// input; among equal starts the input, added after granted
			// regions, is the one found.
			if last := lastAt(regions, ebpf.MMInputStart); last == i {
				c.input = describe(&regions[i])
			}
		}
	}
	r.frameDescs = make([]regionDesc, cfg.MaxCallDepth)
	c.frameDescs = uintptr(unsafe.Pointer(&r.frameDescs[0]))
	c.curFrame = c.frameDescs
	fs := uint64(cfg.StackFrameSize)
	si := lastAt(regions, ebpf.MMStackStart)
	if fs == 0 || fs&(fs-1) != 0 || si < 0 || len(regions[si].Host) != len(r.m.CallFrames().Region().Host) ||
		len(regions[si].Host) == 0 || !regions[si].Writable {
		return
	}
	stack := regions[si]
	for i := range r.frameDescs {
		start := ebpf.MMStackStart + uint64(i)*2*fs
		if blocked(regions, si, start+fs) {
			break
		}
		d := &r.frameDescs[i]
		d.vm = start
		d.host = uintptr(unsafe.Pointer(&stack.Host[uint64(i)*fs]))
		for lg := 0; lg < 4; lg++ {
			if n := uint64(1) << lg; fs >= n {
				d.limit[lg] = fs - n + 1
				d.limit[4+lg] = fs - n + 1
			}
		}
	}
}

// lastAt is the index of the region the lookup finds for exactly addr
// when one starts there (the last of equal starts), or -1.
func lastAt(regions []vm.MemoryRegion, addr uint64) int {
	idx := -1
	for i := range regions {
		if regions[i].VMAddr == addr {
			idx = i
		}
	}
	return idx
}

// blocked reports whether a region other than the stack (index si) starts
// in [MMStackStart, end), so that the lookup of some address below end
// would not find the stack.
func blocked(regions []vm.MemoryRegion, si int, end uint64) bool {
	for i := range regions {
		if i != si && regions[i].VMAddr >= ebpf.MMStackStart && regions[i].VMAddr < end {
			return true
		}
	}
	return false
}
