package ui

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/profile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ProfileState is "Where the compute units went" beside a finished run's
// results: core/profile's units per function (a table) and per call
// stack (an icicle chart), with the folded stacks and the dot graph to
// download.
//
// While the section is open, the Recorder is the debugger's engine: each
// instruction the debugger steps (stepOne) it steps through the Recorder,
// from the run's first instruction (the Recorder is made at that step, so
// that opening the debugger does not wait for the program's graph, which
// names the functions), so the profile is ready the moment
// the run ends, whichever way it was run (the Instruction panel's run,
// step, run to cursor, back, which replays the run from the start). That
// is the run itself, recorded, rather than a second pass after it: no
// second run to make, wait for and keep from going stale, and no second
// copy of the run's input and heap. Recording costs the run some of its
// speed; with the section closed runs are made as before, without a
// Recorder, and a run that was not recorded is recorded when it is made
// again. The work is bounded by the run itself (its compute budget), and
// the Recorder's memory is 29 bytes per instruction slot, at most 15 MB
// for the largest file the page loads.
type ProfileState struct {
	hub   hub
	debug *DebugState

	// Closed is set when the visitor closed the section: runs are not
	// recorded until it is opened again.
	Closed bool
	// All shows every function in the table, not only the costliest.
	All bool

	gen   int               // the run (DebugState.gen) rec records
	rec   *profile.Recorder // nil when the run is not recorded
	graph *cfg.Graph        // the graph rec names functions by
	prof  *profile.Profile  // the run's profile, once it has ended
	err   string

	html vugu.HTML // the section as last drawn, and what it was drawn from
	key  profKey
	_    [0]func()
}

const (
	// profileTopRows is how many functions the table shows until "show all".
	profileTopRows = 50
	// icicleMinShare is the narrowest box the chart draws, in thousandths of
	// the total; narrower boxes and what they called are counted instead.
	icicleMinShare = 5
	// icicleMinLabel is the narrowest box named in the chart, in
	// thousandths of the total (its title names it still).
	icicleMinLabel = 30
	// icicleMaxBoxes bounds the boxes drawn whatever their widths.
	icicleMaxBoxes = 800
	// icicleRow is the height of a row of the chart, in pixels.
	icicleRow = 22
)

// newRun notes the debugger's new VM, at the entrypoint: its run is
// recorded if the section is open at its first step.
func (s *ProfileState) newRun() {
	s.gen, s.rec, s.prof, s.err = s.debug.gen, nil, nil, ""
}

// record makes the Recorder of m's run, named by the program's graph.
func (s *ProfileState) record(m *vm.VM) {
	g := s.hub.program().flowGraph()
	rec, err := profile.NewRecorder(m, g)
	if err != nil { // the graph is not of the built program: name by the call map
		g = nil
		rec, err = profile.NewRecorder(m, nil)
	}
	if err != nil {
		s.err = "no profile: " + err.Error()
		return
	}
	if g == nil {
		p := m.Executable().Program
		g = cfg.Build(m.Text(), cfg.Options{Entry: p.Entrypoint, CallTargets: p.Calls})
	}
	s.rec, s.graph = rec, g
}

// start begins recording m's run when the section is open and the run is
// at its first instruction.
func (s *ProfileState) start(m *vm.VM) {
	if s.gen == s.debug.gen && !s.Closed && s.rec == nil && s.err == "" && m.Executed() == 0 {
		s.record(m)
	}
}

// step executes the next instruction of the debugger's VM m, through the
// Recorder when the run is recorded: while the section is open, from the
// run's first instruction (a run begun with the section closed is not).
func (s *ProfileState) step(m *vm.VM) {
	if s.gen == s.debug.gen && !s.Closed {
		s.start(m)
		if s.rec != nil {
			s.rec.Step(1)
			return
		}
	}
	m.Step(1)
}

// runEnded takes the profile of the run that just ended.
func (s *ProfileState) runEnded() {
	if s.rec != nil && s.gen == s.debug.gen {
		s.prof, s.rec = s.rec.Profile(), nil
	}
}

