package cfg

import (
	"sort"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// splitBlocks cuts the instruction list at the leaders (sorted slots).
func (g *Graph) splitBlocks(leaders []int) {
	next := 0 // index into leaders of the next leader after the current block's start
	for i, l := range g.Insns {
		for next < len(leaders) && leaders[next] < l.Ptr {
			next++
		}
		if i == 0 || (next < len(leaders) && leaders[next] == l.Ptr) {
			g.Blocks = append(g.Blocks, Block{ID: len(g.Blocks), Start: l.Ptr})
		}
		b := &g.Blocks[len(g.Blocks)-1]
		b.Lines = append(b.Lines, i)
		b.End = l.Ptr + l.Slots
	}
	if n := len(g.Blocks); n > 0 && g.Blocks[n-1].End > g.Slots {
		g.Blocks[n-1].End = g.Slots
	}
}

// assignFunctions gives every block to the function with the greatest
// start at or before it.
func (g *Graph) assignFunctions(fns map[int]string) {
	for pc, name := range fns {
		g.Functions = append(g.Functions, Function{Start: pc, Name: name})
	}
	sort.Slice(g.Functions, func(i, j int) bool { return g.Functions[i].Start < g.Functions[j].Start })
	f := 0
	for i := range g.Blocks {
		b := &g.Blocks[i]
		for f+1 < len(g.Functions) && g.Functions[f+1].Start <= b.Start {
			f++
		}
		b.Function = f
		g.Functions[f].Blocks = append(g.Functions[f].Blocks, b.ID)
	}
}

// BlockAt returns the ID of the block containing slot pc, or -1.
func (g *Graph) BlockAt(pc int) int {
	i := sort.Search(len(g.Blocks), func(i int) bool { return g.Blocks[i].End > pc })
	if i < len(g.Blocks) && g.Blocks[i].Start <= pc {
		return i
	}
	return -1
}

// blockStarting returns the ID of the block starting at slot pc, or -1.
func (g *Graph) blockStarting(pc int) int {
	if id := g.BlockAt(pc); id >= 0 && g.Blocks[id].Start == pc {
		return id
	}
	return -1
}

// linkBlocks adds the edges leaving each block.
func (g *Graph) linkBlocks(starts map[int]int) {
	for _, b := range g.Blocks {
		last := g.Insns[b.Lines[len(b.Lines)-1]]
		switch {
		case last.Opc == ebpf.Exit:
		case last.Opc == ebpf.Ja:
			g.addEdge(b.ID, ebpf.JumpTarget(last.Ptr, last.Insn.Off), Jump)
		case endsBlock(last):
			g.addEdge(b.ID, ebpf.JumpTarget(last.Ptr, last.Insn.Off), Taken)
			g.addEdge(b.ID, b.End, FallThrough)
		default:
			g.addEdge(b.ID, b.End, FallThrough)
		}
	}
	sort.SliceStable(g.Edges, func(i, j int) bool {
		if g.Edges[i].From != g.Edges[j].From {
			return g.Edges[i].From < g.Edges[j].From
		}
		return g.Edges[i].Kind < g.Edges[j].Kind
	})
}

func (g *Graph) addEdge(from, target int, kind EdgeKind) {
	g.Edges = append(g.Edges, Edge{From: from, To: g.blockStarting(target), Kind: kind, Target: target})
}

// collectCalls records every call and callx with what is known about it.
func (g *Graph) collectCalls(opts Options) {
	names := map[int]string{}
	for _, f := range g.Functions {
		names[f.Start] = f.Name
	}
	for _, l := range g.Insns {
		if l.Opc != ebpf.CallImm && l.Opc != ebpf.CallReg {
			continue
		}
		c := Call{PC: l.Ptr, Block: g.BlockAt(l.Ptr), Imm: l.Insn.Imm, Reg: l.Opc == ebpf.CallReg, Target: -1}
		if !c.Reg {
			hash := uint32(l.Insn.Imm)
			if name, ok := opts.Syscalls[hash]; ok {
				c.Name = name
			} else if pc, ok := opts.CallTargets[hash]; ok {
				c.Target = pc
				c.Name = names[pc]
			}
		}
		g.Calls = append(g.Calls, c)
	}
}
