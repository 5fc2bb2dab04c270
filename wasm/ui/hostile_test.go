package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryFixtureEveryView loads every ELF fixture of the project (the
// upstream-style programs and the hostile corpus) as a dropped file and
// draws every view over it: nothing may panic, and a hostile file must show
// the loader's exact error.
func TestEveryFixtureEveryView(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata/elfs", "../../testdata/elf/hostile"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.so"))
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := NewApp(&fakeHost{})
		a.LoadFile(filepath.Base(f), data)
		drawEverything(a)
		if a.Err != "" {
			t.Errorf("%s: %s", f, a.Err)
			continue
		}
		if want, err := os.ReadFile(strings.TrimSuffix(f, ".so") + ".err"); err == nil {
			w := strings.TrimSpace(string(want))
			if a.Prog.Err == nil || !strings.HasSuffix(a.Prog.Err.Error(), w) {
				t.Errorf("%s: page shows %v, want %q", f, a.Prog.Err, w)
			}
		}
	}
}

// drawEverything calls what every view calls while building, and runs
// the program a little.
func drawEverything(a *App) {
	defer a.Recover("drawing")
	p := a.Prog
	_, _ = p.Status(), a.Prog.StatusClass()
	for _, t := range []*DataTable{p.HeaderTable(), p.Checklist(), p.ProgramHeaders(), p.Sections(), p.DynSymbols(), p.SymTable()} {
		_ = t.Rows
	}
	_ = p.MemoryMap()
	for i := 0; i < a.Reloc.Steps(); i++ {
		a.Reloc.GoToStep(i)
		_, _, _ = a.Reloc.Bytes(false), a.Reloc.Bytes(true), a.Reloc.Disasm(true)
		_, _, _ = a.Reloc.Computation(), a.Reloc.CallsTable(), a.Reloc.StepList()
		_ = a.Reloc.StepTitle()
	}
	if p.Prog == nil {
		return
	}
	rows := a.List.DisasmRows()
	_, _ = a.Prog.CFG(&a.Debug), a.Prog.CFGTitle(&a.Debug)
	_, _, _ = a.Prog.JITRows(&a.Debug), a.Prog.JITSummary(), a.Prog.JITError()
	a.Debug.Budget = "5000"
	a.Debug.Reset()
	a.Debug.Run()
	_, _ = a.Debug.Registers(), a.Debug.FramesTable()
	for _, r := range memRegions {
		a.Debug.SetMemRegion(r)
		_ = a.Debug.MemDump()
	}
	for _, l := range rows {
		if l.Call {
			a.Hash.OpenCall(l)
		}
	}
	a.Permalink()
}
