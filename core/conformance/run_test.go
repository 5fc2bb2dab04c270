package conformance

import (
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func mustLoad(t *testing.T) []Case {
	t.Helper()
	cases, err := Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestInterpreter runs every conformance case on the interpreter.
func TestInterpreter(t *testing.T) {
	cases := mustLoad(t)
	var pending []string
	for i := range cases {
		if msg, ok := cases[i].Pending(); ok {
			pending = append(pending, cases[i].Name+" ("+msg+")")
		}
	}
	if len(pending) > 0 {
		t.Logf("%d of %d cases pending:\n  %s", len(pending), len(cases), strings.Join(pending, "\n  "))
	}
	Run(t, interpreter, cases)
}

// TestInterpreterAgainstItself holds the interpreter to CompareWith, the
// check the JIT must pass against it.
func TestInterpreterAgainstItself(t *testing.T) {
	CompareWith(t, interpreter, interpreter, mustLoad(t))
}

// TestChaosDeterministic runs the deterministic stand-in for upstream's
// test_total_chaos on the interpreter twice: no panic, identical results.
func TestChaosDeterministic(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	ran := 0
	for _, masked := range []bool{false, true} {
		for i, p := range ChaosPrograms(0xC2DB2F8F282284A0, n, masked) {
			ok, err := CompareEngines(interpreter, interpreter, p)
			if err != nil {
				t.Fatalf("program %d (masked %v) %x: %v", i, masked, p, err)
			}
			if ok {
				ran++
			}
		}
	}
	if ran == 0 {
		t.Fatal("the verifier rejected every generated program")
	}
	t.Logf("%d of %d generated programs passed the verifier and ran", ran, 2*n)
}

func TestChaosProgramsShape(t *testing.T) {
	a := ChaosPrograms(7, 3, true)
	b := ChaosPrograms(7, 3, true)
	for i := range a {
		if string(a[i]) != string(b[i]) {
			t.Fatal("not deterministic")
		}
		if len(a[i]) != 48 || a[i][40] != 0x95 {
			t.Fatalf("shape %x", a[i])
		}
		for k := 0; k < 48; k += 8 {
			if a[i][k+2] != 0 || a[i][k+4] != 0 || a[i][k+1]&0x88 != 0 {
				t.Fatalf("mask not applied: %x", a[i])
			}
		}
	}
}

func TestMismatches(t *testing.T) {
	c := Case{Name: "x", Expect: Expect{HasValue: true, Value: 1, HasCount: true, Count: 3, HasLog: true, Log: []string{"log: a"}}}
	ok := Outcome{Loaded: true, Result: vm.Result{Value: 1, InstructionCount: 3, Log: []string{"log: a"}}}
	if d := c.Mismatches(ok); len(d) != 0 {
		t.Fatalf("unexpected mismatches %q", d)
	}
	bad := Outcome{Loaded: true, Result: vm.Result{Value: 2, InstructionCount: 4, Log: nil}}
	if d := c.Mismatches(bad); len(d) != 3 {
		t.Fatalf("want 3 mismatches, got %q", d)
	}
	failed := Outcome{Result: vm.Result{Err: errors.New("boom"), InstructionCount: 3, Log: []string{"log: a"}}}
	if d := c.Mismatches(failed); len(d) != 1 || !strings.Contains(d[0], `"boom"`) {
		t.Fatalf("error not reported: %q", d)
	}
	e := Case{Name: "e", Spec: runspec.Spec{Verify: true}, Expect: Expect{HasError: true, Error: "VerifierError", VerifierDebug: "NoProgram"}}
	if d := e.Mismatches(Outcome{Result: vm.Result{Value: 0}}); len(d) != 2 {
		t.Fatalf("missing error not reported: %q", d)
	}
}

func TestCompareTraces(t *testing.T) {
	a := &vm.Tracer{Log: []vm.TraceEntry{{1}, {2}}}
	longer := &vm.Tracer{Log: []vm.TraceEntry{{1}, {2}, {3}}}
	shorter := &vm.Tracer{Log: []vm.TraceEntry{{1}}}
	other := &vm.Tracer{Log: []vm.TraceEntry{{1}, {9}}}
	if err := CompareTraces(a, longer); err != nil {
		t.Errorf("a longer second trace must agree: %v", err)
	}
	if CompareTraces(a, shorter) == nil || CompareTraces(a, other) == nil || CompareTraces(a, nil) == nil {
		t.Error("differences not reported")
	}
	if vm.Compare(a, longer) != (CompareTraces(a, longer) == nil) || vm.Compare(a, other) != (CompareTraces(a, other) == nil) {
		t.Error("CompareTraces disagrees with vm.Compare")
	}
}

// TestHarnessCatchesWrongExpectations makes sure a passing case fails once
// any one of its expectations is altered.
func TestHarnessCatchesWrongExpectations(t *testing.T) {
	byName := map[string]Case{}
	for _, c := range mustLoad(t) {
		byName[c.Name] = c
	}
	alter := map[string]func(c *Case){
		"value":    func(c *Case) { c.Expect.Value++ },
		"count":    func(c *Case) { c.Expect.Count-- },
		"log":      func(c *Case) { c.Expect.Log = []string{"log: Hellp"} },
		"error":    func(c *Case) { c.Expect.HasValue, c.Expect.HasError, c.Expect.Error = false, true, "x" },
		"verifier": func(c *Case) { c.Expect.VerifierDebug = "DivisionByZero(2)" },
	}
	targets := map[string]string{"value": "test_stack2", "count": "test_prime", "log": "test_syscall_string",
		"error": "test_mov", "verifier": "test_verifier_err_div_by_zero_imm"}
	for what, name := range targets {
		c := byName[name]
		o, err := Execute(interpreter, &c)
		if err != nil {
			t.Fatal(err)
		}
		if d := c.Mismatches(o); len(d) != 0 {
			t.Fatalf("%s fails before altering: %q", name, d)
		}
		alter[what](&c)
		if d := c.Mismatches(o); len(d) == 0 {
			t.Errorf("%s: altered %s not detected", name, what)
		}
	}
}

func TestPendingFixture(t *testing.T) {
	c, err := Parse("p", []byte("name: p\nexpect.value: 0\n-- elf --\ntestdata/elfs/does_not_exist.so\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.ELFFile = "/nonexistent/does_not_exist.so"
	if msg, ok := c.Pending(); !ok || msg != "pending: fixture testdata/elfs/does_not_exist.so not built yet" {
		t.Fatalf("Pending() = %q, %v", msg, ok)
	}
	if _, err := Execute(interpreter, &c); !errors.Is(err, ErrPending) {
		t.Fatalf("Execute error %v, want ErrPending", err)
	}
}

// TestCompareWithReportsDisagreement feeds CompareWith an engine that
// returns a wrong value and checks that the failure is reported.
func TestCompareWithReportsDisagreement(t *testing.T) {
	var c Case
	for _, x := range mustLoad(t) {
		if x.Name == "test_mov" {
			c = x
		}
	}
	a, _ := Execute(interpreter, &c)
	b, _ := Execute(offByOne{}, &c)
	if agree(a.Result, b.Result, true) == nil {
		t.Fatal("disagreement not detected")
	}
	if agree(a.Result, a.Result, true) != nil {
		t.Fatal("an engine disagrees with itself")
	}
}

// offByOne is an engine whose results are one too large.
type offByOne struct{}

func (offByOne) Name() string { return "off-by-one" }

func (offByOne) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	r := vm.Interpreter{}.Run(exe, opts)
	r.Value++
	return r
}

// TestExecuteErrors: what rbpf reports from the constructor is the
// outcome; a case that cannot be built for a reason rbpf has no error for
// is a failure of the case.
func TestExecuteErrors(t *testing.T) {
	parse := func(text string) *Case {
		t.Helper()
		c, err := Parse("x", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return &c
	}
	bad := parse("name: a\nexpect.value: 1\n-- asm --\nmov r0\nexit\n")
	if _, err := Execute(interpreter, bad); err == nil {
		t.Error("bad assembly ran")
	}
	rejected := parse("name: a\nverifier: check\nexpect.error: VerifierError\n-- asm --\nmov r0, 1\n")
	o, err := Execute(interpreter, rejected)
	if err != nil || o.Loaded || o.Result.Err == nil || len(rejected.Mismatches(o)) != 0 {
		t.Errorf("rejected program: %+v, %v", o, err)
	}
	for _, c := range mustLoad(t) {
		if c.Name != "test_syscall_with_context" {
			continue
		}
		o, err := Execute(interpreter, &c)
		if err != nil || o.Context == nil || *o.Context != 84 {
			t.Errorf("context object: %+v, %v", o, err)
		}
	}
}
