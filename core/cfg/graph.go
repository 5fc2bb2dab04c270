package cfg

import (
	"fmt"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Options tells Build what it cannot see in the bytes alone.
type Options struct {
	// Entry is the slot index execution starts at.
	Entry int
	// Functions names function start slots (from ELF symbols, or labels).
	Functions map[int]string
	// CallTargets resolves `call imm` hashes to the slot they jump to (the
	// function registry of an executable).
	CallTargets map[uint32]int
	// Syscalls names the `call imm` hashes of syscalls.
	Syscalls map[uint32]string
}

// EdgeKind is why control goes from one block to another.
type EdgeKind int

const (
	// FallThrough continues with the next instruction.
	FallThrough EdgeKind = iota
	// Taken is a conditional jump whose condition held.
	Taken
	// Jump is an unconditional `ja`.
	Jump
)

// String returns "fallthrough", "taken" or "jump".
func (k EdgeKind) String() string {
	switch k {
	case Taken:
		return "taken"
	case Jump:
		return "jump"
	}
	return "fallthrough"
}

// Graph is the control-flow graph of one program.
type Graph struct {
	// Insns is the disassembled program (asm.DisassembleInsns).
	Insns []asm.Line
	// Slots is the number of instruction slots of the program.
	Slots int
	// Entry is the entrypoint slot given in Options.
	Entry     int
	Functions []Function // ordered by start slot
	Blocks    []Block    // ordered by start slot; a block's ID is its index
	Edges     []Edge     // ordered by source block, then kind
	Calls     []Call     // in program order
}

// Function is a run of blocks from one function start to the next.
type Function struct {
	Start  int    // slot of the first instruction
	Name   string // raw symbol name (Dot demangles it), "entrypoint", or "function_<slot>"
	Blocks []int  // IDs of the blocks it contains
}

// Block is a basic block: instructions that run one after another.
type Block struct {
	ID       int
	Start    int   // first slot
	End      int   // slot after the last instruction
	Lines    []int // indexes into Graph.Insns
	Function int   // index into Graph.Functions
}

// Edge is a possible transfer of control between blocks.
type Edge struct {
	From int // block ID
	// To is the block ID jumped to, or -1 when Target is not the start of an
	// instruction of the program.
	To     int
	Kind   EdgeKind
	Target int // the destination slot
}

// Call is a call instruction.
type Call struct {
	PC    int   // slot of the call
	Block int   // block containing it
	Imm   int32 // the immediate: a hash for `call`, a register number for `callx`
	// Reg is set for `callx`, whose target is only known at run time.
	Reg bool
	// Target is the slot called, or -1 when unknown (syscalls, unresolved
	// hashes, callx).
	Target int
	// Name is the syscall's or function's name when known, raw as the
	// file has it (symname.Display shows it).
	Name string
}

// Build computes the graph of prog. It never fails: anything it cannot
// place becomes an edge to nowhere or a call with an unknown target.
func Build(prog []byte, opts Options) *Graph {
	g := &Graph{Insns: asm.DisassembleInsns(prog), Slots: len(prog) / ebpf.InsnSize, Entry: opts.Entry}
	starts := instructionStarts(g.Insns)
	fns := functionStarts(g, opts, starts)
	leaders := findLeaders(g, starts, fns)
	g.splitBlocks(leaders)
	g.assignFunctions(fns)
	g.linkBlocks(starts)
	g.collectCalls(opts)
	return g
}

// instructionStarts maps each slot that begins an instruction to its index
// in Insns.
func instructionStarts(lines []asm.Line) map[int]int {
	m := make(map[int]int, len(lines))
	for i, l := range lines {
		m[l.Ptr] = i
	}
	return m
}

// functionStarts collects the function starts that are instruction starts:
// the entrypoint, the named functions and the resolved call targets. Slot 0
// always starts a function so that every block belongs to one.
func functionStarts(g *Graph, opts Options, starts map[int]int) map[int]string {
	fns := map[int]string{}
	add := func(pc int, name string) {
		if _, ok := starts[pc]; ok {
			if _, named := fns[pc]; !named || fns[pc] == "" {
				fns[pc] = name
			}
		}
	}
	for pc, name := range opts.Functions {
		add(pc, name)
	}
	add(opts.Entry, "entrypoint")
	for _, l := range g.Insns {
		if l.Opc == ebpf.CallImm {
			if pc, ok := opts.CallTargets[uint32(l.Insn.Imm)]; ok {
				add(pc, "")
			}
		}
	}
	if len(g.Insns) > 0 {
		add(0, "")
	}
	for pc, name := range fns {
		if name == "" {
			fns[pc] = fmt.Sprintf("function_%d", pc)
		}
	}
	return fns
}

// endsBlock reports whether the instruction transfers control elsewhere.
func endsBlock(l asm.Line) bool { return l.Opc == ebpf.Exit || l.Opc.IsJump() }

func findLeaders(g *Graph, starts map[int]int, fns map[int]string) []int {
	set := map[int]bool{}
	for pc := range fns {
		set[pc] = true
	}
	for i, l := range g.Insns {
		if !endsBlock(l) {
			continue
		}
		if i+1 < len(g.Insns) {
			set[g.Insns[i+1].Ptr] = true
		}
		if t := ebpf.JumpTarget(l.Ptr, l.Insn.Off); l.Opc.IsJump() {
			if _, ok := starts[t]; ok {
				set[t] = true
			}
		}
	}
	out := make([]int, 0, len(set))
	for pc := range set {
		out = append(out, pc)
	}
	sort.Ints(out)
	return out
}
