package vm

import "testing"

// TestNativeFault checks that Fault reports what the interpreter reports
// for the same failing instruction.
func TestNativeFault(t *testing.T) {
	for _, c := range []struct {
		src  string
		kind Kind
		pc   int
		arg  uint64
	}{
		{"mov r1, 1\nldxdw r0, [r1+0]\nexit", AccessViolation, 1, 1},
		{"stb [r10-4097], 1\nexit", AccessViolation, 0, 0x200000000 - 1},
		{"mov r1, 0\ndiv r0, r1\nexit", DivideByZero, 1, 0},
		{"mov r1, 0x10\ncallx 1\nexit", CallOutsideTextSegment, 1, 0x10},
		{"ja -2\nexit", ExecutionOverrun, -1, 0},
		{"mov r0, 1\nmov r0, 2\nmov r0, 3\nexit", ExceededMaxInstructions, 1, 0},
	} {
		exe := mustExe(t, c.src, nil)
		opts := RunOptions{Budget: 100}
		if c.kind == ExceededMaxInstructions {
			opts.Budget = 2
		}
		want := Interpreter{}.Run(exe, opts)
		if want.Err == nil {
			t.Fatalf("%q: the interpreter reports no error", c.src)
		}
		m, err := New(exe, opts)
		if err != nil {
			t.Fatal(err)
		}
		got := m.Native().Fault(c.kind, c.pc, c.arg)
		if got == nil || got.Error() != want.Err.Error() {
			t.Errorf("%q: Fault says %v, the interpreter %v", c.src, got, want.Err)
		}
	}
	m, err := New(mustExe(t, "exit", nil), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Native().Fault(ExitRootCallFrame, 0, 0); err == nil {
		t.Error("Fault accepts a kind that is no instruction's fault")
	}
}
