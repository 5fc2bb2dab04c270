package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// setHeader applies one header line.
func (c *Case) setHeader(line string) error {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "#") {
		return nil
	}
	key, val, ok := strings.Cut(t, ":")
	if !ok {
		return fmt.Errorf("want key: value, got %q", t)
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	if set, ok := headerKeys[key]; ok {
		if err := set(c, val); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	}
	return fmt.Errorf("unknown key %q", key)
}

var headerKeys = map[string]func(c *Case, v string) error{
	"name":     func(c *Case, v string) error { c.Name = v; return nil },
	"upstream": func(c *Case, v string) error { c.Upstream = v; return nil },
	"stage": func(c *Case, v string) error {
		switch Stage(v) {
		case StageRun, StageLoad:
			c.Stage = Stage(v)
			return nil
		}
		return fmt.Errorf("want run or load, got %q", v)
	},
	"verifier": setVerifier,
	"budget": func(c *Case, v string) error {
		if v == "unlimited" {
			c.Spec.Budget = nil // DefaultInstructionMeter's i64::MAX
			return nil
		}
		n, err := strconv.ParseUint(v, 10, 64)
		c.Spec.Budget = &n
		return err
	},
	"meter": func(c *Case, v string) error {
		on, err := onOff(v)
		c.Spec.NoMeter = !on
		return err
	},
	"tracing": func(c *Case, v string) error {
		on, err := onOff(v)
		c.Spec.Trace = on
		return err
	},
	"max_call_depth":   func(c *Case, v string) error { return setInt(&c.Spec.MaxCallDepth, v) },
	"stack_frame_size": func(c *Case, v string) error { return setInt(&c.Spec.StackFrameSize, v) },
	"heap": func(c *Case, v string) error {
		if err := setInt(&c.Spec.Heap, v); err != nil || c.Spec.Heap <= maxCaseHeap {
			return err
		}
		return fmt.Errorf("%d bytes is more than the %d a case may ask for", c.Spec.Heap, maxCaseHeap)
	},
	"syscall": addSyscall,
	"function": func(c *Case, v string) error {
		k, rest, err := keyAndRest(v)
		if err != nil {
			return err
		}
		pc, err := strconv.ParseUint(rest, 0, 31)
		c.Spec.Functions = append(c.Spec.Functions, runspec.Function{Key: k, PC: int(pc)})
		return err
	},
	"patch": func(c *Case, v string) error {
		off, val, _ := strings.Cut(v, " ")
		o, err1 := strconv.ParseUint(off, 0, 31)
		b, err2 := strconv.ParseUint(strings.TrimSpace(val), 0, 8)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("want OFFSET BYTE, got %q", v)
		}
		c.Patches = append(c.Patches, Patch{Offset: int(o), Value: byte(b)})
		return nil
	},
	"expect.value": func(c *Case, v string) error {
		n, err := strconv.ParseUint(v, 0, 64)
		c.Expect.HasValue, c.Expect.Value = true, n
		return err
	},
	"expect.error": func(c *Case, v string) error { c.Expect.HasError, c.Expect.Error = true, v; return nil },
	"expect.count": func(c *Case, v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		c.Expect.HasCount, c.Expect.Count = true, n
		return err
	},
	"expect.verifier":       func(c *Case, v string) error { c.Expect.VerifierText = v; return nil },
	"expect.verifier_debug": func(c *Case, v string) error { c.Expect.VerifierDebug = v; return nil },
}

// maxCaseHeap bounds the heap key: the heap is allocated for the run.
const maxCaseHeap = 64 << 20

// setVerifier reads none, check (rbpf's verifier), accept (a verifier
// that accepts everything) or reject:TEXT (one that rejects everything
// with an error whose text is TEXT).
func setVerifier(c *Case, v string) error {
	c.Spec.Verify, c.Spec.Verifier = false, nil
	if text, ok := strings.CutPrefix(v, "reject:"); ok {
		c.Spec.Verifier = func([]byte) error { return errors.New(text) }
		return nil
	}
	switch v {
	case "none":
	case "check":
		c.Spec.Verify = true
	case "accept":
		c.Spec.Verifier = func([]byte) error { return nil }
	default:
		return fmt.Errorf("want none, check, accept or reject:TEXT, got %q", v)
	}
	return nil
}

// checks reports whether the case runs rbpf's verifier (verifier: check).
func (c *Case) checks() bool { return c.Spec.Verify && c.Spec.Verifier == nil }

// addSyscall reads `KEY IMPL`. rbpf's registry refuses a second
// registration under one key or of one implementation (the tests'
// unwrap would panic), so a case may not make one.
func addSyscall(c *Case, v string) error {
	k, impl, err := keyAndRest(v)
	if err != nil {
		return err
	}
	if _, ok := vm.LookupSyscallFunc(impl); !ok {
		return fmt.Errorf("unknown syscall implementation %q", impl)
	}
	h, _ := runspec.KeyHash(k)
	for _, b := range c.Spec.Syscalls {
		if prev, _ := runspec.KeyHash(b.Key); prev == h || b.Name == impl {
			return fmt.Errorf("%s registered twice (SyscallAlreadyRegistered)", v)
		}
	}
	c.Spec.Syscalls = append(c.Spec.Syscalls, runspec.Binding{Key: k, Name: impl})
	return nil
}

func onOff(v string) (bool, error) {
	switch v {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("want on or off, got %q", v)
}

func setInt(dst *int, v string) error {
	n, err := strconv.ParseUint(v, 10, 31)
	*dst = int(n)
	return err
}

// keyAndRest splits "KEY REST" and reads KEY, a number (decimal or 0x
// hex) or sym:NAME, as a runspec key: the number's text, or NAME, which
// runspec hashes.
func keyAndRest(v string) (string, string, error) {
	k, rest, ok := strings.Cut(v, " ")
	rest = strings.TrimSpace(rest)
	if !ok || rest == "" {
		return "", "", fmt.Errorf("want KEY VALUE, got %q", v)
	}
	if name, ok := strings.CutPrefix(k, "sym:"); ok {
		if name == "" || name[0] >= '0' && name[0] <= '9' {
			return "", "", fmt.Errorf("symbol %q: want a name that does not start with a digit", name)
		}
		return name, rest, nil
	}
	if _, err := strconv.ParseUint(k, 0, 32); err != nil {
		return "", "", fmt.Errorf("key %q is neither a number nor sym:NAME", k)
	}
	return k, rest, nil
}
