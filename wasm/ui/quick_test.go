package ui

import (
	"os"
	"strings"
	"testing"
)

// TestQuickStepsOnlyInTheDebugger checks that Quick takes a step in the
// debugger view, with a program and no run going on, and nothing else.
func TestQuickStepsOnlyInTheDebugger(t *testing.T) {
	a := NewApp(nil)
	if a.Quick("do:step") {
		t.Fatal("Quick stepped with no program loaded")
	}
	a.OpenExample("relative_calls")
	a.Show("debug")
	if a.Quick("do:run") || a.Quick("r") {
		t.Fatal("Quick took an action that is not a step")
	}
	for i := 1; i <= 2; i++ {
		if !a.Quick("s") && !a.Quick("do:step") {
			t.Fatalf("step %d: Quick refused a step in the debugger", i)
		}
		if got := a.Debug.vm.Executed(); got != uint64(i) {
			t.Fatalf("after %d quick steps, %d instructions executed", i, got)
		}
	}
	if !a.Quick("b") || a.Debug.vm.Executed() != 1 {
		t.Fatalf("a quick step back left %d instructions executed, want 1", a.Debug.vm.Executed())
	}
	if !a.Quick("do:back") || a.Debug.vm.Executed() != 0 {
		t.Fatalf("a quick step back left %d instructions executed, want 0", a.Debug.vm.Executed())
	}
	a.Debug.Running = true
	if a.Quick("do:step") {
		t.Fatal("Quick stepped during a run")
	}
	a.Debug.Running = false
	a.Show("disasm")
	if a.Quick("do:step") {
		t.Fatal("Quick stepped outside the debugger view")
	}
}

// TestPageRegionsExist checks that every region PaintDebug draws or
// RegionsHTML gives is an element of the templates.
func TestPageRegionsExist(t *testing.T) {
	var markup strings.Builder
	for _, f := range []string{"debug-panel.vugu", "listing.vugu", "load-panel.vugu"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		markup.Write(b)
	}
	a := NewApp(nil)
	for _, r := range pageRegions {
		if r.id == a.Debug.FramesTable().ID {
			continue
		}
		if !strings.Contains(markup.String(), `id="`+r.id+`"`) {
			t.Errorf("region %q is not an element of the debugger's templates", r.id)
		}
	}
}
