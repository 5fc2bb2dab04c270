package vm

import (
	"fmt"
	"strings"
	"testing"
)

func TestTracerWrite(t *testing.T) {
	exe := mustExe(t, "lddw r0, 0x10000000f\nadd64 r0, 1\nexit", nil)
	r := Interpreter{}.Run(exe, RunOptions{Budget: 10})
	if r.Err != nil || r.Trace == nil || len(r.Trace.Log) != 3 {
		t.Fatalf("run: %v, trace %v", r.Err, r.Trace)
	}
	var b strings.Builder
	if err := r.Trace.Write(&b, exe.Program.Text); err != nil {
		t.Fatal(err)
	}
	zero := "0000000000000000, "
	want := "    0 [" + strings.Repeat(zero, 10) + "0000000200001000]    29: lddw r0, 0x10000000f\n" +
		"    1 [000000010000000F, " + strings.Repeat(zero, 9) + "0000000200001000]    31: add64 r0, 0x1\n" +
		"    2 [0000000100000010, " + strings.Repeat(zero, 9) + "0000000200001000]    32: exit\n"
	if b.String() != want {
		t.Errorf("trace text:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestTracerCompare(t *testing.T) {
	a := &Tracer{Log: []TraceEntry{{1}, {2}}}
	if !Compare(a, &Tracer{Log: []TraceEntry{{1}, {2}, {3}}}) {
		t.Error("a longer JIT trace with the same prefix must compare equal")
	}
	if Compare(a, &Tracer{Log: []TraceEntry{{1}}}) || Compare(a, &Tracer{Log: []TraceEntry{{1}, {4}}}) {
		t.Error("a shorter or different JIT trace must differ")
	}
}

func TestTraceLimit(t *testing.T) {
	exe := mustExe(t, "mov64 r0, 0\nadd64 r0, 1\njlt r0, 100, -2\nexit", nil)
	r := Interpreter{}.Run(exe, RunOptions{Budget: 1000, MaxTraceEntries: 10})
	expectOK(t, r, 100, 202)
	if len(r.Trace.Log) != 10 || !r.Trace.Truncated || r.Trace.Log[9].PC() != 1 {
		t.Errorf("kept %d entries, truncated %v", len(r.Trace.Log), r.Trace.Truncated)
	}
}

func TestTracerWriteMatchesFmt(t *testing.T) {
	tr := &Tracer{}
	for i := 0; i < 3; i++ {
		tr.Trace(TraceEntry{^uint64(0), 0xabc, 1 << 63, 3, 4, 5, 6, 7, 8, 9, 10, uint64(i * 99999)})
	}
	var b strings.Builder
	if err := tr.Write(&b, nil); err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i, e := range tr.Log {
		fmt.Fprintf(&want, "%5d [", i)
		for r := 0; r < 11; r++ {
			if r > 0 {
				want.WriteString(", ")
			}
			fmt.Fprintf(&want, "%016X", e[r])
		}
		fmt.Fprintf(&want, "] %5d: \n", e[11]+29)
	}
	if b.String() != want.String() {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want.String())
	}
}
