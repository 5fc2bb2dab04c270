package ui

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// flowGraph returns the control-flow graph of the program, made once.
func (p *Loaded) flowGraph() *cfg.Graph {
	if p == nil || p.Prog == nil {
		return nil
	}
	if p.graph == nil {
		prog := p.Prog
		p.graph = cfg.Build(prog.Text, cfg.Options{Entry: prog.Entrypoint, Functions: p.functionNames(), CallTargets: prog.Calls, Syscalls: syscallNames()})
	}
	return p.graph
}

// cfgFunction is the function the graph shows: the one holding d's
// cursor, else the one holding the debugger's pc, else the entrypoint's.
func (p *Loaded) cfgFunction(d *DebugState) (*cfg.Graph, int) {
	g := p.flowGraph()
	if g == nil || len(g.Blocks) == 0 {
		return g, -1
	}
	pc := p.Prog.Entrypoint
	if pos := d.curPC(); pos >= 0 {
		pc = pos
	}
	if d.Cursor >= 0 {
		pc = d.Cursor
	}
	b := g.BlockAt(pc)
	if b < 0 {
		b = max(g.BlockAt(p.Prog.Entrypoint), 0)
	}
	return g, g.Blocks[b].Function
}

// CFGTitle names the function drawn, demangled.
func (p *Loaded) CFGTitle(d *DebugState) string {
	g, f := p.cfgFunction(d)
	if f < 0 {
		return "Control-flow graph"
	}
	return "Control-flow graph of " + symname.Display(g.Functions[f].Name)
}

// cfgMaxBlocks is how many blocks the graph draws: a function of thousands
// of blocks made an SVG of megabytes, rebuilt on every render.
const cfgMaxBlocks = 60

// cfgBlocks is the window of the current function's blocks the graph
// draws: all of them, or cfgMaxBlocks around the block holding the cursor
// (else the debugger's position). total is the function's block count.
func (p *Loaded) cfgBlocks(d *DebugState) (g *cfg.Graph, blocks []int, first, total int) {
	g, f := p.cfgFunction(d)
	if f < 0 {
		return g, nil, 0, 0
	}
	all := g.Functions[f].Blocks
	if len(all) <= cfgMaxBlocks {
		return g, all, 0, len(all)
	}
	pc := d.Cursor
	if pc < 0 {
		pc = d.curPC()
	}
	at := 0
	if b := g.BlockAt(pc); b >= 0 {
		for i, id := range all {
			if id == b {
				at = i
				break
			}
		}
	}
	first = max(0, min(at-cfgMaxBlocks/3, len(all)-cfgMaxBlocks))
	return g, all[first : first+cfgMaxBlocks], first, len(all)
}

// CFGNote says which blocks of a long function the graph shows.
func (p *Loaded) CFGNote(d *DebugState) string {
	_, blocks, first, total := p.cfgBlocks(d)
	if len(blocks) == total {
		return ""
	}
	return fmt.Sprintf("Blocks %d–%d of %d, around the cursor or the debugger's position; edges to blocks not drawn are left out.", first+1, first+len(blocks), total)
}

