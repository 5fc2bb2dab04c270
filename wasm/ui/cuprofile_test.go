package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// profiledSource calls helper twice, which logs (a syscall) and calls
// leaf, then calls leaf itself.
const profiledSource = `.rodata msg "hi there"
entrypoint:
    mov64 r6, r1
    call helper
    call helper
    call leaf
    mov64 r0, 0
    exit

helper:
    lddw r1, msg
    mov64 r2, 8
    call sol_log_
    call leaf
    exit

leaf:
    mov64 r0, 1
    add64 r0, 2
    exit
`

// profiledApp runs profiledSource in the Instruction panel.
func profiledApp(t *testing.T) (*App, *fakeHost) {
	t.Helper()
	h := &fakeHost{}
	a := NewApp(h)
	a.LoadFile("calls.so", buildFile(t, profiledSource))
	if a.Prog == nil || a.Prog.Err != nil || a.Debug.Mode != modeRuntime {
		t.Fatalf("load: %v, mode %q", a.Prog, a.Debug.Mode)
	}
	a.Show("instruction")
	a.Act("do:run")
	if a.Debug.Err != "" || a.Debug.result == nil || a.Debug.result.Outcome == nil {
		t.Fatalf("run: Err %q, status %q", a.Debug.Err, a.Debug.Status)
	}
	return a, h
}

// boxRE reads the chart's boxes: the go-to command, the width and the
// title.
var boxRE = regexp.MustCompile(`<button class="ic-b[^"]*" name="(do:prof-go:-?\d+)" style="left:([\d.]+)%;width:([\d.]+)%;top:(\d+)px;[^"]*" title="([^"]*)">`)

// TestProfileSection: after a runtime run the page shows where its
// compute units went, and every total is the run's.
func TestProfileSection(t *testing.T) {
	a, _ := profiledApp(t)
	units := a.Debug.result.Outcome.ComputeUnitsConsumed
	p := a.Debug.Prof.current()
	if p == nil {
		t.Fatalf("no profile; section %q", a.Debug.Prof.HTML())
	}
	if p.Units != units {
		t.Fatalf("profile total %d, the run consumed %d", p.Units, units)
	}
	var self, sys uint64
	byName := map[string]uint64{}
	for _, f := range p.Functions {
		self += f.Self
		byName[f.Name] = f.Calls
		if f.Syscall {
			sys += f.Self
		}
	}
	if self != units || sys == 0 {
		t.Errorf("the functions' self units add up to %d (syscalls %d), the run consumed %d", self, sys, units)
	}
	if byName["helper"] != 2 || byName["leaf"] != 3 || byName["sol_log_"] != 2 || byName["entrypoint"] != 1 {
		t.Errorf("calls %v", byName)
	}

	out := string(a.Debug.OutHTML())
	want := thousands(units) + " units: " + thousands(units-sys) + " instructions + " + thousands(sys) + " in syscalls, all the run consumed"
	for _, s := range []string{`id="cu-profile"`, "Where the compute units went", want, `<div class="run-out">`, "download profile.folded"} {
		if !strings.Contains(out, s) {
			t.Errorf("the panel lacks %q:\n%s", s, out)
		}
	}
	// The table: a row per function, the entrypoint first with every
	// unit, helper's name a link to it.
	rows := regexp.MustCompile(`<tr(?: class="sys")?><td class="fn">.*?</tr>`).FindAllString(out, -1)
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4:\n%s", len(rows), out)
	}
	if !strings.Contains(rows[0], ">entrypoint<") || !strings.Contains(rows[0], "<td>"+thousands(units)+"</td><td class=\"sh\">") ||
		!strings.Contains(rows[0], "100.0 %") {
		t.Errorf("first row %s", rows[0])
	}
	// The chart: the entrypoint's box spans it, and the boxes of each row
	// fit under the one above.
	boxes := boxRE.FindAllStringSubmatch(out, -1)
	if len(boxes) != 5 { // entrypoint; helper, leaf; sol_log_, leaf
		t.Fatalf("%d boxes, want 5:\n%s", len(boxes), out)
	}
	if boxes[0][3] != "100.000" || boxes[0][4] != "0" || !strings.HasPrefix(boxes[0][5], "entrypoint — "+thousands(units)+" units (100.0 %)") {
		t.Errorf("root box %q", boxes[0][0])
	}
	var row1 float64
	for _, b := range boxes {
		if b[4] == strconv.Itoa(icicleRow) {
			w, _ := strconv.ParseFloat(b[3], 64)
			row1 += w
		}
	}
	if calls := p.Functions[0].Inclusive - p.Functions[0].Self; row1 < 99.9*float64(calls)/float64(units) || row1 > 100.1*float64(calls)/float64(units) {
		t.Errorf("the second row spans %.3f %%, the entrypoint's callees cost %d of %d", row1, calls, units)
	}

	// Clicking helper's box goes to helper in the debugger.
	var helper string
	for _, b := range boxes {
		if strings.HasPrefix(b[5], "helper — ") {
			helper = b[1]
		}
	}
	a.Act(helper)
	start := -1
	for _, f := range p.Functions {
		if f.Name == "helper" {
			start = f.Start
		}
	}
	if a.View != "debug" || a.Debug.Cursor != start || a.ScrollTo != "pc-"+strconv.Itoa(start) {
		t.Errorf("after clicking helper's box: view %q, cursor %d, scroll to %q; helper starts at %d", a.View, a.Debug.Cursor, a.ScrollTo, start)
	}
	// The graph of the function under the cursor (helper) is coloured by
	// the units of its blocks.
	if g := string(a.Prog.CFG(&a.Debug)); !regexp.MustCompile(`class="bu" text-anchor="end">\d+ units</text><rect [^>]*class="blk h4"/><text [^>]*>×2</text>`).MatchString(g) {
		t.Errorf("the graph is not coloured by units:\n%s", g)
	}
	// The debugger shows the same section below the finished run.
	if dbg := string(a.Debug.DebugResultsHTML()); !strings.Contains(dbg, want) {
		t.Errorf("the debugger lacks the profile:\n%s", dbg)
	}
}

