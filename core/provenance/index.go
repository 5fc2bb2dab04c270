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
	defs [11]column[int32]
	// open are the calls of the frames still entered, innermost last;
	// before counts the frames entered before the recording, which exits
	// leave once open is empty.
	open   []int32
	before int
	// rets are the exits that returned to a caller, in order.
	rets column[ret]

	memUpto, sysUpto int // memAt and writes entries indexed
	blocks           blockIndex
	big              []int32 // syscall writes over bigWrite bytes, as writes indexes
}

// ret is an exit that returned from a call.
type ret struct {
	exit, call int32 // call is -1 for a call made before the recording
}

// blockIndex holds, per 8-byte block of VM memory (address >> 3), what
// wrote into it in step order: an id >= 0 is the store memAt[id], an id
// < 0 the syscall write writes[-id-1]. Most of it is packed: the blocks
// written, sorted, and each one's ids a range of one array. Writes added
// since it was packed wait in pending, in step order, until there are
// packAt of them; then they are sorted by block (a radix sort, which
// keeps their order within a block) and merged in, in time proportional
// to the whole. A first query on a long recording packs everything at
// once.
type blockIndex struct {
	blocks  []uint64 // the blocks written, sorted
	starts  []int32  // blocks[i]'s ids are ids[starts[i]:starts[i+1]]
	ids     []int32
	pending []blockWrite
}

// blockWrite is a write into a block.
type blockWrite struct {
	blk uint64
	id  int32
}

// packAt is how many pending writes the block index keeps before it packs
// them: few enough to scan for each byte a query looks up.
const packAt = 4096

func (x *index) reset(frames int) {
	*x = index{before: frames}
}

func (x *index) bytes() int {
	n := cap(x.open)*4 + x.rets.bytes(8) + cap(x.big)*4 + x.blocks.bytes()
	for i := range x.defs {
		n += x.defs[i].bytes(4)
	}
	return n
}

func (b *blockIndex) bytes() int {
	return cap(b.blocks)*8 + cap(b.starts)*4 + cap(b.ids)*4 + cap(b.pending)*16
}

// update indexes the steps recorded since the last update.
func (r *Recorder) update() {
	x := &r.idx
	eff := r.effective()
	for i := x.upto; i < eff; i++ {
		pc := r.pcs.at(i)
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
			x.rets.add(ret{int32(i), call})
			for reg := ebpf.FirstScratchReg; reg <= ebpf.StackReg; reg++ {
				x.defs[reg].add(int32(i))
			}
			continue
		}
		for d := s.def; d != 0; d &= d - 1 {
			x.defs[trailingZeros(d)].add(int32(i))
		}
	}
	x.upto = max(x.upto, eff)

	// The stores and syscall writes, merged in step order.
	bx := &x.blocks
	for {
		mi, si := x.memUpto, x.sysUpto
		mStep, sStep := int32(eff), int32(eff)
		if mi < r.memAt.len() {
			mStep = r.memAt.at(mi)
		}
		if si < len(r.writes) {
			sStep = r.sys[r.writes[si].sys].step
		}
		if mStep >= int32(eff) && sStep >= int32(eff) {
			break
		}
		if mStep < sStep {
			x.memUpto++
			if op := ebpf.OpCode(r.text[int(r.pcs.at(int(mStep)))*ebpf.InsnSize]); op.IsStore() {
				bx.add(r.memAdr.at(mi), op.AccessSize(), int32(mi))
			}
			continue
		}
		x.sysUpto++
		if w := r.writes[si]; w.n > bigWrite {
			x.big = append(x.big, int32(si))
		} else {
			bx.add(w.addr, w.n, int32(-si-1))
		}
	}
	bx.pack(packAt)
}

// add enters a write of n bytes at addr with its id, after those the
// index holds.
func (b *blockIndex) add(addr, n uint64, id int32) {
	if n == 0 {
		return
	}
	last := (addr + n - 1) >> 3
	if last < addr>>3 { // wraps around the address space
		last = ^uint64(0) >> 3
	}
	for blk := addr >> 3; ; blk++ {
		b.pending = append(b.pending, blockWrite{blk, id})
		if blk == last {
			break
		}
	}
}