// click runs a button of the section; false when it is not one.
func (s *ProfileState) click(verb, arg string) bool {
	switch verb {
	case "prof-toggle":
		s.Closed = !s.Closed
		s.rec = nil // closing stops recording; opening records the next run from its start
	case "prof-all":
		s.All = !s.All
	case "prof-go":
		if pc, err := strconv.Atoi(arg); err == nil {
			s.goTo(pc)
		}
	case "prof-folded":
		if p := s.current(); p != nil {
			var b bytes.Buffer
			p.Folded(&b)
			s.hub.host().Download("profile.folded", b.Bytes())
		}
	case "prof-dot":
		if p := s.current(); p != nil {
			s.hub.host().Download("profile.dot", []byte(p.Dot(s.graph, strings.TrimSuffix(s.hub.program().Name, ".so"))))
		}
	default:
		return false
	}
	return true
}

// goTo shows the function starting at pc in the debugger's listing, with
// the cursor on its first instruction; the run stays as it ended.
func (s *ProfileState) goTo(pc int) {
	p := s.hub.program()
	if p == nil || p.Prog == nil || pc < 0 || pc >= len(p.Prog.Text)/ebpf.InsnSize {
		return
	}
	s.debug.Cursor = pc
	if s.hub.screen().View != "debug" {
		s.hub.Show("debug")
	}
	s.hub.screen().scrollTo("pc-"+strconv.Itoa(pc), true)
}

// ended reports whether the debugger's run has ended.
func (s *ProfileState) ended() bool {
	d := s.debug
	return d.vm != nil && d.vm.Done() && d.result != nil
}

// current is the profile of the run that ended, nil when there is none.
func (s *ProfileState) current() *profile.Profile {
	if !s.ended() || s.gen != s.debug.gen {
		return nil
	}
	return s.prof
}

// blockUnits is, per block of g, the units the run that ended was charged
// there, and the most any block was; all zero without a profile of a run
// recorded with g.
func (s *ProfileState) blockUnits(g *cfg.Graph) (units []uint64, most uint64) {
	units = make([]uint64, len(g.Blocks))
	if p := s.current(); p != nil && s.graph == g {
		for _, b := range p.Blocks {
			units[b.ID] = b.Units
			most = max(most, b.Units)
		}
	}
	return units, most
}

// profView is what the section shows.
type profView struct {
	Closed, Ready, Rerun, Bad bool
	Title, Err, Noun          string
	Total, Mismatch           string
	Boxes                     []icBox
	Height                    int
	Hidden                    string
	Rows                      []profRow
	More                      string
	_                         [0]func()
}

// profRow is a function of the table.
type profRow struct {
	Name, Raw, Calls, Self, Incl, Share, Bar string
	Go                                       int
	Sys                                      bool
	_                                        [0]func()
}

// icBox is a box of the icicle chart: left and width in percent of the
// chart, its row's top in pixels, and the function's first instruction
// (its caller's for a syscall).
type icBox struct {
	Class, Left, Width, Colour, Title, Name string
	Top, Go                                 int
	_                                       [0]func()
}

// profKey is what the section was drawn from.
type profKey struct {
	prof         *profile.Profile
	gen          int
	closed, all  bool
	ended, taken bool
	err          string
}

// HTML draws the section for a run that ended, "" otherwise. It is made
// again only when what it shows changed.
func (s *ProfileState) HTML() vugu.HTML {
	d := s.debug
	k := profKey{s.prof, d.gen, s.Closed, s.All, s.ended(), s.gen == d.gen, s.err}
	if !k.ended {
		return ""
	}
	if k == s.key && s.html != "" {
		return s.html
	}
	v := profView{Closed: s.Closed, Title: "Where the compute units went", Noun: "units"}
	if !d.Runtime() {
		v.Title, v.Noun = "Where the instructions went", "instructions"
	}
	switch p := s.current(); {
	case s.Closed:
	case s.err != "":
		v.Err = s.err
	case p == nil:
		v.Rerun = true
	default:
		s.view(&v, p)
	}
	s.key, s.html = k, profTmpl.render(v)
	return s.html
}

