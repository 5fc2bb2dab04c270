package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vugu/vugu"

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

// TestCompareTiers runs the editor's program on the interpreter and on a
// stand-in for the compiled tier (which runs the interpreter, so the two
// traces agree), and opens the comparison in the Recorded run view.
func TestCompareTiers(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.Source = watchSource
	a.BuildSource()
	a.Debug.CompareTiers()
	if a.View == "trace" {
		t.Fatal("compared without a compiled tier")
	}

	renders := make(chan bool, 16)
	a.Env = vugu.NewEventEnvImpl(&sync.RWMutex{}, renders)
	a.Compiled = &interpAsCompiled{}
	a.Env.Lock()
	a.Debug.CompareTiers()
	a.Env.UnlockOnly()
	select {
	case <-renders:
	case <-time.After(10 * time.Second):
		t.Fatal("the comparison did not finish")
	}
	a.Env.Lock()
	defer a.Env.UnlockOnly()
	if a.View != "trace" || a.Trace.diff == nil || a.Trace.otherName != "editor.wasm.trace" || a.Trace.other.Result.Engine != "wasm" {
		t.Fatalf("view %q, status %q, diff %v", a.View, a.Debug.Status, a.Trace.diff)
	}
	if d := a.Trace.diff; d.Diverge != nil || a.Trace.file.Len() != 10 || a.Trace.other.Len() != 10 {
		t.Errorf("the tiers part at %+v (%d and %d steps)", d.Diverge, a.Trace.file.Len(), a.Trace.other.Len())
	}
	if !strings.Contains(a.Debug.Status, "compared 10 steps") {
		t.Errorf("status %q", a.Debug.Status)
	}
}
