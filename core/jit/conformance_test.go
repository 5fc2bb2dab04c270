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

// TestTracesIdentical runs every run-stage case on both engines with
// tracing forced on and requires everything to be identical: value, error,
// counts, log and the full trace (the same length, not merely a prefix as
// rbpf's Tracer::compare allows).
func TestTracesIdentical(t *testing.T) {
	for _, c := range loadCases(t) {
		if c.Stage != conformance.StageRun {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			run := func(e vm.Engine) (vm.Result, bool) {
				exe, loadErr, err := c.Build()
				if err != nil || loadErr != nil {
					return vm.Result{}, false
				}
				exe.Config.EnableInstructionTracing = true
				return e.Run(exe, c.RunOptions()), true
			}
			want, ok := run(vm.Interpreter{})
			if !ok {
				t.Skip("not runnable")
			}
			got, _ := run(Engine{})
			a, b := outcome{res: want}, outcome{res: got}
			if d := differ(a, b); d != "" {
				t.Errorf("%s", d)
			}
		})
	}
}
