//go:build linux && amd64

package jit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

const conformanceDir = "../../testdata/conformance"

func loadCases(t *testing.T) []conformance.Case {
	t.Helper()
	cases, err := conformance.Load(conformanceDir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestConformance runs every case of the shared suite on the JIT and
// checks its expectations.
func TestConformance(t *testing.T) {
	conformance.Run(t, Engine{}, loadCases(t))
}

// TestConformanceBlinded runs the suite with constant blinding: it must not
// change any outcome.
func TestConformanceBlinded(t *testing.T) {
	conformance.Run(t, Engine{Options: Options{ConstantBlinding: true}}, loadCases(t))
}

// TestAgreesWithInterpreter compares the JIT with the interpreter on every
// case: value, error, count and trace.
func TestAgreesWithInterpreter(t *testing.T) {
	conformance.CompareWith(t, vm.Interpreter{}, Engine{}, loadCases(t))
}
