package progen

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/internal/benchprog"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// BenchExecutable assembles a benchmark program and registers the
// functions and syscalls it asks for, for the compiled engines'
// benchmarks (core/vm's own cannot import this: benchprog sits below
// core/vm).
func BenchExecutable(bp *benchprog.Program) (*vm.Executable, error) {
	text, err := asm.Assemble(bp.Source)
	if err != nil {
		return nil, err
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		return nil, err
	}
	for hash, pc := range bp.Functions {
		exe.RegisterFunction(hash, pc)
	}
	for hash, name := range bp.Syscalls {
		fn, ok := vm.LookupSyscallFunc(name)
		if !ok {
			return nil, fmt.Errorf("no syscall %q", name)
		}
		if err := exe.Syscalls.RegisterByHash(hash, fn); err != nil {
			return nil, err
		}
	}
	return exe, nil
}
