//go:build linux && amd64

package jit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
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
		c.Spec.Trace = true
		t.Run(c.Name, func(t *testing.T) {
			run := func(e vm.Engine) (vm.Result, bool) {
				o, err := conformance.Execute(e, &c)
				if err != nil || !o.Loaded {
					return vm.Result{}, false
				}
				return o.Result, true
			}
			want, ok := run(vm.Interpreter{})
			if !ok {
				t.Skip("not runnable")
			}
			got, _ := run(Engine{})
			a, b := progen.Outcome{Result: want}, progen.Outcome{Result: got}
			if d := progen.Differ(a, b); d != "" {
				t.Errorf("%s", d)
			}
		})
	}
}

func loadRuntime(t *testing.T) []conformance.RuntimeCase {
	t.Helper()
	cases, err := conformance.LoadRuntime(conformance.RuntimeDir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestRuntimeSuite runs the runtime suite (programs run with an
// instruction, as Solana v1.6.9 runs them) on the JIT.
func TestRuntimeSuite(t *testing.T) {
	conformance.RunRuntime(t, Engine{}, loadRuntime(t))
}

// TestRuntimeAgreesWithInterpreter requires the JIT's runtime results to
// equal the interpreter's: result, compute units, logs, accounts, trace.
func TestRuntimeAgreesWithInterpreter(t *testing.T) {
	conformance.CompareRuntime(t, vm.Interpreter{}, Engine{}, loadRuntime(t))
}

// TestRealProgramsAgree runs the real-program cases (when SOLANA_ELF_DIR
// holds the binaries) on the JIT against the interpreter.
func TestRealProgramsAgree(t *testing.T) {
	cases, err := conformance.LoadRuntime(conformance.RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	conformance.RunRuntime(t, Engine{}, cases)
	conformance.CompareRuntime(t, vm.Interpreter{}, Engine{}, cases)
}
