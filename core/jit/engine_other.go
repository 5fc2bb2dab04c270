//go:build !(linux && amd64)

package jit

import "github.com/rbpfgo/rbpfgo/core/vm"

// Supported reports whether compiled code can run here; only linux/amd64
// has an executor.
func Supported() bool { return false }

// RunVM reports ErrUnsupported: there is no executor on this platform.
func (p *Program) RunVM(m *vm.VM) vm.Result { return m.Native().Complete(0, ErrUnsupported, 0, 0) }

// RunVMInterruptible reports ErrUnsupported, as RunVM.
func (p *Program) RunVMInterruptible(m *vm.VM, interrupt func() error) vm.Result {
	return p.RunVM(m)
}

// Close releases nothing: code is never mapped on this platform.
func (p *Program) Close() error { return nil }
