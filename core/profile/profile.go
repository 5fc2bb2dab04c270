package profile

import (
	"cmp"
	"slices"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/symname"
)

// Profile is what a Recorder measured. Its JSON form is the document
// `rbpf run --cu-profile FILE --cu-profile-format json` writes.
type Profile struct {
	// Units is the total charged: the units the run consumed while it was
	// recorded (the run's compute units when recorded from its start).
	Units uint64 `json:"units"`
	// Metered tells whether units are the meter's (instructions plus
	// syscall costs) or, with the meter disabled, instructions.
	Metered bool `json:"metered"`
	// Instructions is the number of instructions executed.
	Instructions uint64 `json:"instructions"`
	// Functions are the functions and syscalls that ran, the most
	// expensive (inclusive) first.
	Functions []Function `json:"functions"`
	// Stacks are the call stacks that were charged units, in the order of
	// their frames' names.
	Stacks []Stack `json:"stacks"`
	// Blocks are the basic blocks that ran, in program order.
	Blocks []Block `json:"blocks"`
	// Counts and SlotUnits are, per instruction slot, the executions and
	// the units charged there (a syscall's cost at its call). They are
	// left out of the JSON document, which would grow with the program.
	Counts    []uint64 `json:"-"`
	SlotUnits []uint64 `json:"-"`
}

// Function is one function or syscall.
type Function struct {
	// Name is the raw name (a symbol as the file has it, "entrypoint",
	// "function_<pc>", or the syscall's name).
	Name string `json:"name"`
	// Demangled is symname.Demangled(Name): the name shown, when it
	// differs.
	Demangled string `json:"demangled,omitempty"`
	// Start is the function's first slot; -1 for a syscall.
	Start   int  `json:"start"`
	Syscall bool `json:"syscall,omitempty"`
	// Calls counts how often it was entered (the root frame once).
	Calls uint64 `json:"calls"`
	// Self is what the function's own instructions cost; for a syscall,
	// its costs.
	Self uint64 `json:"self"`
	// Inclusive adds what the functions and syscalls it called cost,
	// counting a recursive call's units once.
	Inclusive uint64 `json:"inclusive"`
}

// Stack is a call stack and the units its innermost frame was charged.
type Stack struct {
	// Frames are indexes into Profile.Functions, the root first.
	Frames []int  `json:"frames"`
	Units  uint64 `json:"units"`
}

// Block is one basic block of the graph the Recorder was given.
type Block struct {
	// ID is the block's ID in the cfg.Graph; Start and End its slots.
	ID    int `json:"id"`
	Start int `json:"start"`
	End   int `json:"end"`
	// Function is the raw name of the graph function holding it.
	Function string `json:"function"`
	// Entries is how often its first instruction ran.
	Entries uint64 `json:"entries"`
	// Units is what its instructions and the syscalls they called cost.
	Units uint64 `json:"units"`
}

// Profile returns what has been recorded so far; the Recorder may go on.
func (r *Recorder) Profile() *Profile {
	p := &Profile{
		Units: r.seenTotal(), Metered: r.m.Meter().Enabled, Instructions: r.executed,
		Counts: slices.Clone(r.counts), SlotUnits: slices.Clone(r.units),
	}
	order := r.functions(p)
	r.stacks(p, order)
	r.blocks(p)
	return p
}

// seenTotal is what the nodes were charged.
func (r *Recorder) seenTotal() uint64 {
	var t uint64
	for _, n := range r.nodes {
		t += n.self
	}
	return t
}

// functions fills p.Functions, sorted, and returns each recorder
// function's index in it.
func (r *Recorder) functions(p *Profile) []int {
	fs := make([]Function, len(r.fns))
	for i, f := range r.fns {
		fs[i] = Function{Name: f.name, Demangled: symname.Demangled(f.name), Start: f.start, Syscall: f.syscall}
	}
	onPath := make([]bool, len(r.fns))
	for id, n := range r.nodes {
		fs[n.fn].Calls += n.calls
		fs[n.fn].Self += n.self
		// Each function on the stack once, however often it recurs.
		var path []int32
		for at := int32(id); at >= 0; at = r.nodes[at].parent {
			if fn := r.nodes[at].fn; !onPath[fn] {
				onPath[fn] = true
				path = append(path, fn)
				fs[fn].Inclusive += n.self
			}
		}
		for _, fn := range path {
			onPath[fn] = false
		}
	}
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	// sort.SliceStable rather than slices.SortStableFunc: the playground
	// links this package, and each generic stable sort costs it about 8 KB
	// of WebAssembly, where sort's is linked already.
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := idx[i], idx[j]
		return cmp.Or(cmp.Compare(fs[b].Inclusive, fs[a].Inclusive), cmp.Compare(fs[b].Self, fs[a].Self),
			cmp.Compare(fs[a].Name, fs[b].Name), cmp.Compare(fs[a].Start, fs[b].Start)) < 0
	})
	order := make([]int, len(fs))
	p.Functions = make([]Function, len(fs))
	for to, from := range idx {
		p.Functions[to] = fs[from]
		order[from] = to
	}
	return order
}

// stacks fills p.Stacks with every stack charged units.
func (r *Recorder) stacks(p *Profile, order []int) {
	for id, n := range r.nodes {
		if n.self == 0 {
			continue
		}
		var frames []int
		for at := int32(id); at >= 0; at = r.nodes[at].parent {
			frames = append(frames, order[r.nodes[at].fn])
		}
		slices.Reverse(frames)
		p.Stacks = append(p.Stacks, Stack{Frames: frames, Units: n.self})
	}
	names := func(s Stack) []string {
		out := make([]string, len(s.Frames))
		for i, f := range s.Frames {
			out[i] = p.Functions[f].Name
		}
		return out
	}
	sort.SliceStable(p.Stacks, func(i, j int) bool {
		a, b := p.Stacks[i], p.Stacks[j]
		return cmp.Or(slices.Compare(names(a), names(b)), slices.Compare(a.Frames, b.Frames)) < 0
	})
}

// blocks fills p.Blocks with the blocks that ran.
func (r *Recorder) blocks(p *Profile) {
	for _, b := range r.g.Blocks {
		blk := Block{ID: b.ID, Start: b.Start, End: b.End, Function: r.g.Functions[b.Function].Name, Entries: r.counts[b.Start]}
		ran := false
		for pc := b.Start; pc < b.End; pc++ {
			blk.Units += r.units[pc]
			ran = ran || r.counts[pc] > 0
		}
		if ran {
			p.Blocks = append(p.Blocks, blk)
		}
	}
}
