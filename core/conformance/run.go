package conformance

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Outcome is what one execution of a case produced.
type Outcome struct {
	// Loaded is false when building the executable failed (Result.Err then
	// holds the load error and the count is 0).
	Loaded bool
	Result vm.Result
	// Text is the program's text, for printing its traces.
	Text []byte
	// Context is the final value of the syscall_with_context object, when
	// the case binds one.
	Context *uint64
}

// Execute builds the case's Spec with runspec and, for run-stage cases,
// runs it once on engine. The error is a failure of the case itself, not
// of the program: a missing fixture (wrapping ErrPending), or a Spec that
// does not build for a reason rbpf has no error for (the assembler's
// errors, a bad syscall binding). What rbpf reports from the
// constructor, an ELF error or a verifier's rejection, is the outcome.
func Execute(engine vm.Engine, c *Case) (Outcome, error) {
	spec, err := c.RunSpec()
	if err != nil {
		return Outcome{}, err
	}
	b, err := spec.Build()
	if err != nil {
		var loadErr *vm.Error
		if !errors.As(err, &loadErr) {
			return Outcome{}, fmt.Errorf("build: %w", err)
		}
		return Outcome{Result: vm.Result{Err: err}}, nil
	}
	p := b.Prepare()
	obj := bindContext(&p.Options, &spec)
	out := Outcome{Loaded: true, Text: b.Exe.Program.Text}
	if c.Stage == StageLoad {
		// Upstream stops after creating the VM.
		if _, err := vm.New(b.Exe, p.Options); err != nil {
			out.Result.Err = err
		}
		return out, nil
	}
	out.Result = engine.Run(b.Exe, p.Options)
	if obj != nil {
		v := obj.Context
		out.Context = &v
	}
	return out, nil
}

// Mismatches lists every way the outcome differs from the case's
// expectations; none means the case passes.
func (c *Case) Mismatches(o Outcome) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	res, x := o.Result, &c.Expect
	switch {
	case x.HasError && res.Err == nil:
		add("got value %#x, want error %q", res.Value, x.Error)
	case x.HasError && res.Err.Error() != x.Error:
		add("got error %q, want %q", res.Err.Error(), x.Error)
	case !x.HasError && res.Err != nil:
		want := "success"
		if x.HasValue {
			want = fmt.Sprintf("value %#x", x.Value)
		}
		add("got error %q, want %s", res.Err.Error(), want)
	case x.HasValue && res.Value != x.Value:
		add("got value %#x, want %#x", res.Value, x.Value)
	}
	if x.VerifierText != "" || x.VerifierDebug != "" {
		diffs = append(diffs, x.verifierMismatches(res.Err)...)
	}
	if x.HasCount && res.InstructionCount != x.Count {
		add("got instruction count %d, want %d", res.InstructionCount, x.Count)
	}
	if x.HasLog && !equalLines(res.Log, x.Log) {
		add("got log %q, want %q", res.Log, x.Log)
	}
	if o.Context != nil && res.Err == nil && *o.Context != 84 {
		add("syscall_with_context object holds %d after the run, want 84", *o.Context)
	}
	return diffs
}

func (x *Expect) verifierMismatches(err error) []string {
	var ve *verifier.Error
	if !errors.As(err, &ve) {
		return []string{fmt.Sprintf("error %v does not wrap a *verifier.Error", err)}
	}
	var diffs []string
	if x.VerifierText != "" && ve.Error() != x.VerifierText {
		diffs = append(diffs, fmt.Sprintf("got verifier error %q, want %q", ve.Error(), x.VerifierText))
	}
	if x.VerifierDebug != "" && ve.Debug() != x.VerifierDebug {
		diffs = append(diffs, fmt.Sprintf("got verifier debug %q, want %q", ve.Debug(), x.VerifierDebug))
	}
	return diffs
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Run runs every case as a subtest of t on engine: it compares the outcome
// with the expectations and, when the case traces, runs it a second time
// and requires the same trace and result (determinism). Cases whose ELF
// fixture is missing are skipped as pending.
func Run(t *testing.T, engine vm.Engine, cases []Case) {
	t.Helper()
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t *testing.T) {
			first := runOne(t, engine, c)
			for _, d := range c.Mismatches(first) {
				t.Errorf("%s [%s]: %s", c.Name, engine.Name(), d)
			}
			if c.Stage != StageRun || !first.Loaded || first.Result.Trace == nil {
				return
			}
			second := runOne(t, engine, c)
			if err := sameRun(first.Result, second.Result); err != nil {
				t.Errorf("%s [%s]: not deterministic: %v", c.Name, engine.Name(), err)
			}
		})
	}
}

// runOne executes the case, skipping pending cases and failing on
// harness errors.
func runOne(t *testing.T, engine vm.Engine, c *Case) Outcome {
	t.Helper()
	o, err := Execute(engine, c)
	if errors.Is(err, ErrPending) {
		msg, _ := c.Pending()
		t.Skip(msg)
	}
	if err != nil {
		t.Fatalf("%s: %v", c.File, err)
	}
	return o
}

// sameRun compares two results completely, traces included.
func sameRun(a, b vm.Result) error {
	if errText(a.Err) != errText(b.Err) || a.Value != b.Value || a.InstructionCount != b.InstructionCount {
		return fmt.Errorf("results differ: (%#x, %q, %d) then (%#x, %q, %d)",
			a.Value, errText(a.Err), a.InstructionCount, b.Value, errText(b.Err), b.InstructionCount)
	}
	if !equalLines(a.Log, b.Log) {
		return fmt.Errorf("logs differ: %q then %q", a.Log, b.Log)
	}
	if (a.Trace == nil) != (b.Trace == nil) {
		return fmt.Errorf("one run traced, the other did not")
	}
	if a.Trace != nil && len(a.Trace.Log) != len(b.Trace.Log) {
		return fmt.Errorf("traces have %d and %d entries", len(a.Trace.Log), len(b.Trace.Log))
	}
	if a.Trace != nil {
		return CompareTraces(a.Trace, b.Trace)
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// CompareTraces compares the trace of a reference engine (the interpreter)
// with another's as rbpf's Tracer::compare does: b may be longer than a
// (the JIT checks the meter only at branches, so it may run past the
// interpreter's last instruction) and is cut to a's length. It returns nil
// when they agree, else an error naming the first difference.
func CompareTraces(a, b *vm.Tracer) error {
	if a == nil || b == nil {
		if a == b {
			return nil
		}
		return fmt.Errorf("one of the traces is missing")
	}
	la, lb := a.Log, b.Log
	if len(lb) > len(la) {
		lb = lb[:len(la)]
	}
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Errorf("entry %d differs:\n  %s\n  %s", i, traceEntry(la[i]), traceEntry(lb[i]))
		}
	}
	if len(lb) < len(la) {
		return fmt.Errorf("second trace stops after %d entries, first has %d", len(lb), len(la))
	}
	return nil
}

func traceEntry(e vm.TraceEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pc %d:", e.PC())
	for r := 0; r < 11; r++ {
		fmt.Fprintf(&b, " r%d=%#x", r, e[r])
	}
	return b.String()
}
