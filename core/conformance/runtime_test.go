package conformance

import (
	"encoding/json"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

func loadRuntime(t *testing.T) []RuntimeCase {
	t.Helper()
	cases, err := LoadRuntime(RuntimeDir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestRuntimeSuite runs the runtime suite on the interpreter.
func TestRuntimeSuite(t *testing.T) {
	RunRuntime(t, vm.Interpreter{}, loadRuntime(t))
}

// TestRuntimeMismatchesReported checks that the comparison notices a
// wrong expectation.
func TestRuntimeMismatchesReported(t *testing.T) {
	cases := loadRuntime(t)
	c := cases[0]
	r, err := c.Run(vm.Interpreter{})
	if err != nil {
		t.Fatal(err)
	}
	c.Steps[0].Expect = map[string]json.RawMessage{
		"compute_units_consumed": json.RawMessage("1"),
		"logs":                   json.RawMessage(`[]`),
	}
	if d := c.Mismatches(r); len(d) != 2 {
		t.Fatalf("mismatches %q, want 2", d)
	}
}

// TestRealPrograms runs the cases of real 2020-2021 programs when
// SOLANA_ELF_DIR holds their binaries (testdata/realprograms/README.md
// says where each comes from); without it each case is skipped.
func TestRealPrograms(t *testing.T) {
	cases, err := LoadRuntime(RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	RunRuntime(t, vm.Interpreter{}, cases)
}
