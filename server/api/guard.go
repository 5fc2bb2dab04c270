package api

import (
	"context"
	"errors"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// errSyscallDeadline ends a run whose syscall was called after the
// request's deadline.
var errSyscallDeadline = errors.New("time limit reached in a syscall")

// guardSyscalls replaces exe's syscall registry with one whose syscalls
// first look at ctx and at the request's work allowance and end the run
// once either is used up. A syscall can cost far more than an instruction
// (log copies up to megabytes per call), and the JIT leaves its machine code
// only for syscalls: this is where a syscall-heavy run on either engine
// meets the deadline. Under an allowance (Config.WorkRate) each call is
// charged syscallCost instructions plus one per 8 bytes of VM memory it
// read or wrote, since the clock that would bound it stands still there.
// Registration order (and so each context object's slot) and the sharing
// of one implementation between hashes are kept.
func guardSyscalls(ctx context.Context, work *allowance, exe *vm.Executable) error {
	entries := exe.Syscalls.Entries()
	sort.Slice(entries, func(i, j int) bool { return entries[i].Slot < entries[j].Slot })
	wrapped := map[*vm.SyscallFunc]*vm.SyscallFunc{}
	reg := vm.NewSyscallRegistry()
	for _, e := range entries {
		w, ok := wrapped[e.Func]
		if !ok {
			inner := e.Func
			w = &vm.SyscallFunc{Name: inner.Name, New: func() vm.Syscall {
				return guarded{ctx: ctx, work: work, inner: inner.New()}
			}}
			wrapped[inner] = w
		}
		if err := reg.RegisterByHash(e.Hash, w); err != nil {
			return err
		}
	}
	exe.Syscalls = reg
	return nil
}

// syscallCost is what a syscall call costs in instructions of the work
// allowance, on top of its memory traffic.
const syscallCost = 64

// guarded is a syscall that refuses to run after its context is done or
// its allowance is spent, and charges the allowance for each call.
type guarded struct {
	ctx   context.Context
	work  *allowance
	inner vm.Syscall
}

func (g guarded) Call(sc *vm.SyscallContext, a1, a2, a3, a4, a5 uint64, mem *vm.MemoryMapping) (uint64, error) {
	if g.ctx.Err() != nil || g.work.spent(0) {
		return 0, errSyscallDeadline
	}
	if g.work == nil {
		return g.inner.Call(sc, a1, a2, a3, a4, a5, mem)
	}
	before := mem.HostBytes()
	r, err := g.inner.Call(sc, a1, a2, a3, a4, a5, mem)
	g.work.add(syscallCost + (mem.HostBytes()-before)/8)
	return r, err
}

// guardBound wraps a run's own syscall objects (vm.RunOptions.Bind, which
// a runtime run binds to its log collector and heap) as guardSyscalls
// wraps the registry's: Bind replaces the objects the registry's
// functions would make, so they would otherwise run unguarded.
func guardBound(ctx context.Context, work *allowance, bind map[uint32]vm.Syscall) {
	for h, s := range bind {
		bind[h] = guarded{ctx: ctx, work: work, inner: s}
	}
}
