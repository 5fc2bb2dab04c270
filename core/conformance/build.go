package conformance

import (
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ErrPending is wrapped by Build when a case's ELF fixture does not exist.
var ErrPending = errors.New("pending")

// Pending reports whether the case cannot run yet because its ELF fixture
// is missing, with the message the harness skips it with.
func (c *Case) Pending() (string, bool) {
	if c.Kind != ProgramELF {
		return "", false
	}
	if _, err := os.Stat(c.ELFFile); err != nil {
		return fmt.Sprintf("pending: fixture %s not built yet", c.ELFPath), true
	}
	return "", false
}

// Config is the VM configuration the case asks for.
func (c *Case) Config() vm.Config {
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionMeter = c.Meter
	cfg.EnableInstructionTracing = c.Tracing
	if c.MaxCallDepth != 0 {
		cfg.MaxCallDepth = c.MaxCallDepth
	}
	if c.StackFrameSize != 0 {
		cfg.StackFrameSize = c.StackFrameSize
	}
	return cfg
}

// RunOptions are the per-run inputs of the case: a fresh copy of its input,
// its budget (i64::MAX, DefaultInstructionMeter's, when unlimited) and the
// context objects upstream binds.
func (c *Case) RunOptions() vm.RunOptions {
	opts := vm.RunOptions{Input: append([]byte(nil), c.Input...), Budget: c.Budget}
	if c.Unlimited {
		opts.Budget = math.MaxInt64
	}
	for _, s := range c.Syscalls {
		if s.Impl == vm.SyscallWithContextFunc.Name {
			if opts.Bind == nil {
				opts.Bind = map[uint32]vm.Syscall{}
			}
			opts.Bind[s.Key.Hash()] = &vm.SyscallWithContext{Context: 42}
		}
	}
	return opts
}

// verifierFunc is the verifier the case builds its executable with.
func (c *Case) verifierFunc() vm.Verifier {
	switch c.Verifier {
	case VerifierCheck:
		return verifier.Check
	case VerifierAccept:
		return func([]byte) error { return nil }
	case VerifierReject:
		text := c.RejectText
		return func([]byte) error { return errors.New(text) }
	}
	return nil
}

// Build makes the case's executable as upstream's test does: assemble or
// read (and patch) the program, construct it with the verifier, then
// register the syscalls and functions. loadErr is the error rbpf would
// report from the constructor (a verifier rejection or an ELF error); err
// is a failure of the case itself (bad assembly, unknown syscall, missing
// fixture).
func (c *Case) Build() (exe *vm.Executable, loadErr, err error) {
	cfg, verify := c.Config(), c.verifierFunc()
	switch c.Kind {
	case ProgramAsm, ProgramBytes:
		text := c.Bytes
		if c.Kind == ProgramAsm {
			if text, err = asm.Assemble(c.Source); err != nil {
				return nil, nil, fmt.Errorf("assemble: %w", err)
			}
		}
		exe, loadErr = vm.FromText(text, cfg, verify)
	case ProgramELF:
		if msg, pending := c.Pending(); pending {
			return nil, nil, fmt.Errorf("%w: %s", ErrPending, msg)
		}
		data, rerr := os.ReadFile(c.ELFFile)
		if rerr != nil {
			return nil, nil, rerr
		}
		for _, p := range c.Patches {
			if p.Offset >= len(data) {
				return nil, nil, fmt.Errorf("patch offset %d beyond the %d-byte file", p.Offset, len(data))
			}
			data[p.Offset] = p.Value
		}
		exe, loadErr = vm.FromELF(data, cfg, verify)
	}
	if loadErr != nil {
		return nil, loadErr, nil
	}
	return exe, nil, c.register(exe)
}

func (c *Case) register(exe *vm.Executable) error {
	for _, s := range c.Syscalls {
		fn, ok := vm.LookupSyscallFunc(s.Impl)
		if !ok {
			return fmt.Errorf("unknown syscall implementation %q", s.Impl)
		}
		if err := exe.Syscalls.RegisterByHash(s.Key.Hash(), fn); err != nil {
			return fmt.Errorf("register syscall %s: %w", s.Key, err)
		}
	}
	for _, f := range c.Functions {
		exe.RegisterFunction(f.Key.Hash(), f.PC)
	}
	return nil
}
