//go:build linux && amd64 && jitguard

package jit

import (
	"golang.org/x/sys/unix"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// In jitguard builds (go test -tags jitguard) the generated code never
// touches the VM's own memory: every region is copied into its own mapping
// whose last byte sits right before an inaccessible page, with another
// inaccessible page in front. An access the inline checks should have
// refused then crashes the test instead of silently reading or writing
// neighbouring memory. The copies are synchronised with the VM's memory
// around every exit, so syscalls and results see the same bytes.

// guardedRegion pairs a region's memory with its guarded copy.
type guardedRegion struct {
	orig []byte
	copy []byte
	mem  []byte // the whole mapping, guard pages included
}

func (r *run) guardRegions(regions []vm.MemoryRegion) []vm.MemoryRegion {
	out := append([]vm.MemoryRegion(nil), regions...)
	page := unix.Getpagesize()
	for i := range out {
		n := len(out[i].Host)
		if n == 0 {
			continue
		}
		body := (n + page - 1) / page * page
		mem, err := unix.Mmap(-1, 0, body+2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
		if err != nil {
			panic("jitguard: " + err.Error())
		}
		if unix.Mprotect(mem[:page], unix.PROT_NONE) != nil || unix.Mprotect(mem[page+body:], unix.PROT_NONE) != nil {
			panic("jitguard: mprotect failed")
		}
		cp := mem[page+body-n : page+body : page+body]
		r.guarded = append(r.guarded, guardedRegion{orig: out[i].Host, copy: cp, mem: mem})
		out[i].Host = cp
	}
	return out
}

func (r *run) toGuarded() {
	for _, g := range r.guarded {
		copy(g.copy, g.orig)
	}
}

func (r *run) fromGuarded() {
	for _, g := range r.guarded {
		copy(g.orig, g.copy)
	}
}

func (r *run) releaseGuarded() {
	for _, g := range r.guarded {
		_ = unix.Munmap(g.mem)
	}
	r.guarded = nil
}