// pack merges the pending writes into the packed index when there are at
// least min of them.
func (b *blockIndex) pack(min int) {
	if len(b.pending) < max(min, 1) {
		return
	}
	p := sortByBlock(b.pending)
	blocks := make([]uint64, 0, len(b.blocks)+len(p)/2)
	starts := make([]int32, 0, cap(blocks)+1)
	ids := make([]int32, 0, len(b.ids)+len(p))
	i, j := 0, 0
	for i < len(b.blocks) || j < len(p) {
		var blk uint64
		switch {
		case j == len(p) || i < len(b.blocks) && b.blocks[i] <= p[j].blk:
			blk = b.blocks[i]
		default:
			blk = p[j].blk
		}
		blocks, starts = append(blocks, blk), append(starts, int32(len(ids)))
		if i < len(b.blocks) && b.blocks[i] == blk { // the older writes first
			ids = append(ids, b.ids[b.starts[i]:b.starts[i+1]]...)
			i++
		}
		for ; j < len(p) && p[j].blk == blk; j++ {
			ids = append(ids, p[j].id)
		}
	}
	b.blocks, b.starts, b.ids, b.pending = blocks, append(starts, int32(len(ids))), ids, b.pending[:0]
	if cap(b.pending) > 2*packAt { // a first pack of a long recording
		b.pending = nil
	}
}

// sortByBlock sorts writes by block, keeping the order of each block's, by
// a least-significant-byte-first radix sort over the bytes in which the
// blocks differ. It may sort in place or return a new slice.
func sortByBlock(w []blockWrite) []blockWrite {
	var differ uint64
	for _, x := range w {
		differ |= x.blk ^ w[0].blk
	}
	buf := make([]blockWrite, len(w))
	for shift := uint(0); shift < 64; shift += 8 {
		if differ>>shift&0xff == 0 {
			continue
		}
		var count [257]int
		for _, x := range w {
			count[x.blk>>shift&0xff+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, x := range w {
			k := x.blk >> shift & 0xff
			buf[count[k]] = x
			count[k]++
		}
		w, buf = buf, w
	}
	return w
}

// packed is the packed ids of a block, in step order.
func (b *blockIndex) packed(blk uint64) []int32 {
	i := sort.Search(len(b.blocks), func(i int) bool { return b.blocks[i] >= blk })
	if i == len(b.blocks) || b.blocks[i] != blk {
		return nil
	}
	return b.ids[b.starts[i]:b.starts[i+1]]
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
	defs := &r.idx.defs[reg]
	pos = defs.search(func(s int32) bool { return int(s) < step }) - 1
	if pos < 0 {
		return -1, -1
	}
	return int(defs.at(pos)), pos
}

// callOf is the call step an exit at step returned from: -1 for a call
// made before the recording.
func (r *Recorder) callOf(step int) int {
	rets := &r.idx.rets
	i := rets.search(func(x ret) bool { return int(x.exit) < step })
	if i < rets.len() && int(rets.at(i).exit) == step {
		return int(rets.at(i).call)
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
		return int(r.memAt.at(int(id)))
	}
	return int(r.sys[r.writes[-id-1].sys].step)
}

// covers reports whether block entry id wrote byte b.
func (r *Recorder) covers(id int32, b uint64) bool {
	var addr, n uint64
	if id >= 0 {
		addr = r.memAdr.at(int(id))
		n = ebpf.OpCode(r.text[int(r.pcs.at(int(r.memAt.at(int(id)))))*ebpf.InsnSize]).AccessSize()
	} else {
		w := r.writes[-id-1]
		addr, n = w.addr, w.n
	}
	return b-addr < n
}

// lastWrite is the last write of byte b before step.
func (r *Recorder) lastWrite(b uint64, step int) writer {
	best := none
	bx := &r.idx.blocks
	for i := len(bx.pending) - 1; i >= 0; i-- {
		if p := bx.pending[i]; p.blk == b>>3 && r.stepOf(p.id) < step && r.covers(p.id, b) {
			best = r.writerOf(p.id)
			break
		}
	}
	if best.step < 0 {
		list := bx.packed(b >> 3)
		i := sort.Search(len(list), func(i int) bool { return r.stepOf(list[i]) >= step }) - 1
		for ; i >= 0; i-- {
			if r.covers(list[i], b) {
				best = r.writerOf(list[i])
				break
			}
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
		return writer{step: r.stepOf(id), mem: int(id), write: -1}
	}
	return writer{step: r.stepOf(id), mem: -1, write: int(-id - 1)}
}
