package ui

import (
	"strings"
	"testing"
)

// TestTraceViewOpensAndCompares saves two runs of the editor's program on
// different inputs as trace files, opens the first in the Recorded run
// view, steps through it, then drops the second and goes to where they
// part.
func TestTraceViewOpensAndCompares(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.Source = "entrypoint:\n    ldxb r2, [r1+0x0]\n    mov64 r3, 5\n    add64 r3, r2\n    mov64 r0, r3\n    exit\n"
	a.BuildSource()
	a.Debug.SetInput("01")
	a.Debug.SaveTrace()
	a.Debug.SetInput("02")
	a.Debug.SaveTrace()
	if len(h.downloads) != 2 {
		t.Fatalf("%d trace files saved: %s", len(h.downloads), a.Debug.Status)
	}
	a.LoadFile("one.trace", h.downloads[0].data)
	if a.View != "trace" || a.Trace.Err != "" {
		t.Fatalf("view %q, err %q", a.View, a.Trace.Err)
	}
	page := string(a.Trace.HTML())
	for _, want := range []string{"5 steps recorded", "exited: r0 = 6", "ldxb r2, [r1+0x0]"} {
		if !strings.Contains(page, want) {
			t.Errorf("the view lacks %q", want)
		}
	}
	a.Act("do:tr-last")
	if a.Trace.Step != 4 || !strings.Contains(string(a.Trace.HTML()), `<tr class="cur"><td>pc 4 (insn #33)</td><td>exit</td>`) {
		t.Errorf("the last step is %d:\n%s", a.Trace.Step, a.Trace.HTML())
	}
	a.ActChange("tr-step", "2", false, "text")
	if a.Trace.Step != 2 {
		t.Errorf("going to step 2 went to %d", a.Trace.Step)
	}
	a.LoadFile("two.trace", h.downloads[1].data)
	page = string(a.Trace.HTML())
	if !strings.Contains(page, "Compared with two.trace") || a.Trace.Step != 1 || !strings.Contains(page, "go to step 1") {
		t.Errorf("after the second file, step %d:\n%s", a.Trace.Step, page)
	}
	a.LoadFile("junk.trace", []byte("RBPFTRC\x01junk"))
	if a.Trace.Err == "" {
		t.Error("a damaged trace file was accepted")
	}
}
