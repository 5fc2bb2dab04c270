package ui

import (
	"fmt"
	"strings"
	"testing"
)

// bigProgram is a program of n+3 instructions whose entrypoint calls a
// function at its far end.
func bigProgram(n int) string {
	var b strings.Builder
	b.WriteString("entrypoint:\n  call far\n  exit\n")
	for range n {
		b.WriteString("  mov64 r0, 1\n")
	}
	b.WriteString("far:\n  exit\n")
	return b.String()
}

// TestListingWindow checks that the listing draws ListWindow instructions
// of a long program, follows the debugger into a far function, pages with
// the earlier and later buttons, and starts over for a new program.
func TestListingWindow(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = bigProgram(1000)
	a.BuildSource()
	rows := a.List.DisasmRows()
	if len(rows) != ListWindow || rows[0].PC != 0 || a.List.Above() != 0 || a.List.Below() != 1003-ListWindow {
		t.Fatalf("%d rows from pc %d, %d above, %d below", len(rows), rows[0].PC, a.List.Above(), a.List.Below())
	}
	a.Debug.Reset()
	a.Debug.Step() // call far: the position is pc 1002
	if !hasPC(a.List.DisasmRows(), 1002) || a.List.Below() != 0 {
		t.Fatalf("the window did not follow the call to pc 1002: rows %d-%d", a.List.DisasmRows()[0].PC, a.List.DisasmRows()[ListWindow-1].PC)
	}
	a.List.Earlier()
	rows = a.List.DisasmRows()
	if hasPC(rows, 1002) || rows[0].PC != 1003-ListWindow-ListWindow/2 {
		t.Fatalf("earlier: rows from pc %d", rows[0].PC)
	}
	for range 2*1003/ListWindow + 2 {
		a.List.Earlier() // past the start: the window stops at pc 0
	}
	if rows = a.List.DisasmRows(); rows[0].PC != 0 || a.List.Above() != 0 {
		t.Fatalf("paged past the start: rows from pc %d", rows[0].PC)
	}
	a.List.Later()
	if rows = a.List.DisasmRows(); rows[0].PC != ListWindow/2 {
		t.Fatalf("later: rows from pc %d", rows[0].PC)
	}
	a.Debug.Step() // exit from far: back at pc 1 in the root frame
	if rows = a.List.DisasmRows(); !hasPC(rows, 1) {
		t.Fatalf("the window did not follow the return to pc 1: rows from pc %d", rows[0].PC)
	}

	a.Debug.SetCursor(900)
	if !hasPC(a.List.DisasmRows(), 900) {
		t.Fatal("the window does not show the cursor")
	}
	a.Source = bigProgram(10)
	a.BuildSource()
	if rows = a.List.DisasmRows(); len(rows) != 13 || a.List.Above() != 0 || a.List.Below() != 0 {
		t.Fatalf("a small program after a long one: %d rows, %d above", len(rows), a.List.Above())
	}
}

func hasPC(rows []DisLine, pc int) bool {
	for _, r := range rows {
		if r.PC == pc {
			return true
		}
	}
	return false
}

// TestLongTables checks that a table of many rows draws maxTableRows of
// them until asked for all.
func TestLongTables(t *testing.T) {
	p := &Loaded{}
	long := func() *DataTable {
		tb := &DataTable{ID: "symtab"}
		for i := range 250 {
			tb.Rows = append(tb.Rows, Row{Cells: []string{fmt.Sprint(i)}})
		}
		return tb
	}
	tb := limitRows(long(), p.openTables(), false)
	if len(tb.Rows) != maxTableRows || tb.Hidden != 150 || tb.Rows[0].Cells[0] != "0" || tb.MoreText() != "show the other 150 rows" {
		t.Fatalf("%d rows, %d hidden, first %v", len(tb.Rows), tb.Hidden, tb.Rows[0].Cells)
	}
	if last := limitRows(long(), map[string]bool{}, true); last.Rows[0].Cells[0] != "150" {
		t.Errorf("keepLast starts at row %v", last.Rows[0].Cells)
	}
	tb.Expand()
	if tb = limitRows(long(), p.openTables(), false); len(tb.Rows) != 250 || tb.Hidden != 0 {
		t.Fatalf("after Expand: %d rows, %d hidden", len(tb.Rows), tb.Hidden)
	}
}

// TestStepListWindow checks that the relocation step list shows a window
// of a long log around the current step, with items that jump past it.
func TestStepListWindow(t *testing.T) {
	a := NewApp(&fakeHost{})
	var b strings.Builder
	b.WriteString("entrypoint:\n")
	for i := range 500 {
		fmt.Fprintf(&b, "f%d:\n  call f%d\n", i, (i+1)%500)
	}
	b.WriteString("  exit\n")
	a.Source = b.String()
	a.BuildSource()
	if a.Reloc.Steps() != 500 {
		t.Fatalf("%d steps", a.Reloc.Steps())
	}
	items := a.Reloc.StepList()
	if len(items) != stepWindow+1 || items[0].Index != 0 || items[stepWindow].Label != fmt.Sprintf("▼ %d later steps", 500-stepWindow) || items[stepWindow].Index != stepWindow {
		t.Fatalf("first window: %d items, last %+v", len(items), items[len(items)-1])
	}
	a.Reloc.GoToStep(480)
	items = a.Reloc.StepList()
	first, last := items[0], items[len(items)-1]
	if first.Label != fmt.Sprintf("▲ %d earlier steps", 500-stepWindow) || first.Index != 500-stepWindow-1 || last.Index != 499 || !strings.Contains(last.Label, "500.") {
		t.Fatalf("window at step 480: first %+v, last %+v", first, last)
	}
	cur := 0
	for _, it := range items {
		if strings.Contains(it.Class, "cur") {
			cur = it.Index
		}
	}
	if cur != 480 {
		t.Errorf("current step %d, want 480", cur)
	}
}

