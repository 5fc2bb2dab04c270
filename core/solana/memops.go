package solana

import "github.com/rbpfgo/rbpfgo/core/vm"

// The memory syscalls of v1.7 (programs/bpf_loader/src/syscalls.rs at
// v1.7.x, feature memory_ops_syscalls, with mem_overlap_fix active). Each
// costs n / cpi_bytes_per_unit units.

func overlapping(src, dst, n uint64) bool {
	return src <= dst && src+n > dst || dst <= src && dst+n > src
}

func (s *session) memCost(ctx *vm.SyscallContext, n uint64) error {
	return consume(ctx, n/s.budget.CPIBytesPerUnit)
}

func sysMemcpy(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	dst, src, n := a[0], a[1], a[2]
	if overlapping(src, dst, n) {
		return 0, user(&SyscallError{Kind: CopyOverlapping})
	}
	return s.move(ctx, mem, dst, src, n)
}

func sysMemmove(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.move(ctx, mem, a[0], a[1], a[2])
}

func (s *session) move(ctx *vm.SyscallContext, mem *vm.MemoryMapping, dst, src, n uint64) (uint64, error) {
	if err := s.memCost(ctx, n); err != nil {
		return 0, err
	}
	d, err := s.slice(mem, vm.Store, dst, n, 1, 1)
	if err != nil {
		return 0, err
	}
	sb, err := s.slice(mem, vm.Load, src, n, 1, 1)
	if err != nil {
		return 0, err
	}
	copy(d, sb)
	return 0, nil
}

func sysMemcmp(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	n := a[2]
	if err := s.memCost(ctx, n); err != nil {
		return 0, err
	}
	s1, err := s.slice(mem, vm.Load, a[0], n, 1, 1)
	if err != nil {
		return 0, err
	}
	s2, err := s.slice(mem, vm.Load, a[1], n, 1, 1)
	if err != nil {
		return 0, err
	}
	out, err := s.translate(mem, vm.Store, a[3], 4, 4)
	if err != nil {
		return 0, err
	}
	var r int32
	for i := range s1 {
		if s1[i] != s2[i] {
			r = int32(s1[i]) - int32(s2[i])
			break
		}
	}
	out[0], out[1], out[2], out[3] = byte(r), byte(r>>8), byte(r>>16), byte(r>>24)
	return 0, nil
}

func sysMemset(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	n := a[2]
	if err := s.memCost(ctx, n); err != nil {
		return 0, err
	}
	d, err := s.slice(mem, vm.Store, a[0], n, 1, 1)
	if err != nil {
		return 0, err
	}
	for i := range d {
		d[i] = byte(a[1])
	}
	return 0, nil
}
