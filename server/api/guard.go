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
// first look at ctx and end the run once it is done. A syscall can cost
// far more than an instruction (log copies up to megabytes per call), and
// the JIT leaves its machine code only for syscalls: this is where a
// syscall-heavy run on either engine meets the deadline. Registration order
// (and so each context object's slot) and the sharing of one implementation
// between hashes are kept.
func guardSyscalls(ctx context.Context, exe *vm.Executable) error {
	entries := exe.Syscalls.Entries()
	sort.Slice(entries, func(i, j int) bool { return entries[i].Slot < entries[j].Slot })
	wrapped := map[*vm.SyscallFunc]*vm.SyscallFunc{}
	reg := vm.NewSyscallRegistry()
	for _, e := range entries {
		w, ok := wrapped[e.Func]
		if !ok {
			inner := e.Func
			w = &vm.SyscallFunc{Name: inner.Name, New: func() vm.Syscall {
				return guarded{ctx: ctx, inner: inner.New()}
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

// guarded is a syscall that refuses to run after its context is done.
type guarded struct {
	ctx   context.Context
	inner vm.Syscall
}

func (g guarded) Call(sc *vm.SyscallContext, a1, a2, a3, a4, a5 uint64, mem *vm.MemoryMapping) (uint64, error) {
	if g.ctx.Err() != nil {
		return 0, errSyscallDeadline
	}
	return g.inner.Call(sc, a1, a2, a3, a4, a5, mem)
}
