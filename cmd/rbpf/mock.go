package main

import (
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// mockSyscall is rbpf v0.2.8's CLI MockSyscall: it prints its name and
// arguments and returns 0. `run --rbpf` binds one to every symbol an ELF
// file imports, as that CLI does, so its output matches line for line.
type mockSyscall struct {
	name string
	w    io.Writer
}

func (m mockSyscall) Call(_ *vm.SyscallContext, a1, a2, a3, a4, a5 uint64, _ *vm.MemoryMapping) (uint64, error) {
	fmt.Fprintf(m.w, "Syscall %s: %#x, %#x, %#x, %#x, %#x\n", m.name, a1, a2, a3, a4, a5)
	return 0, nil
}

// bindMocks registers a mock for every import of exe's program whose hash
// has no syscall yet.
func bindMocks(exe *vm.Executable, w io.Writer) error {
	imports, _ := exe.Program.Symbols()
	for hash, name := range imports {
		if _, taken := exe.Syscalls.Lookup(hash); taken {
			continue
		}
		m := mockSyscall{name: name, w: w}
		fn := &vm.SyscallFunc{Name: "mock " + name, New: func() vm.Syscall { return m }}
		if err := exe.Syscalls.RegisterByHash(hash, fn); err != nil {
			return err
		}
	}
	return nil
}
