package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// TestConformance runs every conformance case the CLI can express through `rbpf run
// --json` and checks the printed result against the case's expectations:
// the CLI must report what rbpf reports, not merely what core/vm returns.
func TestConformance(t *testing.T) {
	cases, err := conformance.Load("../../testdata/conformance")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range cases {
		args, why := cliArgs(t, c)
		if why != "" {
			continue
		}
		ran++
		t.Run(c.Name, func(t *testing.T) {
			code, out, stderr := cli(t, args...)
			var got struct {
				Result *uint64
				Error  *string
				Count  uint64 `json:"instruction_count"`
				Log    []string
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("exit %d, stdout %q, stderr %q: %v", code, out, stderr, err)
			}
			checkCase(t, c, code, got.Result, got.Error, got.Count, got.Log)
		})
	}
	if ran < 100 {
		t.Errorf("only %d cases ran through the CLI; the conformance data has more", ran)
	}
}

func checkCase(t *testing.T, c conformance.Case, code int, value *uint64, errText *string, count uint64, log []string) {
	t.Helper()
	x := c.Expect
	switch {
	case x.HasValue:
		if value == nil || *value != x.Value || code != 0 {
			t.Errorf("exit %d, result %v error %v; want result %#x", code, value, deref(errText), x.Value)
		}
	case x.HasError:
		if errText == nil || *errText != x.Error || code != 2 {
			t.Errorf("exit %d, error %q; want %q", code, deref(errText), x.Error)
		}
	}
	// rbpf's DefaultInstructionMeter (budget: unlimited) reports 0; the CLI
	// always uses a counting meter, so only budgeted counts compare.
	if x.HasCount && c.Spec.Budget != nil && count != x.Count {
		t.Errorf("instruction_count %d, want %d", count, x.Count)
	}
	if x.HasLog && !slices.Equal(log, x.Log) && !(len(log) == 0 && len(x.Log) == 0) {
		t.Errorf("log %q, want %q", log, x.Log)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// cliArgs translates a case's Spec into rbpf run arguments, or says why
// the CLI cannot express it (accept-all and reject-all verifiers and
// load-only stages have no flag; ELF cases wait for their fixture).
func cliArgs(t *testing.T, c conformance.Case) ([]string, string) {
	s, err := c.RunSpec()
	switch {
	case c.Stage != conformance.StageRun:
		return nil, "load stage"
	case s.Verifier != nil:
		return nil, "custom verifier"
	case err != nil:
		return nil, "pending fixture"
	}
	var args []string
	switch s.Kind {
	case runspec.KindAsm:
		args = []string{"run", "--asm", writeTemp(t, "prog.s", []byte(s.Source))}
	case runspec.KindBytes:
		args = []string{"run", "--bytes", writeTemp(t, "prog.bin", s.Program)}
	case runspec.KindELF:
		args = []string{"run", "--elf", writeTemp(t, "prog.so", s.Program)}
	default:
		return nil, "unknown kind"
	}
	return append(args, specFlags(s)...), ""
}

// specFlags are the flags of a Spec's settings.
func specFlags(s runspec.Spec) []string {
	args := []string{"--json"}
	if s.NoDefaultSyscalls {
		args = append(args, "--no-default-syscalls")
	}
	if len(s.Input) > 0 {
		args = append(args, "--input", hex.EncodeToString(s.Input))
	}
	if s.Budget != nil {
		args = append(args, "--budget", fmt.Sprint(*s.Budget))
	}
	if s.NoMeter {
		args = append(args, "--no-meter")
	}
	if s.Trace {
		args = append(args, "--trace")
	}
	if s.Verify {
		args = append(args, "--verify")
	}
	if s.MaxCallDepth != 0 {
		args = append(args, "--max-call-depth", fmt.Sprint(s.MaxCallDepth))
	}
	if s.StackFrameSize != 0 {
		args = append(args, "--stack-frame-size", fmt.Sprint(s.StackFrameSize))
	}
	for _, b := range s.Syscalls {
		args = append(args, "--syscall", b.Key+"="+b.Name)
	}
	for _, f := range s.Functions {
		args = append(args, "--function", fmt.Sprintf("%s=%d", f.Key, f.PC))
	}
	return args
}
