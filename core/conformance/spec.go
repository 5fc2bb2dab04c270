package conformance

import (
	"errors"
	"fmt"
	"os"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ErrPending is wrapped by RunSpec and Execute when a case's ELF fixture
// does not exist.
var ErrPending = errors.New("pending")

// Pending reports whether the case cannot run yet because its ELF fixture
// is missing, with the message the harness skips it with.
func (c *Case) Pending() (string, bool) {
	if c.Spec.Kind != runspec.KindELF || c.elfData != nil {
		return "", false
	}
	if _, err := os.Stat(c.ELFFile); err != nil {
		return fmt.Sprintf("pending: fixture %s not built yet", c.ELFPath), true
	}
	return "", false
}

// RunSpec returns the case's Spec ready to build: an ELF case's fixture
// is read into Spec.Program and patched, as upstream's tests patch it.
// The error wraps ErrPending when the fixture is missing.
func (c *Case) RunSpec() (runspec.Spec, error) {
	s := c.Spec
	if s.Kind != runspec.KindELF {
		return s, nil
	}
	if c.elfData != nil {
		s.Program = append([]byte(nil), c.elfData...)
		return s, nil
	}
	if msg, pending := c.Pending(); pending {
		return s, fmt.Errorf("%w: %s", ErrPending, msg)
	}
	data, err := os.ReadFile(c.ELFFile)
	if err != nil {
		return s, err
	}
	for _, p := range c.Patches {
		if p.Offset >= len(data) {
			return s, fmt.Errorf("patch offset %d beyond the %d-byte file", p.Offset, len(data))
		}
		data[p.Offset] = p.Value
	}
	s.Program = data
	return s, nil
}

// bindContext binds, for a case that registers syscall_with_context, a
// context object holding 42 as upstream's test does, so that the harness
// can read what the run left in it (Outcome.Context).
func bindContext(opts *vm.RunOptions, s *runspec.Spec) *vm.SyscallWithContext {
	for _, b := range s.Syscalls {
		if b.Name != vm.SyscallWithContextFunc.Name {
			continue
		}
		h, _ := runspec.KeyHash(b.Key)
		obj := &vm.SyscallWithContext{Context: 42}
		if opts.Bind == nil {
			opts.Bind = map[uint32]vm.Syscall{}
		}
		opts.Bind[h] = obj
		return obj
	}
	return nil
}
