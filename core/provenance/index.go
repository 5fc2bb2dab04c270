package provenance

import (
	"slices"
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
	// full holds the writes that cover a whole 8-byte block, keyed by
	// the block (address >> 3); bytes the other writes, an entry for each
	// byte, keyed by its address. A byte's last writer is the later of
	// the last in its block's list and the last in its own: no list holds
	// a write that does not cover the key, so a lookup is two binary
	// searches, however often the neighbouring bytes were written.
	full, bytes writeIndex
	big         []int32 // syscall writes over bigWrite bytes, as writes indexes
}

// ret is an exit that returned from a call.
type ret struct {
	exit, call int32 // call is -1 for a call made before the recording
}

// writeIndex holds, per key (a block or a byte), the writes into it in
// step order: an id >= 0 is the store memAt[id], an id < 0 the syscall
// write writes[-id-1]. Most of it is packed: the keys written, sorted,
// and each one's ids a range of one array. Writes added since it was
// packed wait in pending, in step order, until there are packAt of them;
// then they are sorted by key (a radix sort, which keeps their order
// within a key) and merged in, in time proportional to the whole. A
// first query on a long recording packs everything at once.
type writeIndex struct {
	keys    []uint64 // the keys written, sorted
	starts  []int32  // keys[i]'s ids are ids[starts[i]:starts[i+1]]
	ids     []int32
	pending []keyWrite
}

// keyWrite is a write into a key.
type keyWrite struct {
	key uint64
	id  int32
}

// packAt is how many pending writes an index keeps before it packs them:
// few enough to scan for each byte a query looks up.
const packAt = 4096

func (x *index) reset(frames int) {
	*x = index{before: frames}
}

func (x *index) size() int {
	n := cap(x.open)*4 + x.rets.bytes(8) + cap(x.big)*4 + x.full.size() + x.bytes.size()
	for i := range x.defs {
		n += x.defs[i].bytes(4)
	}
	return n
}

func (w *writeIndex) size() int {
	return cap(w.keys)*8 + cap(w.starts)*4 + cap(w.ids)*4 + cap(w.pending)*16
}

// Index indexes the steps recorded since the last query, which the next
// query would otherwise do first: a host can call it when a run ends, so
// that the first question is answered at once.
func (r *Recorder) Index() { r.update() }

// update indexes the steps recorded since the last update.
func (r *Recorder) update() {
	x := &r.idx
	eff := r.effective()
	for i := x.upto; i < eff; {
		// The block of pcs holding step i, up to eff.
		blk := r.pcs.blocks[i>>columnShift]
		blk = blk[i&columnMask : min(len(blk), eff-i+i&columnMask)]
		for _, pc := range blk {
			if pc >= 0 && int(pc) < len(r.slots) {
				s := &r.slots[pc]
				if s.def >= 0 {
					x.defs[s.def].add(int32(i))
				}
				if s.kind == slotCall || s.kind == slotExit {
					x.frame(s.kind, i)
				}
			}
			i++
		}
	}
	x.upto = max(x.upto, eff)

	// The stores and syscall writes, merged in step order.
	more := r.memAt.len() - x.memUpto
	x.full.pending = slices.Grow(x.full.pending, more)
	x.bytes.pending = slices.Grow(x.bytes.pending, more)
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
				x.write(r.memAdr.at(mi), op.AccessSize(), int32(mi))
			}
			continue
		}
		x.sysUpto++
		if w := r.writes[si]; w.n > bigWrite {
			x.big = append(x.big, int32(si))
		} else {
			x.write(w.addr, w.n, int32(-si-1))
		}
	}
	x.full.pack(packAt)
	x.bytes.pack(packAt)
}

// frame notes a call or an exit at step i: a call enters a frame (its r10
// is its def), an exit leaves it and sets r6-r10, unless it leaves the
// root frame, which ends the run.
func (x *index) frame(k slotKind, i int) {
	switch k {
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
			return
		}
		x.rets.add(ret{int32(i), call})
		for reg := ebpf.FirstScratchReg; reg <= ebpf.StackReg; reg++ {
			x.defs[reg].add(int32(i))
		}
	}
}