// view fills v from p: the totals against the run's, the chart and the
// table.
func (s *ProfileState) view(v *profView, p *profile.Profile) {
	d := s.debug
	v.Ready = true
	var sys uint64
	for _, f := range p.Functions {
		if f.Syscall {
			sys += f.Self
		}
	}
	reported := d.result.InstructionCount
	if o := d.result.Outcome; o != nil {
		reported = o.ComputeUnitsConsumed
	}
	v.Total = count(p.Units, "instruction")
	if d.Runtime() || sys > 0 {
		v.Total = thousands(p.Units) + " units: " + thousands(p.Units-sys) + " instructions + " + thousands(sys) + " in syscalls"
	}
	v.Total += ", all the run consumed"
	if p.Units != reported {
		v.Bad, v.Total = true, thousands(p.Units)+" recorded, but the run reported "+thousands(reported)
	}
	v.Boxes, v.Height, v.Hidden = icicle(p, v.Noun)
	top := p.Functions
	if len(top) > profileTopRows {
		v.More = "show the costliest " + strconv.Itoa(profileTopRows)
		if !s.All {
			top = top[:profileTopRows]
			v.More = "show all " + strconv.Itoa(len(p.Functions)) + " functions"
		}
	}
	for _, f := range top {
		r := profRow{Name: shownName(f), Raw: f.Name + " · pc " + strconv.Itoa(f.Start) + "; go to it", Go: f.Start, Sys: f.Syscall,
			Calls: thousands(f.Calls), Self: thousands(f.Self), Incl: thousands(f.Inclusive), Share: cuShare(f.Inclusive, p.Units),
			Bar: cuPct(f.Inclusive, p.Units)}
		if f.Syscall {
			r.Raw = "a syscall: its cost, charged where it was called"
		}
		v.Rows = append(v.Rows, r)
	}
}

// shownName is a function's name as the page shows it, demangled.
func shownName(f profile.Function) string {
	if f.Demangled != "" {
		return f.Demangled
	}
	return f.Name
}

// cuShare is part of total in percent, to one decimal.
func cuShare(part, total uint64) string {
	return strconv.FormatFloat(float64(part)*100/float64(max(total, 1)), 'f', 1, 64) + " %"
}

// cuPct is part's share of total as a CSS percentage.
func cuPct(part, total uint64) string {
	return strconv.FormatFloat(float64(part)*100/float64(max(total, 1)), 'f', 3, 64) + "%"
}

// icNode is a box of the icicle chart: a function under its callers, with
// the units of that call stack and of the stacks under it.
type icNode struct {
	fn    int
	units uint64
	kids  []int
}

// icicle lays p's call stacks out as an icicle chart: a row per depth,
// the outermost frame on top, each box as wide as its units' share and
// beneath its caller, the costliest first. Boxes narrower than
// icicleMinShare thousandths, and what they called, are counted instead
// of drawn, and so are those beyond icicleMaxBoxes. It returns the boxes,
// the chart's height and what it left out.
func icicle(p *profile.Profile, noun string) ([]icBox, int, string) {
	nodes := []icNode{{fn: -1}} // a root above the outermost frames
	for _, st := range p.Stacks {
		at := 0
		nodes[0].units += st.Units
		for _, f := range st.Frames {
			next := -1
			for _, k := range nodes[at].kids {
				if nodes[k].fn == f {
					next = k
				}
			}
			if next < 0 {
				next = len(nodes)
				nodes = append(nodes, icNode{fn: f})
				nodes[at].kids = append(nodes[at].kids, next)
			}
			nodes[next].units += st.Units
			at = next
		}
	}
	total := nodes[0].units
	var boxes []icBox
	skipped, depth := 0, 0
	var walk func(n, row int, left uint64, caller int)
	walk = func(n, row int, left uint64, caller int) {
		kids := nodes[n].kids
		// The costliest first (insertion sort: a function calls few).
		for i := 1; i < len(kids); i++ {
			for j := i; j > 0 && nodes[kids[j]].units > nodes[kids[j-1]].units; j-- {
				kids[j], kids[j-1] = kids[j-1], kids[j]
			}
		}
		for _, k := range kids {
			c := nodes[k]
			if c.units*1000 < total*icicleMinShare || len(boxes) >= icicleMaxBoxes {
				skipped += subtree(nodes, k)
			} else {
				f := p.Functions[c.fn]
				b := icBox{Class: "ic-b", Left: cuPct(left, total), Width: cuPct(c.units, total), Top: row * icicleRow, Go: f.Start,
					Colour: boxColour(f.Name)}
				b.Title = shownName(f) + " — " + thousands(c.units) + " " + noun + " (" + cuShare(c.units, total) + ")"
				if c.units*1000 >= total*icicleMinLabel {
					b.Name = shownName(f) // narrower, a name would be an ellipsis
				}
				if f.Syscall {
					b.Class, b.Go, b.Colour = "ic-b sys", caller, "hsl(212,70%,80%)"
				}
				boxes = append(boxes, b)
				depth = max(depth, row+1)
				walk(k, row+1, left, b.Go)
			}
			left += c.units
		}
	}
	walk(0, 0, 0, -1)
	hidden := ""
	if skipped > 0 {
		hidden = boxCount(skipped) + " narrower than 0.5 % not drawn (the table lists every function)"
		if len(boxes) >= icicleMaxBoxes {
			hidden = boxCount(skipped) + " not drawn: the chart draws at most " + strconv.Itoa(icicleMaxBoxes)
		}
	}
	return boxes, depth * icicleRow, hidden
}

