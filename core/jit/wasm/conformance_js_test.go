//go:build js && wasm

package wasmjit

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
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

// expectedFallbacks are the cases the tier cannot compile, and why: none.
var expectedFallbacks = map[string]string{}

// strictEngine runs the tier in Strict mode and records the executables
// it could not compile (for the size limit), running those on the
// interpreter so that the rest of a case still checks.
type strictEngine struct {
	mu        sync.Mutex
	fallbacks []string
	ran       int
}

func (e *strictEngine) Name() string { return "wasm" }

func (e *strictEngine) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	if _, err := Compile(exe); errors.Is(err, ErrTooLarge) {
		e.mu.Lock()
		e.fallbacks = append(e.fallbacks, err.Error())
		e.mu.Unlock()
		return vm.Interpreter{}.Run(exe, opts)
	}
	e.mu.Lock()
	e.ran++
	e.mu.Unlock()
	return Engine{Strict: true}.Run(exe, opts)
}

// checkFallbacks requires exactly the expected cases to have fallen back.
func checkFallbacks(t *testing.T, e *strictEngine, cases []conformance.Case, run func(*testing.T, vm.Engine, []conformance.Case)) {
	var fell []string
	for i := range cases {
		c := cases[i : i+1]
		before := len(e.fallbacks)
		run(t, e, c)
		if len(e.fallbacks) > before {
			fell = append(fell, c[0].Name)
		}
	}
	var want []string
	for name := range expectedFallbacks {
		want = append(want, name)
	}
	slices.Sort(want)
	slices.Sort(fell)
	if !slices.Equal(fell, want) {
		t.Errorf("cases falling back to the interpreter: %v, want %v", fell, want)
	}
	if e.ran < 200 {
		t.Errorf("only %d runs on the wasm tier", e.ran)
	}
	t.Logf("%d runs on the wasm tier; fell back: %v", e.ran, fell)
}

// TestConformance runs every case of the shared suite on the tier in
// Strict mode and checks its expectations.
func TestConformance(t *testing.T) {
	checkFallbacks(t, &strictEngine{}, loadCases(t), conformance.Run)
}

// TestAgreesWithInterpreter compares the tier with the interpreter on
// every case: value, error, count and trace.
func TestAgreesWithInterpreter(t *testing.T) {
	checkFallbacks(t, &strictEngine{}, loadCases(t), func(t *testing.T, e vm.Engine, c []conformance.Case) {
		conformance.CompareWith(t, vm.Interpreter{}, e, c)
	})
}

// TestTracesIdentical runs every run-stage case on both engines with
// tracing forced on and requires everything to be identical: value,
// error, counts, log and the full trace.
func TestTracesIdentical(t *testing.T) {
	n := 0
	for _, c := range loadCases(t) {
		if c.Stage != conformance.StageRun {
			continue
		}
		if _, ok := expectedFallbacks[c.Name]; ok {
			continue
		}
		c.Spec.Trace = true
		run := func(e vm.Engine) (vm.Result, bool) {
			o, err := conformance.Execute(e, &c)
			if err != nil || !o.Loaded {
				return vm.Result{}, false
			}
			return o.Result, true
		}
		want, ok := run(vm.Interpreter{})
		if !ok {
			continue
		}
		got, _ := run(Engine{Strict: true})
		if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
			t.Errorf("%s: %s", c.Name, d)
		}
		n++
	}
	if n < 200 {
		t.Errorf("only %d cases compared", n)
	}
}

func loadRuntime(t *testing.T, dir string) []conformance.RuntimeCase {
	t.Helper()
	cases, err := conformance.LoadRuntime("../" + dir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestRuntimeSuite runs the runtime suite (programs run with an
// instruction, as Solana v1.6.9 runs them) on the tier, and compares it
// with the interpreter: result, compute units, logs, accounts, trace.
func TestRuntimeSuite(t *testing.T) {
	cases := loadRuntime(t, conformance.RuntimeDir)
	conformance.RunRuntime(t, Engine{Strict: true}, cases)
	conformance.CompareRuntime(t, vm.Interpreter{}, Engine{Strict: true}, cases)
}

// TestRealProgramsAgree runs the real-program cases (when SOLANA_ELF_DIR
// holds the binaries) on the tier against the interpreter.
func TestRealProgramsAgree(t *testing.T) {
	if conformance.RealProgramDir() == "" {
		t.Skip("set SOLANA_ELF_DIR to the folder of the real programs")
	}
	cases := loadRuntime(t, conformance.RealProgramsDir)
	conformance.RunRuntime(t, Engine{Strict: true}, cases)
	conformance.CompareRuntime(t, vm.Interpreter{}, Engine{Strict: true}, cases)
}

// TestChaosPrograms compares the engines on upstream's total-chaos
// programs (random instructions, verifier on, tracing on).
func TestChaosPrograms(t *testing.T) {
	ran := 0
	for _, masked := range []bool{false, true} {
		for i, p := range conformance.ChaosPrograms(0xC2DB2F8F282284A0, 5000, masked) {
			ok, err := conformance.CompareEngines(vm.Interpreter{}, Engine{Strict: true}, p)
			if err != nil {
				t.Errorf("program %d (masked %v) %x: %v", i, masked, p, err)
			}
			if ok {
				ran++
			}
		}
	}
	if ran == 0 {
		t.Error("the verifier rejected every chaos program")
	}
	t.Logf("%d chaos programs ran", ran)
}
