package vm

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Watchpoints. A run may watch ranges of VM addresses (RunOptions.Watches,
// VM.SetWatches): when a load or store of the program touches one, the
// access is a hit. Execution stops after the instruction that made the
// access has completed, so a hit shows the registers and memory as the
// instruction left them and the VM is at the next instruction; resuming
// runs exactly what a run without watches runs. Both engines stop at the
// same point and report the same hits. Only the program's own loads and
// stores are watched, not the memory syscalls read or write.
//
// The interpreter's translation cache (tlb.go) never serves an access that
// could hit: in a watched region it serves only the window between the
// watches around an access (or, for loads of a region watched only for
// writes, the whole region read-only), so an access near a watch leaves
// the dispatch loop, is checked against the watches and runs alone.
// Without watches nothing changes.

// WatchKind says which accesses a watchpoint catches.
type WatchKind uint8

// The kinds of watchpoint.
const (
	WatchRead  WatchKind = 1 << iota // loads
	WatchWrite                       // stores
	WatchAny   = WatchRead | WatchWrite
)

// String is "r", "w" or "rw", the CLI's spelling.
func (k WatchKind) String() string {
	switch k {
	case WatchRead:
		return "r"
	case WatchWrite:
		return "w"
	case WatchAny:
		return "rw"
	}
	return "WatchKind(" + strconv.Itoa(int(k)) + ")"
}

// Catches reports whether the kind catches an access of type a.
func (k WatchKind) Catches(a AccessType) bool {
	if a == Store {
		return k&WatchWrite != 0
	}
	return k&WatchRead != 0
}

// Watch is a watchpoint on the Len bytes at VM address Addr.
type Watch struct {
	Addr uint64
	Len  uint64
	Kind WatchKind
}

// Last is the last address the watch covers.
func (w Watch) Last() uint64 { return w.Addr + w.Len - 1 }

// Check reports why w cannot be armed: no bytes, a range past the end of
// the address space, or an unknown kind.
func (w Watch) Check() error {
	if w.Len == 0 {
		return fmt.Errorf("watch at %#x: the range is empty", w.Addr)
	}
	if _, carry := bits.Add64(w.Addr, w.Len-1, 0); carry != 0 {
		return fmt.Errorf("watch at %#x: %d bytes run past the end of the address space", w.Addr, w.Len)
	}
	if w.Kind == 0 || w.Kind&^WatchAny != 0 {
		return fmt.Errorf("watch at %#x: unknown kind %d", w.Addr, w.Kind)
	}
	return nil
}

// Touches reports whether an access of n bytes (n > 0) at addr overlaps
// the watched range, whatever its type.
func (w Watch) Touches(addr, n uint64) bool {
	end, carry := bits.Add64(addr, n-1, 0)
	return addr <= w.Last() && (carry != 0 || end >= w.Addr)
}

// WatchHit is one access of the program to a watched range.
type WatchHit struct {
	// Watch is the index of the first watch the access hit, in the order
	// the watches were given.
	Watch int
	// PC is the index of the instruction that made the access.
	PC int
	// Executed is the number of instructions executed, the one that made
	// the access included.
	Executed uint64
	// Access is Load or Store; Addr and Size are the access's address and
	// byte count (1, 2, 4 or 8).
	Access AccessType
	Addr   uint64
	Size   int
	// Old holds a store's bytes before it (nil for a load); New the
	// bytes after the instruction: what a store wrote or a load read.
	Old, New []byte
	// Regs are r0-r10 after the instruction.
	Regs [11]uint64
}

// String describes the hit: "pc 5 (insn #34) wrote 8 bytes at
// 0x400000060".
func (h WatchHit) String() string {
	verb := "read"
	if h.Access == Store {
		verb = "wrote"
	}
	unit := "bytes"
	if h.Size == 1 {
		unit = "byte"
	}
	return fmt.Sprintf("%s %s %d %s at %#x", ebpf.PCRef(h.PC), verb, h.Size, unit, h.Addr)
}

// ErrWatchStop is wrapped by the error of a run that RunOptions.WatchStop
// ended at a watch hit (a *WatchStop). It is not an rbpf error: rbpf has no
// watchpoints.
var ErrWatchStop = errors.New("stopped at a watchpoint")

// WatchStop is the error of a run that RunOptions.WatchStop ended at Hit.
type WatchStop struct{ Hit WatchHit }

func (e *WatchStop) Error() string { return ErrWatchStop.Error() + ": " + e.Hit.String() }

// Unwrap returns ErrWatchStop.
func (e *WatchStop) Unwrap() error { return ErrWatchStop }

// DefaultMaxWatchHits is the number of hits a run keeps in Result.WatchHits
// when RunOptions.MaxWatchHits is 0.
const DefaultMaxWatchHits = 1024

// watchState is the VM's watchpoints and what they caught.
type watchState struct {
	watches []Watch
	// kinds holds, per region of the mapping, the kinds of the watches
	// that overlap it; nil when nothing is watched.
	kinds   []WatchKind
	stop    bool // RunOptions.WatchStop
	maxHits int
	hits    []WatchHit
	dropped uint64
	last    WatchHit
	stopped bool // the last run call stopped at last
}

// SetWatches replaces the VM's watchpoints (nil removes them all); the
// next instruction already sees the new list. It fails, leaving the list
// as it was, when a watch does not Check.
func (vm *VM) SetWatches(ws []Watch) error {
	for _, w := range ws {
		if err := w.Check(); err != nil {
			return err
		}
	}
	vm.watch.watches = append([]Watch(nil), ws...)
	vm.watch.kinds = nil
	if len(ws) > 0 {
		vm.watch.kinds = make([]WatchKind, len(vm.mem.regions))
		for i := range vm.mem.regions {
			lo, last, ok := regionExtent(&vm.mem.regions[i])
			for _, w := range ws {
				if ok && w.Addr <= last && w.Last() >= lo {
					vm.watch.kinds[i] |= w.Kind
				}
			}
		}
	}
	vm.clearTLB()
	return nil
}

// regionExtent is the range of VM addresses an access may reach in r: a
// gapped region spreads its bytes over twice their length.
func regionExtent(r *MemoryRegion) (lo, last uint64, ok bool) {
	n := uint64(len(r.Host))
	if n == 0 {
		return 0, 0, false
	}
	if r.GapShift < 63 {
		n *= 2
	}
	end, carry := bits.Add64(r.VMAddr, n-1, 0)
	if carry != 0 {
		end = ^uint64(0)
	}
	return r.VMAddr, end, true
}

// Watches returns the VM's watchpoints.
func (vm *VM) Watches() []Watch { return append([]Watch(nil), vm.watch.watches...) }

// WatchHit returns the hit the last Step or RunUntil stopped at: the
// instruction that made the access has completed and the VM is at the next
// one (or has ended, when that instruction ended the run).
func (vm *VM) WatchHit() (WatchHit, bool) { return vm.watch.last, vm.watch.stopped }

// WatchHits returns the hits of the run so far (at most
// RunOptions.MaxWatchHits of them).
func (vm *VM) WatchHits() []WatchHit { return vm.watch.hits }

// watchedEntry narrows e, the tlb entry of region i, which a watch
// overlaps, to what the tlb may serve around an access of type a, n bytes
// at addr; it reports false when the access must run alone because it
// touches a watch. A load of a region watched only for writes is served
// from the whole region, read-only; otherwise a contiguous region is
// served in the window between the watches around the access, for loads
// and stores, so that only accesses near a watch leave the dispatch loop.
func (vm *VM) watchedEntry(i int, e tlbEntry, a AccessType, addr, n uint64) (tlbEntry, bool) {
	if vm.watchIndex(a, addr, n) >= 0 {
		return e, false
	}
	if a == Load && vm.watch.kinds[i]&WatchRead == 0 {
		e.writable = false
		return e, true
	}
	r := &vm.mem.regions[i]
	if r.GapShift < 63 {
		return e, false
	}
	lo, hi := r.VMAddr, r.VMAddr+uint64(len(r.Host))
	if hi < lo {
		hi = ^uint64(0) // a region ending at the top of the address space
	}
	for _, w := range vm.watch.watches {
		switch {
		case w.Touches(addr, n): // a watch of the other kind
			return e, false
		case w.Last() < addr:
			lo = max(lo, w.Last()+1)
		default:
			hi = min(hi, w.Addr)
		}
	}
	e.start, e.span = lo, hi-lo
	e.host = r.Host[lo-r.VMAddr : hi-r.VMAddr]
	return e, true
}

// watchIndex is the index of the first watch an access of type a, n bytes
// at addr hits, or -1.
func (vm *VM) watchIndex(a AccessType, addr, n uint64) int {
	for i, w := range vm.watch.watches {
		if w.Kind.Catches(a) && w.Touches(addr, n) {
			return i
		}
	}
	return -1
}

// recordHit completes h with the watch it hit and the bytes now at its
// address, and logs it. It reports false when the access hit no watch.
func (vm *VM) recordHit(h WatchHit) bool {
	ws := &vm.watch
	h.Watch = vm.watchIndex(h.Access, h.Addr, uint64(h.Size))
	if h.Watch < 0 {
		return false
	}
	if b, ok := vm.mem.slice(Load, h.Addr, uint64(h.Size)); ok {
		h.New = append([]byte(nil), b...)
	}
	ws.last, ws.stopped = h, true
	if len(ws.hits) >= ws.maxHits {
		ws.dropped++
		return true
	}
	ws.hits = append(ws.hits, h)
	return true
}

// reset forgets the hits of a run, keeping the watches.
func (ws *watchState) reset() {
	ws.hits, ws.dropped, ws.last, ws.stopped = nil, 0, WatchHit{}, false
}

// watchedAccess runs the load or store at cur, whose n-byte access of type
// a at addr the mapping allows in region i but the tlb may not serve
// because a watch overlaps the region: with the region in the tlb for
// this one instruction, checking the watches around it. vm.pc and vm.last
// are those before the instruction. It reports a hit.
func (vm *VM) watchedAccess(cur int, a AccessType, addr, n uint64, i int) bool {
	var old []byte
	w := vm.watchIndex(a, addr, n)
	if w >= 0 && a == Store {
		b, _ := vm.mem.slice(Store, addr, n)
		old = append([]byte(nil), b...)
	}
	slot := &vm.tlb[addr>>32%tlbSlots]
	*slot = vm.tlbEntry(i)
	vm.exec(vm.last + 1)
	*slot = tlbEntry{}
	if w < 0 {
		return false
	}
	return vm.recordHit(WatchHit{PC: cur, Executed: vm.Executed(), Access: a, Addr: addr, Size: int(n), Old: old, Regs: vm.Registers()})
}
