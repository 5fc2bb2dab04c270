package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
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
	switch {
	case c.HasValue:
		if value == nil || *value != c.Value || code != 0 {
			t.Errorf("exit %d, result %v error %v; want result %#x", code, value, deref(errText), c.Value)
		}
	case c.HasError:
		if errText == nil || *errText != c.Error || code != 2 {
			t.Errorf("exit %d, error %q; want %q", code, deref(errText), c.Error)
		}
	}
	// rbpf's DefaultInstructionMeter (budget: unlimited) reports 0; the CLI
	// always uses a counting meter, so only budgeted counts compare.
	if c.HasCount && !c.Unlimited && count != c.Count {
		t.Errorf("instruction_count %d, want %d", count, c.Count)
	}
	if c.HasLog && !slices.Equal(log, c.Log) && !(len(log) == 0 && len(c.Log) == 0) {
		t.Errorf("log %q, want %q", log, c.Log)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// cliArgs translates a case into rbpf run arguments, or says why the CLI
// cannot express it (accept-all and reject-all verifiers and load-only
// stages have no flag; ELF cases wait for their fixture).
func cliArgs(t *testing.T, c conformance.Case) ([]string, string) {
	var args []string
	switch {
	case c.Stage != conformance.StageRun:
		return nil, "load stage"
	case c.Verifier != conformance.VerifierNone && c.Verifier != conformance.VerifierCheck:
		return nil, "custom verifier"
	case c.Kind == conformance.ProgramAsm:
		args = []string{"run", "--asm", writeTemp(t, "prog.s", []byte(c.Source))}
	case c.Kind == conformance.ProgramBytes:
		args = []string{"run", "--bytes", writeTemp(t, "prog.bin", c.Bytes)}
	case c.Kind == conformance.ProgramELF:
		data, err := os.ReadFile(c.ELFFile)
		if err != nil {
			return nil, "pending fixture"
		}
		for _, p := range c.Patches {
			if p.Offset < len(data) {
				data[p.Offset] = p.Value
			}
		}
		args = []string{"run", "--elf", writeTemp(t, "prog.so", data)}
	default:
		return nil, "unknown kind"
	}
	args = append(args, "--json", "--no-default-syscalls")
	if len(c.Input) > 0 {
		args = append(args, "--input", hex.EncodeToString(c.Input))
	}
	if !c.Unlimited {
		args = append(args, "--budget", fmt.Sprint(c.Budget))
	}
	if !c.Meter {
		args = append(args, "--no-meter")
	}
	if c.Tracing {
		args = append(args, "--trace")
	}
	if c.Verifier == conformance.VerifierCheck {
		args = append(args, "--verify")
	}
	if c.MaxCallDepth != 0 {
		args = append(args, "--max-call-depth", fmt.Sprint(c.MaxCallDepth))
	}
	if c.StackFrameSize != 0 {
		args = append(args, "--stack-frame-size", fmt.Sprint(c.StackFrameSize))
	}
	for _, s := range c.Syscalls {
		args = append(args, "--syscall", fmt.Sprintf("%d=%s", s.Key.Hash(), s.Impl))
	}
	for _, f := range c.Functions {
		args = append(args, "--function", fmt.Sprintf("%d=%d", f.Key.Hash(), f.PC))
	}
	return args, ""
}
