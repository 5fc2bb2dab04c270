package conformance

import (
	"fmt"
	"strconv"
	"strings"
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
			c.Unlimited, c.Budget = true, 0
			return nil
		}
		n, err := strconv.ParseUint(v, 10, 64)
		c.Unlimited, c.Budget = false, n
		return err
	},
	"meter":            func(c *Case, v string) error { return setOnOff(&c.Meter, v) },
	"tracing":          func(c *Case, v string) error { return setOnOff(&c.Tracing, v) },
	"max_call_depth":   func(c *Case, v string) error { return setInt(&c.MaxCallDepth, v) },
	"stack_frame_size": func(c *Case, v string) error { return setInt(&c.StackFrameSize, v) },
	"syscall": func(c *Case, v string) error {
		k, impl, err := keyAndRest(v)
		c.Syscalls = append(c.Syscalls, SyscallBinding{Key: k, Impl: impl})
		return err
	},
	"function": func(c *Case, v string) error {
		k, rest, err := keyAndRest(v)
		if err != nil {
			return err
		}
		pc, err := strconv.ParseUint(rest, 0, 31)
		c.Functions = append(c.Functions, FunctionBinding{Key: k, PC: int(pc)})
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
		c.HasValue, c.Value = true, n
		return err
	},
	"expect.error": func(c *Case, v string) error { c.HasError, c.Error = true, v; return nil },
	"expect.count": func(c *Case, v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		c.HasCount, c.Count = true, n
		return err
	},
	"expect.verifier":       func(c *Case, v string) error { c.VerifierText = v; return nil },
	"expect.verifier_debug": func(c *Case, v string) error { c.VerifierDebug = v; return nil },
}

func setVerifier(c *Case, v string) error {
	if text, ok := strings.CutPrefix(v, "reject:"); ok {
		c.Verifier, c.RejectText = VerifierReject, text
		return nil
	}
	switch Verifier(v) {
	case VerifierNone, VerifierCheck, VerifierAccept:
		c.Verifier = Verifier(v)
		return nil
	}
	return fmt.Errorf("want none, check, accept or reject:TEXT, got %q", v)
}

func setOnOff(dst *bool, v string) error {
	switch v {
	case "on":
		*dst = true
	case "off":
		*dst = false
	default:
		return fmt.Errorf("want on or off, got %q", v)
	}
	return nil
}

func setInt(dst *int, v string) error {
	n, err := strconv.ParseUint(v, 10, 31)
	*dst = int(n)
	return err
}

// keyAndRest splits "KEY REST" and parses KEY: a number or sym:NAME.
func keyAndRest(v string) (Key, string, error) {
	k, rest, ok := strings.Cut(v, " ")
	rest = strings.TrimSpace(rest)
	if !ok || rest == "" {
		return Key{}, "", fmt.Errorf("want KEY VALUE, got %q", v)
	}
	if name, ok := strings.CutPrefix(k, "sym:"); ok {
		return Key{Symbol: name}, rest, nil
	}
	n, err := strconv.ParseUint(k, 0, 32)
	if err != nil {
		return Key{}, "", fmt.Errorf("key %q is neither a number nor sym:NAME", k)
	}
	return Key{Value: uint32(n)}, rest, nil
}
