package cfg

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// DotOptions controls Dot.
type DotOptions struct {
	// Name is the graph's name; "cfg" when empty.
	Name string
	// Profile, when not nil, adds execution counts: each instruction shows
	// how often it ran, each block how often it was entered, each edge how
	// often it was followed.
	Profile *Profile
	// Style, when set, decorates each block: a line heading its label and
	// a fill colour. core/profile colours blocks by compute units with it.
	Style func(Block) BlockStyle
}

// BlockStyle decorates one block of a Dot graph; empty fields change
// nothing.
type BlockStyle struct {
	// Heading is a line shown above the block's instructions.
	Heading string
	// Fill is a Graphviz colour ("#fc9272", "red") the box is filled with.
	Fill string
}

// Profile is what a trace says about a run.
type Profile struct {
	// Counts[pc] is how many times slot pc executed.
	Counts []uint64
	// Transitions[[2]int{from, to}] is how many times slot to executed
	// right after slot from.
	Transitions map[[2]int]uint64
}

// ProfileTrace counts the slots of a trace (the pcs executed, in order) in
// a program of the given number of slots; pcs outside it are skipped.
func ProfileTrace(pcs []int, slots int) *Profile {
	p := &Profile{Counts: make([]uint64, slots), Transitions: map[[2]int]uint64{}}
	for i, pc := range pcs {
		if pc >= 0 && pc < slots {
			p.Counts[pc]++
		}
		if i > 0 {
			p.Transitions[[2]int{pcs[i-1], pc}]++
		}
	}
	return p
}

// count returns the execution count of slot pc, if profiled.
func (p *Profile) count(pc int) (uint64, bool) {
	if p == nil || pc < 0 || pc >= len(p.Counts) {
		return 0, false
	}
	return p.Counts[pc], true
}

// Dot renders the graph in Graphviz dot syntax: one cluster per function,
// one box per block listing its instructions (slot numbers + 29, as errors
// report them), solid edges for jumps, dashed ones for fall-through, dotted
// ones from a call site to the function it calls, and a red "outside"
// node for targets outside the program. Clusters are labelled with the
// functions' demangled names (symname.Display); a cluster whose symbol is
// mangled carries the raw name as its tooltip.
func Dot(g *Graph, opts DotOptions) string {
	name := opts.Name
	if name == "" {
		name = "cfg"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", quote(name))
	b.WriteString("  graph [fontname=\"monospace\"];\n")
	b.WriteString("  node [shape=box, fontname=\"monospace\"];\n")
	b.WriteString("  edge [fontname=\"monospace\"];\n")
	for fi, f := range g.Functions {
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s;\n", fi, quote(symname.Display(f.Name)))
		if symname.Demangled(f.Name) != "" {
			fmt.Fprintf(&b, "    tooltip=%s;\n", quote(f.Name))
		}
		for _, id := range f.Blocks {
			var st BlockStyle
			if opts.Style != nil {
				st = opts.Style(g.Blocks[id])
			}
			fill := ""
			if st.Fill != "" {
				fill = ", style=filled, fillcolor=" + quote(st.Fill)
			}
			fmt.Fprintf(&b, "    b%d [label=%s%s];\n", id, blockLabel(g, g.Blocks[id], opts.Profile, st.Heading), fill)
		}
		b.WriteString("  }\n")
	}
	writeEdges(&b, g, opts.Profile)
	b.WriteString("}\n")
	return b.String()
}

// blockLabel lists the block's instructions, left-aligned, under the
// heading if any.
func blockLabel(g *Graph, blk Block, prof *Profile, heading string) string {
	var b strings.Builder
	if heading != "" {
		b.WriteString(escape(heading) + "\\l")
	}
	if c, ok := prof.count(blk.Start); ok {
		fmt.Fprintf(&b, "executed %d\\l", c)
	}
	for _, i := range blk.Lines {
		l := g.Insns[i]
		if c, ok := prof.count(l.Ptr); ok {
			fmt.Fprintf(&b, "%8d  ", c)
		}
		fmt.Fprintf(&b, "%s  %s\\l", asm.SlotNumbers(l.Ptr), escape(l.Desc))
	}
	return "\"" + b.String() + "\""
}

func writeEdges(b *strings.Builder, g *Graph, prof *Profile) {
	outside := false
	for _, e := range g.Edges {
		to := fmt.Sprintf("b%d", e.To)
		if e.To < 0 {
			to, outside = "outside", true
		}
		label := e.Kind.String()
		if prof != nil {
			last := g.Insns[g.Blocks[e.From].Lines[len(g.Blocks[e.From].Lines)-1]].Ptr
			label = fmt.Sprintf("%s %d", label, prof.Transitions[[2]int{last, e.Target}])
		}
		attrs := []string{"label=" + quote(label)}
		if e.Kind == FallThrough {
			attrs = append(attrs, "style=dashed")
		}
		fmt.Fprintf(b, "  b%d -> %s [%s];\n", e.From, to, strings.Join(attrs, ", "))
	}
	for _, c := range g.Calls {
		if to := g.blockStarting(c.Target); c.Target >= 0 && to >= 0 {
			fmt.Fprintf(b, "  b%d -> b%d [style=dotted, label=%s];\n", c.Block, to, quote("call"))
		}
	}
	if outside {
		b.WriteString("  outside [label=\"outside the program\", color=red, fontcolor=red];\n")
	}
}

// escape makes s safe inside a double-quoted dot string.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func quote(s string) string { return "\"" + escape(s) + "\"" }