// CFG draws the current function's blocks top to bottom in program order:
// fall-through edges go straight down, jumps forward curve on the right,
// jumps back (loops) on the left. The block holding the debugger's pc is
// highlighted, and each block says how often d executed it.
func (p *Loaded) CFG(d *DebugState) vugu.HTML {
	g, blocks, _, _ := p.cfgBlocks(d)
	if len(blocks) == 0 {
		return ""
	}
	const w, lineH, pad, gap, x0 = 340.0, 15.0, 6.0, 26.0, 70.0
	y := map[int]float64{}
	h := map[int]float64{}
	cur := -1
	if pos := d.curPC(); pos >= 0 {
		cur = g.BlockAt(pos)
	}
	top := 20.0 // room for a block's units above it
	for _, id := range blocks {
		n := min(len(g.Blocks[id].Lines), 12)
		y[id], h[id] = top, float64(n)*lineH+2*pad+4
		top += h[id] + gap
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="cfg" viewBox="0 0 %v %v" width="%v" height="%v">`, w+2*x0, top, w+2*x0, top)
	sb.WriteString(`<defs><marker id="ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#5b6576"/></marker></defs>`)
	lane := 0
	for _, e := range g.Edges {
		yf, okF := y[e.From]
		yt, okT := y[e.To]
		if !okF || !okT {
			continue
		}
		y1 := yf + h[e.From]
		cls := "e-" + e.Kind.String()
		if e.Kind == cfg.FallThrough && yt > yf {
			fmt.Fprintf(&sb, `<path d="M%v %v L%v %v" class="%s" marker-end="url(#ah)"/>`, x0+w/2, y1, x0+w/2, yt, cls)
			continue
		}
		lane++
		off := 12.0 + float64(lane%4)*12
		if yt > yf { // forward: right side
			xr := x0 + w + off
			fmt.Fprintf(&sb, `<path d="M%v %v C%v %v %v %v %v %v" class="%s" fill="none" marker-end="url(#ah)"/>`, x0+w, y1-8, xr, y1-8, xr, yt+10, x0+w, yt+10, cls)
		} else { // backward: left side
			xl := x0 - off
			fmt.Fprintf(&sb, `<path d="M%v %v C%v %v %v %v %v %v" class="%s" fill="none" marker-end="url(#ah)"/>`, x0, y1-8, xl, y1-8, xl, yt+10, x0, yt+10, cls)
		}
	}
	units, most := d.Prof.blockUnits(g)
	for _, id := range blocks {
		b := g.Blocks[id]
		cls, label := "blk", ""
		if id == cur {
			cls += " cur"
		}
		if n := d.blockCount(b.Start); n > 0 {
			label = "×" + strconv.FormatUint(n, 10)
		}
		if u := units[id]; u > 0 {
			// The run's profile: the costlier, the darker (heat h0-h4),
			// the units above the block's right edge.
			cls += " h" + strconv.FormatUint(u*5/(most+1), 10)
			fmt.Fprintf(&sb, `<text x="%v" y="%v" class="bu" text-anchor="end">%d units</text>`, x0+w-6, y[id]-5, u)
		}
		fmt.Fprintf(&sb, `<rect x="%v" y="%v" width="%v" height="%v" rx="5" class="%s"/>`, x0, y[id], w, h[id], cls)
		if label != "" {
			fmt.Fprintf(&sb, `<text x="%v" y="%v" class="bc" text-anchor="end">%s</text>`, x0+w-6, y[id]+pad+lineH-2, label)
		}
		for i, li := range b.Lines {
			if i == 12 {
				break
			}
			l := g.Insns[li]
			text := fmt.Sprintf("%4d #%-5d %s", l.Ptr, ebpf.InsnNumber(l.Ptr), l.Desc)
			if i == 11 && len(b.Lines) > 12 {
				text = fmt.Sprintf("     … %d more", len(b.Lines)-11)
			}
			fmt.Fprintf(&sb, `<text x="%v" y="%v" class="bt">%s</text>`, x0+pad, y[id]+pad+float64(i+1)*lineH-2, html.EscapeString(text))
		}
	}
	sb.WriteString(`</svg>`)
	return vugu.HTML(sb.String())
}

// blockCount is how many times the debugger executed the instruction at pc
// (a block's first instruction runs as often as the block).
func (d *DebugState) blockCount(pc int) uint64 {
	if pc >= 0 && pc < len(d.counts) {
		return d.counts[pc]
	}
	return 0
}

// curPC is the instruction the debugger stands on: -1 before a run and
// after a clean exit, the failing instruction after an error.
func (d *DebugState) curPC() int {
	m := d.vm
	if m == nil || (m.Done() && m.Result().Err == nil) {
		return -1
	}
	return m.PC()
}