// write enters a write of n bytes at addr with its id, after those the
// indexes hold: the blocks it covers whole into full, its other bytes
// into bytes.
func (x *index) write(addr, n uint64, id int32) {
	end := addr + n
	if end < addr { // wraps around the address space
		end = 0
	}
	for a := addr; a != end; {
		if a&7 == 0 && (end-a >= 8 || end < a) {
			x.full.pending = append(x.full.pending, keyWrite{a >> 3, id})
			a += 8
			continue
		}
		x.bytes.pending = append(x.bytes.pending, keyWrite{a, id})
		a++
	}
}

// pack merges the pending writes into the packed index when there are at
// least min of them.
func (w *writeIndex) pack(min int) {
	if len(w.pending) < max(min, 1) {
		return
	}
	p := sortByKey(w.pending)
	keys := make([]uint64, 0, len(w.keys)+len(p)/2)
	starts := make([]int32, 0, cap(keys)+1)
	ids := make([]int32, 0, len(w.ids)+len(p))
	i, j := 0, 0
	for i < len(w.keys) || j < len(p) {
		var key uint64
		switch {
		case j == len(p) || i < len(w.keys) && w.keys[i] <= p[j].key:
			key = w.keys[i]
		default:
			key = p[j].key
		}
		keys, starts = append(keys, key), append(starts, int32(len(ids)))
		if i < len(w.keys) && w.keys[i] == key { // the older writes first
			ids = append(ids, w.ids[w.starts[i]:w.starts[i+1]]...)
			i++
		}
		for ; j < len(p) && p[j].key == key; j++ {
			ids = append(ids, p[j].id)
		}
	}
	w.keys, w.starts, w.ids, w.pending = keys, append(starts, int32(len(ids))), ids, w.pending[:0]
	if cap(w.pending) > 2*packAt { // a first pack of a long recording
		w.pending = nil
	}
}

// sortByKey sorts writes by key, keeping the order of each key's, by a
// least-significant-byte-first radix sort over the bytes in which the
// keys differ. It may sort in place or return a new slice.
func sortByKey(w []keyWrite) []keyWrite {
	var differ uint64
	for _, x := range w {
		differ |= x.key ^ w[0].key
	}
	buf := make([]keyWrite, len(w))
	for shift := uint(0); shift < 64; shift += 8 {
		if differ>>shift&0xff == 0 {
			continue
		}
		var count [257]int
		for _, x := range w {
			count[x.key>>shift&0xff+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, x := range w {
			k := x.key >> shift & 0xff
			buf[count[k]] = x
			count[k]++
		}
		w, buf = buf, w
	}
	return w
}

// last is the id of the last write into key before step, -1 when none.
func (r *Recorder) last(w *writeIndex, key uint64, step int) (id int32, ok bool) {
	for i := len(w.pending) - 1; i >= 0; i-- {
		if p := w.pending[i]; p.key == key && r.stepOf(p.id) < step {
			return p.id, true
		}
	}
	k := sort.Search(len(w.keys), func(i int) bool { return w.keys[i] >= key })
	if k == len(w.keys) || w.keys[k] != key {
		return 0, false
	}
	list := w.ids[w.starts[k]:w.starts[k+1]]
	i := sort.Search(len(list), func(i int) bool { return r.stepOf(list[i]) >= step }) - 1
	if i < 0 {
		return 0, false
	}
	return list[i], true
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

// stepOf is the step of a write's id.
func (r *Recorder) stepOf(id int32) int {
	if id >= 0 {
		return int(r.memAt.at(int(id)))
	}
	return int(r.sys[r.writes[-id-1].sys].step)
}

// lastWrite is the last write of byte b before step.
func (r *Recorder) lastWrite(b uint64, step int) writer {
	best := none
	if id, ok := r.last(&r.idx.full, b>>3, step); ok {
		best = r.writerOf(id)
	}
	if id, ok := r.last(&r.idx.bytes, b, step); ok && r.stepOf(id) > best.step {
		best = r.writerOf(id)
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
