package ui

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// rustSource names its functions as rustc mangles them: a legacy name
// called relatively, a v0 name called through a relocation, and a legacy
// name imported (unresolved).
const rustSource = `.relocate _RNvCsaljjC7ZTCQu_3log6logger
entrypoint:
    mov64 r1, 0
    call _ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE
    call _RNvCsaljjC7ZTCQu_3log6logger
    call _ZN14solana_program3log7sol_log17h4d8401486258f67dE
    exit
_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE:
    jeq r1, 0, +1
    mov64 r0, 2
    exit
_RNvCsaljjC7ZTCQu_3log6logger:
    mov64 r0, 0
    exit
`

const (
	splProcess = "_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"
	splShown   = "spl_token::processor::Processor::process"
	logLogger  = "_RNvCsaljjC7ZTCQu_3log6logger"
	solLog     = "_ZN14solana_program3log7sol_log17h4d8401486258f67dE"
)

func rustApp(t *testing.T) *App {
	t.Helper()
	a := NewApp(&fakeHost{})
	a.Source = rustSource
	a.BuildSource()
	if a.BuildErr != "" || a.Prog == nil || a.Prog.Err != nil {
		t.Fatalf("build: %q %v", a.BuildErr, a.Prog)
	}
	return a
}

// TestListingDemangles: labels and notes show demangled names, the raw
// ones stay for the tooltip, "go to" and the hashing panel.
func TestListingDemangles(t *testing.T) {
	a := rustApp(t)
	rows := a.List.DisasmRows()
	if rows[5].Label != splShown || rows[5].RawLabel != splProcess || rows[0].Label != "entrypoint" || rows[0].RawLabel != "" {
		t.Errorf("labels %q (%q), %q (%q)", rows[5].Label, rows[5].RawLabel, rows[0].Label, rows[0].RawLabel)
	}
	if rows[1].Note != "→ "+splShown || rows[2].Note != "→ log::logger" || rows[3].Note != "unresolved solana_program::log::sol_log" {
		t.Errorf("notes %q, %q, %q", rows[1].Note, rows[2].Note, rows[3].Note)
	}
	for _, where := range []string{"log::logger", logLogger} {
		a.List.GoTo(where)
		if a.List.GotoErr != "" || a.Debug.Cursor != 8 {
			t.Errorf("go to %q: cursor %d, %q", where, a.Debug.Cursor, a.List.GotoErr)
		}
	}
	// A call through a relocation carries the hash of the raw name.
	for _, i := range []int{2, 3} {
		a.Hash.OpenCall(rows[i])
		want := map[int]string{2: logLogger, 3: solLog}[i]
		if a.Hash.Mode != "name" || a.Hash.Input != want || a.Hash.Hash != ebpf.HashSymbolName([]byte(want)) {
			t.Errorf("open call %d: %s %q", i, a.Hash.Mode, a.Hash.Input)
		}
	}
}

// TestFramesAndGraphDemangle: the call frames name each frame's function
// and the graph its function, demangled.
func TestFramesAndGraphDemangle(t *testing.T) {
	a := rustApp(t)
	a.Debug.Step()
	a.Debug.Step() // into the spl_token function
	rows := a.Debug.FramesTable().Rows
	if len(rows) != 2 || rows[0].Cells[1] != "entrypoint" || rows[1].Cells[1] != splShown || rows[1].Title != splProcess || rows[0].Title != "" {
		t.Fatalf("frames %+v", rows)
	}
	if got := a.Prog.CFGTitle(&a.Debug); got != "Control-flow graph of "+splShown {
		t.Errorf("graph title %q", got)
	}
}

// TestTablesDemangle: the symbol tables and the relocation steps show
// demangled names; the relocation detail quotes the raw name it hashes.
func TestTablesDemangle(t *testing.T) {
	a := rustApp(t)
	found := false
	for _, r := range a.Prog.SymTable().Rows {
		if r.Title == splProcess {
			found = r.Cells[1] == splShown
		}
	}
	if !found {
		t.Errorf("symbol table rows %+v", a.Prog.SymTable().Rows)
	}
	var labels []string
	for _, s := range a.Reloc.StepList() {
		labels = append(labels, s.Label)
	}
	if all := strings.Join(labels, "\n"); !strings.Contains(all, "log::logger") || strings.Contains(all, logLogger) {
		t.Errorf("step list %q", labels)
	}
	for i := 0; i < a.Reloc.Steps(); i++ {
		a.Reloc.GoToStep(i)
		if s, _ := a.Reloc.Cur(); s.Symbol != logLogger {
			continue
		}
		got := strings.Join(a.Reloc.Computation(), "\n")
		if !strings.Contains(got, `"`+logLogger+`" is log::logger demangled`) || !strings.Contains(got, `dynamic symbol 2: "`+logLogger+`"`) {
			t.Errorf("step %d:\n%s", i, got)
		}
		return
	}
	t.Errorf("no relocation step for %s", logLogger)
}
