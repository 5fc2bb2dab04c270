package provenance

import (
	"sort"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// bigWrite is the largest syscall write the block index holds; larger ones
// (a sol_memcpy_ of a whole account) are kept in a list searched in full.
const bigWrite = 256

// index is what queries search, built from the log up to the last step
// recorded when a query needs it, and extended by later queries.
type index struct {
	upto int // steps indexed
	// defs are the steps that set each register, in order.
	defs [11][]int32
	// open are the calls of the frames still entered, innermost last;
	// before counts the frames entered before the recording, which exits
	// leave once open is empty.
	open   []int32
	before int
	// rets are the exits that returned to a caller, in order.
	rets []ret

	memUpto, sysUpto int // memAt and writes entries indexed
	// blocks holds, per 8-byte block of VM memory (address >> 3), what
	// wrote into it in order: i >= 0 is the store memAt[i], i < 0 the
	// syscall write writes[-i-1].
	blocks map[uint64][]int32
	big    []int32 // syscall writes over bigWrite bytes, as writes indexes
	words  int     // int32 entries held by blocks
}

// ret is an exit that returned from a call.
type ret struct {
	exit, call int32 // call is -1 for a call made before the recording
}

func (x *index) reset(frames int) {
	*x = index{before: frames, blocks: map[uint64][]int32{}}
}

func (x *index) bytes() int {
	n := cap(x.open)*4 + cap(x.rets)*8 + cap(x.big)*4 + x.words*4 + len(x.blocks)*48
	for _, d := range x.defs {
		n += cap(d) * 4
	}
	return n
}

// update indexes the steps recorded since the last update.
func (r *Recorder) update() {
	x := &r.idx
	eff := r.effective()
	for i := x.upto; i < eff; i++ {
		pc := r.pcs[i]
		if pc < 0 || int(pc) >= len(r.slots) {
			continue
		}
		s := &r.slots[pc]
		switch s.kind {
		case slotCall:
			x.open = append(x.open, int32(i))
		case slotExit:
			call := int32(-1)
			switch {
			case len(x.open) > 0:
				call = x.open[len(x.open)-1]
				x.open = x.open[:len(x.open)-1]
			case x.before > 0:
				x.before--
			default:
				continue // the root frame's exit ends the run
			}
			x.rets = append(x.rets, ret{int32(i), call})
			for reg := ebpf.FirstScratchReg; reg <= ebpf.StackReg; reg++ {
				x.defs[reg] = append(x.defs[reg], int32(i))
			}
			continue
		}
		for d := s.def; d != 0; d &= d - 1 {
			reg := trailingZeros(d)
			x.defs[reg] = append(x.defs[reg], int32(i))
		}
	}
	x.upto = max(x.upto, eff)

	// The stores and syscall writes, merged in step order.
	for {
		mi, si := x.memUpto, x.sysUpto
		mStep, sStep := int32(eff), int32(eff)
		if mi < len(r.memAt) {
			mStep = r.memAt[mi]
		}
		if si < len(r.writes) {
			sStep = r.sys[r.writes[si].sys].step
		}
		if mStep >= int32(eff) && sStep >= int32(eff) {
			break
		}
		if mStep < sStep {
			x.memUpto++
			if op := ebpf.OpCode(r.text[int(r.pcs[mStep])*ebpf.InsnSize]); op.IsStore() {
				x.add(r.memAdr[mi], op.AccessSize(), int32(mi))
			}
			continue
		}
		x.sysUpto++
		if w := r.writes[si]; w.n > bigWrite {
			x.big = append(x.big, int32(si))
		} else {
			x.add(w.addr, w.n, int32(-si-1))
		}
	}
}

// add enters a write of n bytes at addr into the blocks it touches.
func (x *index) add(addr, n uint64, id int32) {
	if n == 0 {
		return
	}
	last := (addr + n - 1) >> 3
	if last < addr>>3 { // wraps around the address space
		last = ^uint64(0) >> 3
	}
	for b := addr >> 3; ; b++ {
		x.blocks[b] = append(x.blocks[b], id)
		x.words++
		if b == last {
			break
		}
	}
}

func trailingZeros(d uint16) int {
	n := 0
	for d&1 == 0 {
		d >>= 1
		n++
	}
	return n
}

// lastDef is the last step before step that set register reg, and its
// position in the register's list; -1 when none did.
func (r *Recorder) lastDef(reg, step int) (d, pos int) {
	defs := r.idx.defs[reg]
	pos = sort.Search(len(defs), func(i int) bool { return int(defs[i]) >= step }) - 1
	if pos < 0 {
		return -1, -1
	}
	return int(defs[pos]), pos
}

// callOf is the call step an exit at step returned from: -1 for a call
// made before the recording.
func (r *Recorder) callOf(step int) int {
	rets := r.idx.rets
	i := sort.Search(len(rets), func(i int) bool { return int(rets[i].exit) >= step })
	if i < len(rets) && int(rets[i].exit) == step {
		return int(rets[i].call)
	}
	return -1
}

// writer is what last wrote a byte: a store (mem >= 0, the memAt index)
// or a syscall write (write >= 0, the writes index).
type writer struct {
	step       int
	mem, write int
}

// none is the writer of a byte nothing wrote.
var none = writer{step: -1, mem: -1, write: -1}

// stepOf is the step of a block entry.
func (r *Recorder) stepOf(id int32) int {
	if id >= 0 {
		return int(r.memAt[id])
	}
	return int(r.sys[r.writes[-id-1].sys].step)
}

// covers reports whether block entry id wrote byte b.
func (r *Recorder) covers(id int32, b uint64) bool {
	var addr, n uint64
	if id >= 0 {
		addr = r.memAdr[id]
		n = ebpf.OpCode(r.text[int(r.pcs[r.memAt[id]])*ebpf.InsnSize]).AccessSize()
	} else {
		w := r.writes[-id-1]
		addr, n = w.addr, w.n
	}
	return b-addr < n
}

// lastWrite is the last write of byte b before step, and how many block
// entries it looked at.
func (r *Recorder) lastWrite(b uint64, step int) writer {
	best := none
	list := r.idx.blocks[b>>3]
	i := sort.Search(len(list), func(i int) bool { return r.stepOf(list[i]) >= step }) - 1
	for ; i >= 0; i-- {
		if r.covers(list[i], b) {
			best = r.writerOf(list[i])
			break
		}
	}
	for j := len(r.idx.big) - 1; j >= 0; j-- {
		w := r.writes[r.idx.big[j]]
		s := int(r.sys[w.sys].step)
		if s <= best.step {
			break
		}
		if s < step && b-w.addr < w.n {
			best = writer{step: s, mem: -1, write: int(r.idx.big[j])}
			break
		}
	}
	return best
}

func (r *Recorder) writerOf(id int32) writer {
	if id >= 0 {
		return writer{step: int(r.memAt[id]), mem: int(id), write: -1}
	}
	return writer{step: r.stepOf(id), mem: -1, write: int(-id - 1)}
}