// boxCount is n boxes in words.
func boxCount(n int) string {
	if n == 1 {
		return "1 box"
	}
	return strconv.Itoa(n) + " boxes"
}

// subtree counts the boxes of n and under it.
func subtree(nodes []icNode, n int) int {
	c := 1
	for _, k := range nodes[n].kids {
		c += subtree(nodes, k)
	}
	return c
}

// boxColour is a box's fill: a warm colour from its function's name, as
// flame graphs have them, so that a function looks the same in every row.
func boxColour(name string) string {
	x := ebpf.HashSymbolName([]byte(name))
	return "hsl(" + strconv.Itoa(int(x%40)+8) + ",85%," + strconv.Itoa(int(x/40%14)+68) + "%)"
}

var profTmpl = newTmpl(`<section class="cu-prof" id="cu-profile"><h3><button class="plain small" id="cu-toggle" name="do:prof-toggle" title="{?Closed}record runs and show where their units go{/}{!Closed}stop recording runs{/}">{?Closed}▸{/}{!Closed}▾{/}</button> {Title}</h3>
{?Err}<p class="note" id="cu-err">{Err}</p>{/}
{?Rerun}<p class="note" id="cu-rerun">This run was made with the section closed, unrecorded. <button class="plain small" name="do:run">run it again, recorded</button></p>{/}
{?Ready}<div class="cu-total{?Bad} bad{/}" id="cu-total">{Total}</div>
<div class="icicle" id="cu-icicle" style="height:{Height}px">{*Boxes}<button class="{Class}" name="do:prof-go:{Go}" style="left:{Left};width:{Width};top:{Top}px;background:{Colour}" title="{Title}">{Name}</button>{/}</div>
{?Hidden}<p class="note small" id="cu-hidden">{Hidden}</p>{/}
<div class="cu-fns-wrap"><table class="cu-fns" id="cu-fns"><thead><tr><th>function</th><th>calls</th><th>self</th><th>inclusive</th><th>share</th></tr></thead><tbody>
{*Rows}<tr{?Sys} class="sys"{/}><td class="fn">{?Sys}<span title="{Raw}">{Name}</span>{/}{!Sys}<button class="link" name="do:prof-go:{Go}" title="{Raw}">{Name}</button>{/}</td><td>{Calls}</td><td>{Self}</td><td>{Incl}</td><td class="sh"><span class="n">{Share}</span><span class="cu-bar"><span class="fill" style="width:{Bar}"></span></span></td></tr>{/}
</tbody></table></div>{?More}<button class="plain small" id="cu-all" name="do:prof-all">{More}</button>{/}
<div class="cu-dl"><button class="plain small" id="cu-folded" name="do:prof-folded" title="folded stacks, for speedscope or flamegraph.pl">download profile.folded</button>
<button class="plain small" id="cu-dot" name="do:prof-dot" title="the control-flow graph, each block coloured by its units (Graphviz)">download profile.dot</button>
<span class="note">{Noun} per call stack, as rbpf run --cu-profile writes them</span></div>{/}</section>`)
