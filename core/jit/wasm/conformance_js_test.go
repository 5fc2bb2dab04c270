//go:build js && wasm

package wasmjit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

const conformanceDir = "../../../testdata/conformance"

func loadCases(t *testing.T) []conformance.Case {
	t.Helper()
	cases, err := conformance.Load(conformanceDir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestConformance runs every case of the shared suite on the tier in
// Strict mode (no fallback) and checks its expectations.
func TestConformance(t *testing.T) {
	conformance.Run(t, Engine{Strict: true}, loadCases(t))
}

// TestAgreesWithInterpreter compares the tier with the interpreter on
// every case: value, error, count and trace.
func TestAgreesWithInterpreter(t *testing.T) {
	conformance.CompareWith(t, vm.Interpreter{}, Engine{Strict: true}, loadCases(t))
}
