package ui

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/tracefile"
)

// TestShareRun saves the editor's program's run as a trace file and as a
// conformance case, and reads the trace file back.
func TestShareRun(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.Source = watchSource
	a.BuildSource()
	a.Debug.SaveTrace()
	if len(h.downloads) != 1 || h.downloads[0].name != "editor.trace" {
		t.Fatalf("downloads %v, status %q", h.downloads, a.Debug.Status)
	}
	f, err := tracefile.Decode(h.downloads[0].data, tracefile.Limits{MaxBytes: 1 << 20, MaxSteps: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 10 || f.Result.InstructionCount != 10 {
		t.Errorf("the trace holds %d steps of a run of %d instructions, want 10", f.Len(), f.Result.InstructionCount)
	}
	if e, ok := f.Entry(2); !ok || e.PC() != 2 || e[1] != 1 {
		t.Errorf("step 2 is %v", e)
	}
	a.Debug.ExportCase()
	if len(h.downloads) != 2 || h.downloads[1].name != "editor.txtar" || !strings.Contains(string(h.downloads[1].data), "editor") {
		t.Fatalf("case download %v, status %q", h.downloads[len(h.downloads)-1].name, a.Debug.Status)
	}
	if !strings.Contains(a.Debug.Status, "exported the run as editor.txtar") {
		t.Errorf("status %q", a.Debug.Status)
	}
}

// TestExportCaseWithSyscalls exports the starter program's run, which
// calls the log syscall.
func TestExportCaseWithSyscalls(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.BuildSource()
	a.Debug.ExportCase()
	if len(h.downloads) != 1 || !strings.Contains(string(h.downloads[0].data), "hello") {
		t.Fatalf("no case: status %q", a.Debug.Status)
	}
}
