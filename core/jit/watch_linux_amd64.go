//go:build linux && amd64

package jit

import (
	"encoding/binary"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Watchpoints on compiled code. A program compiled with Options.Watch
// checks, in its translation routine, every access that leaves the inline
// fast paths (emitWatchCheck); a run keeps the fast paths off what a watch
// could catch (unwatch), so every access that may hit is checked. A hit
// zeroes the budget, so the code returns to Go at the next segment start,
// right after the instruction, as a trip of the meter: handleExit reports
// the hit to the VM (vm.Native.Watched), gives the budget back and
// resumes, exactly as after a budget slice. The interpreter stops at the
// same point: after the instruction, before the next one.

// setWatches fills the context's watch lists for ws (r.watchPairs, which
// the run keeps alive, holds their pairs) and narrows the fast paths.
func (r *run) setWatches(ws []vm.Watch) {
	if len(ws) == 0 {
		return
	}
	c := r.ctx
	r.watchPairs = make([]uint64, 0, 2*8*len(ws))
	var counts [8]int
	for idx := range counts {
		access, size := vm.Load, uint64(1)<<(idx&3)
		if idx >= 4 {
			access = vm.Store
		}
		for _, w := range ws {
			if !w.Kind.Catches(access) {
				continue
			}
			start := uint64(0)
			if w.Addr >= size-1 {
				start = w.Addr - (size - 1)
			}
			r.watchPairs = append(r.watchPairs, start, w.Last()-start)
			counts[idx]++
		}
	}
	at := 0
	for idx, n := range counts {
		if n > 0 {
			c.watchLists[idx] = [2]uintptr{uintptr(unsafe.Pointer(&r.watchPairs[at])), uintptr(n)}
		}
		at += 2 * n
	}
	unwatch(&c.input, ws)
	for i := range r.frameDescs {
		unwatch(&r.frameDescs[i], ws)
	}
}

// unwatch keeps fast path d from serving an access a watch could catch.
// It serves limit[0] bytes from d.vm (the limit of one-byte loads is the
// length). Where only writes are watched, loads keep the whole range and
// stores leave the fast path; otherwise d shrinks to the longest stretch no
// watch touches, for loads and stores, and the rest goes through the
// checked translation.
func unwatch(d *regionDesc, ws []vm.Watch) {
	n := d.limit[0]
	if n == 0 {
		return
	}
	var kinds vm.WatchKind
	for _, w := range ws {
		if w.Touches(d.vm, n) {
			kinds |= w.Kind
		}
	}
	switch kinds {
	case 0:
		return
	case vm.WatchWrite:
		clear(d.limit[4:])
		return
	}
	lo, size := longestUnwatched(d.vm, n, ws)
	writable := d.limit[4] != 0
	clear(d.limit[:])
	d.host += uintptr(lo - d.vm)
	d.vm = lo
	for lg := 0; lg < 4; lg++ {
		if k := uint64(1) << lg; size >= k {
			d.limit[lg] = size - k + 1
			if writable {
				d.limit[4+lg] = size - k + 1
			}
		}
	}
}

// longestUnwatched returns the longest stretch of the n bytes at start
// that no watch touches (size 0 when there is none).
func longestUnwatched(start, n uint64, ws []vm.Watch) (lo, size uint64) {
	at := start // the first byte not yet known to be touched
	end := start + n
	for at < end {
		// The next watch at or after at, clipped to the range.
		next, last := end, uint64(0)
		for _, w := range ws {
			if w.Last() >= at && w.Addr < next {
				next, last = max(w.Addr, at), w.Last()
			}
		}
		if next-at > size {
			lo, size = at, next-at
		}
		if next >= end || last >= end-1 {
			break
		}
		at = last + 1
	}
	return lo, size
}

// watchHit handles a hit the code recorded before this exit. The exit is
// then the meter trip the hit caused, or the one the budget or the slice
// ran out with at the same instruction, or (with the meter off, after an
// access in the last slot) the overrun exit. It reports the hit, gives
// back the budget and tells handleExit what to do: stop the run with
// r.result (done), re-enter the code (resume), or handle the exit as it
// would have without the watch.
func (r *run) watchHit() (done, resume bool) {
	c := r.ctx
	c.watchPending = 0
	c.rem = c.watchRem
	idx := c.watchIdx / 8
	size := 1 << (idx & 3)
	h := vm.WatchHit{PC: int(c.watchPC), Executed: r.settled + r.sinceRestart(), Access: vm.Load,
		Addr: c.watchAddr, Size: size, Regs: c.regs}
	if idx >= 4 {
		h.Access = vm.Store
		h.Old = binary.LittleEndian.AppendUint64(nil, c.watchOld)[:size]
	}
	// A trip with the budget already spent by the instruction itself is
	// the meter's (or a slice's): the exit is handled as it stands, and
	// the meter's error wins over a stop at the hit, as in the
	// interpreter.
	own := c.exitCode == exitTrip && c.watchRem == 0
	stop := r.n.Watched(h)
	if stop != nil && !(own && !r.capped) {
		r.result = r.finish(0, stop)
		return true, false
	}
	return false, c.exitCode == exitTrip && !own
}
