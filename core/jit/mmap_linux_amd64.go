//go:build linux && amd64

package jit

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// mapExecutable copies code into fresh anonymous memory and makes it
// read-only and executable. The memory is never writable and executable
// at the same time.
func mapExecutable(code []byte) ([]byte, error) {
	page := unix.Getpagesize()
	size := (len(code) + page - 1) / page * page
	if size == 0 {
		size = page
	}
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("jit: mmap %d bytes: %w", size, err)
	}
	copy(mem, code)
	if err := unix.Mprotect(mem, unix.PROT_READ|unix.PROT_EXEC); err != nil {
		_ = unix.Munmap(mem)
		return nil, fmt.Errorf("jit: mprotect: %w", err)
	}
	return mem, nil
}

// unmapExecutable releases memory from mapExecutable.
func unmapExecutable(mem []byte) error { return unix.Munmap(mem) }