// TestCFGWindow checks that the graph of a function of thousands of blocks
// draws cfgMaxBlocks of them, around the cursor, and says so.
func TestCFGWindow(t *testing.T) {
	var b strings.Builder
	b.WriteString("entrypoint:\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "  jeq r1, %d, +1\n  add64 r0, 1\n", i)
	}
	b.WriteString("  exit\n")
	a := NewApp(&fakeHost{})
	a.Source = b.String()
	a.BuildSource()
	svg := string(a.Prog.CFG(&a.Debug))
	if n := strings.Count(svg, "<rect"); n != cfgMaxBlocks {
		t.Fatalf("%d blocks drawn", n)
	}
	if note := a.Prog.CFGNote(&a.Debug); !strings.HasPrefix(note, fmt.Sprintf("Blocks 1–%d of 4001,", cfgMaxBlocks)) {
		t.Errorf("note %q", note)
	}
	a.Debug.SetCursor(3000)
	svg = string(a.Prog.CFG(&a.Debug))
	if !strings.Contains(svg, "3000 #3029  jeq r1, 0x5dc") || strings.Contains(svg, ">   0 #29    jeq") {
		t.Error("the graph did not move to the cursor at pc 3000")
	}
}

// TestGoTo moves the listing to an instruction by number or by label.
func TestGoTo(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = bigProgram(1000)
	a.BuildSource()
	a.List.GoTo(" 0x3e8 ") // 1000
	if a.Debug.Cursor != 1000 || !hasPC(a.List.DisasmRows(), 1000) || a.List.GotoErr != "" {
		t.Fatalf("go to 0x3e8: cursor %d, error %q", a.Debug.Cursor, a.List.GotoErr)
	}
	a.List.GoTo("far:")
	if a.Debug.Cursor != 1002 || !hasPC(a.List.DisasmRows(), 1002) {
		t.Fatalf("go to far: cursor %d", a.Debug.Cursor)
	}
	a.List.GoTo("entrypoint")
	if a.Debug.Cursor != 0 || !hasPC(a.List.DisasmRows(), 0) {
		t.Fatalf("go to entrypoint: cursor %d", a.Debug.Cursor)
	}
	for _, bad := range []string{"nowhere", "5000", "-1"} {
		a.List.GoTo(bad)
		if a.Debug.Cursor != 0 || !strings.HasPrefix(a.List.GotoErr, "no instruction or label") {
			t.Errorf("go to %q: cursor %d, error %q", bad, a.Debug.Cursor, a.List.GotoErr)
		}
	}
}

// TestListingRowsAndClicks checks the listing's HTML rows (one element
// each, the paging buttons included, text escaped, the position and
// breakpoints as classes) and the clicks read from their data attributes.
func TestListingRowsAndClicks(t *testing.T) {
	a := NewApp(&fakeHost{})
	if rows := a.List.ListingRows(); rows != nil {
		t.Fatalf("rows without a program: %q", rows)
	}
	a.Source = bigProgram(1000)
	a.BuildSource()
	a.Debug.Reset()
	rows := a.List.ListingRows()
	if len(rows) != ListWindow+1 || !strings.Contains(rows[len(rows)-1], `data-act="later"`) {
		t.Fatalf("%d rows, the last %q", len(rows), rows[len(rows)-1])
	}
	for i, r := range rows {
		if !strings.HasPrefix(r, "<") || strings.Count(r, "<div") != strings.Count(r, "</div>") {
			t.Fatalf("row %d is not one element: %s", i, r)
		}
	}
	first := rows[0]
	for _, want := range []string{`<div class="lbl">entrypoint:</div>`, `class="dl cur" id="pc-0"`, `data-act="call" data-pc="0">call 0x63852afc</span><span class="note">→ far</span>`, `>#29</span>`} {
		if !strings.Contains(first, want) {
			t.Errorf("the first row lacks %s: %s", want, first)
		}
	}
	a.ListAct("bp", "2")
	if !a.Debug.Breakpoints[2] || !strings.Contains(a.List.ListingRows()[2], `class="dl bp" id="pc-2"`) {
		t.Errorf("a click on pc 2's gutter set no breakpoint: %s", a.List.ListingRows()[2])
	}
	a.ListAct("cursor", "5")
	if a.Debug.Cursor != 5 {
		t.Errorf("cursor %d after a click on pc 5", a.Debug.Cursor)
	}
	a.ListAct("call", "0")
	if a.View != "hash" || a.Hash.Mode != "pc" || a.Hash.Input != "0" {
		t.Errorf("a click on the call: view %s, hash input %q", a.View, a.Hash.Input)
	}
	a.View = "debug"
	a.List.ListingRows() // the listing opens anew, on the position
	a.ListAct("later", "")
	if a.List.Above() != ListWindow/2 {
		t.Errorf("later: %d above", a.List.Above())
	}
	for _, junk := range [][2]string{{"bp", "x"}, {"bp", "99999"}, {"jump", "-1"}, {"nonsense", "1"}} {
		a.ListAct(junk[0], junk[1])
	}
	if a.Err != "" || len(a.Debug.Breakpoints) != 1 {
		t.Errorf("junk clicks: err %q, breakpoints %v", a.Err, a.Debug.Breakpoints)
	}

	a.Source = "entrypoint:\n  ja done\ndone:\n  exit\n"
	a.BuildSource()
	a.ListAct("jump", "0")
	if a.Debug.Cursor != 1 {
		t.Errorf("following the jump put the cursor on %d", a.Debug.Cursor)
	}
}
