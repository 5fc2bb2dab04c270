package ui

import (
	"strings"
	"testing"
)

// TestStringRegions draws the views that are template strings (the
// templates read fields by reflection, so a wrong field type shows only
// when they are drawn) and checks what the browser tests find in them.
func TestStringRegions(t *testing.T) {
	a := NewApp(&fakeHost{})
	check := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", what, w, got)
			}
		}
	}
	check("load cards", string(loadCardsHTML()), `id="example-loop" name="do:example:loop"><b>Long loop</b>`, `id="file-pick"`, `name="do:tour"`)
	a.Act("do:example:relative_calls")
	if a.Prog == nil || a.Prog.Err != nil {
		t.Fatalf("the example did not open: %v", a.Prog)
	}
	check("inspect heading", string(a.Prog.HeadHTML()), `<div id="load-status" class="status ok">loaded: `, `name="do:download-elf"`)
	check("hash", string(a.Hash.OutHTML()), `id="hash-result" class="big">0x`, `<tr class="first"><th class="grp">finalization</th>`)
	a.Speed.Checked = true
	check("speed", string(a.Speed.HTML()), `id="speed-noserver"`, `name="do:speed-run"`)
	a.Speed.Rows = []SpeedRow{{Engine: "interpreter", Where: "browser", Result: "r0 = 1"}}
	a.Speed.ErrRef = &InsnRef{PC: 8, Said: "instruction #37"}
	check("speed rows", string(a.Speed.HTML()), `<td>interpreter</td><td>browser</td>`, `name="do:insn:8">→ pc 8 (insn #37)</button>`)
	a.Debug.Cursor = a.Prog.Prog.Entrypoint
	check("machine code", string(a.Prog.JITSideHTML(&a.Debug)), `id="jit-title"`, `<td class="off">`)
	check("graph", string(a.Prog.CFGHTML(&a.Debug)), `<h3>Control-flow graph of `, `<div id="cfg"><svg`)
	tbl := limitRows(&DataTable{ID: "t", Title: "Symbols", Head: []string{"name", "value"}}, map[string]bool{}, false)
	for range maxTableRows + 2 {
		tbl.Rows = append(tbl.Rows, Row{Cells: []string{"a<b", "1"}, Title: "raw"})
	}
	tbl = limitRows(tbl, map[string]bool{}, false)
	check("table", string(tbl.HTML()), `<h3>Symbols</h3>`, `<th>name</th><th>value</th>`, `<tr title="raw"><td>a&lt;b</td><td>1</td></tr>`,
		`name="do:more">show the other 2 rows</button>`)
	tbl.Click("do:more")
}