// TestProfileDownloads: the folded stacks add up to the run's units.
func TestProfileDownloads(t *testing.T) {
	a, h := profiledApp(t)
	units := a.Debug.result.Outcome.ComputeUnitsConsumed
	a.Act("do:prof-folded")
	a.Act("do:prof-dot")
	if len(h.downloads) != 2 || h.downloads[0].name != "profile.folded" || h.downloads[1].name != "profile.dot" {
		t.Fatalf("downloads %v", h.downloads)
	}
	var sum uint64
	for _, l := range strings.Split(strings.TrimSpace(string(h.downloads[0].data)), "\n") {
		i := strings.LastIndexByte(l, ' ')
		n, err := strconv.ParseUint(l[i+1:], 10, 64)
		if err != nil {
			t.Fatalf("line %q", l)
		}
		sum += n
	}
	if sum != units || !strings.Contains(string(h.downloads[0].data), "entrypoint;helper;sol_log_ ") {
		t.Errorf("folded stacks add up to %d, want %d:\n%s", sum, units, h.downloads[0].data)
	}
	if dot := string(h.downloads[1].data); !strings.HasPrefix(dot, "digraph") || !strings.Contains(dot, "fillcolor") {
		t.Errorf("dot:\n%s", dot)
	}
}

// TestProfileClosed: with the section closed runs are not recorded;
// opened again, it offers to make the run again, recorded.
func TestProfileClosed(t *testing.T) {
	a, _ := profiledApp(t)
	a.Act("do:prof-toggle")
	a.Act("do:run")
	if a.Debug.Prof.rec != nil || a.Debug.Prof.current() != nil {
		t.Fatal("a closed section recorded the run")
	}
	if h := string(a.Debug.Prof.HTML()); !strings.Contains(h, "▸") || strings.Contains(h, "cu-fns") {
		t.Errorf("closed section %s", h)
	}
	a.Act("do:prof-toggle")
	h := string(a.Debug.Prof.HTML())
	if !strings.Contains(h, `id="cu-rerun"`) || !strings.Contains(h, `name="do:run"`) {
		t.Fatalf("opened after an unrecorded run: %s", h)
	}
	a.Act("do:run")
	if a.Debug.Prof.current() == nil {
		t.Fatal("the run made again was not recorded")
	}
	// Before a run ends there is no section.
	a.Debug.FromEntrypoint()
	a.Debug.Step()
	if h := a.Debug.DebugResultsHTML(); h != "" {
		t.Errorf("a run under way shows %s", h)
	}
}

// TestProfileTableBounded: the table shows the costliest functions until
// "show all", and the chart leaves out boxes too narrow to see.
func TestProfileTableBounded(t *testing.T) {
	var src strings.Builder
	src.WriteString("entrypoint:\n")
	for i := range 60 {
		src.WriteString("    call f" + strconv.Itoa(i) + "\n")
	}
	src.WriteString("    mov64 r0, 0\n    exit\n")
	for i := range 60 {
		src.WriteString("f" + strconv.Itoa(i) + ":\n")
		for range i + 1 {
			src.WriteString("    add64 r0, 1\n")
		}
		src.WriteString("    exit\n")
	}
	h := &fakeHost{}
	a := NewApp(h)
	a.LoadFile("many.so", buildFile(t, src.String()))
	a.Debug.RunInstruction()
	out := string(a.Debug.Prof.HTML())
	if n := strings.Count(out, `<td class="fn">`); n != profileTopRows {
		t.Errorf("%d rows, want %d", n, profileTopRows)
	}
	if !strings.Contains(out, "show all 61 functions") || !strings.Contains(out, "narrower than 0.5 % not drawn") {
		t.Errorf("section:\n%s", out)
	}
	a.Act("do:prof-all")
	if n := strings.Count(string(a.Debug.Prof.HTML()), `<td class="fn">`); n != 61 {
		t.Errorf("after show all: %d rows", n)
	}
}

// TestProfileBudgetExceeded: a run the meter stops, in a syscall (12
// units) or at an instruction (20), is profiled to the unit it consumed.
func TestProfileBudgetExceeded(t *testing.T) {
	for _, cu := range []string{"12", "20"} {
		a, _ := profiledApp(t)
		a.Ix.SetField("compute_units", cu)
		a.Act("do:run")
		p := a.Debug.Prof.current()
		if p == nil || a.Debug.result.Outcome.ProgramError == nil {
			t.Fatalf("budget %s: profile %v, status %q", cu, p, a.Debug.Status)
		}
		if got := strconv.FormatUint(p.Units, 10); got != cu || !strings.Contains(string(a.Debug.Prof.HTML()), "all the run consumed") {
			t.Errorf("budget %s: the profile counts %s units", cu, got)
		}
	}
}
