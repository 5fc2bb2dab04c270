package ui

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// RelocState is the position of the relocation replay.
type RelocState struct {
	hub hub

	Pos     int // index into the loader log's steps, -1 when there are none
	Playing bool
	// Kind filters the replay: the list, previous, next, first, last and
	// play visit only steps of this kind; "" visits all.
	Kind elf.StepKind
	// Speed is how many steps play shows a second (0: DefaultRelocSpeed).
	Speed int
	// JumpErr says why the jump-to-step field found nothing.
	JumpErr string

	steps  []elf.Step
	byKind map[elf.StepKind][]int // step indexes of each kind, ascending
	added  []int                  // the steps that add to the calls map, ascending
	open   map[string]bool        // the calls map shown in full (see limitRows)
	// playTo stops play at the next step of this kind ("": at the end);
	// playGen tells a play loop that another one replaced it.
	playTo  elf.StepKind
	playGen int
}

// Reset starts the replay of p: at the first step, or on the failing step
// of a rejected file.
func (r *RelocState) Reset(p *Loaded) {
	speed := r.Speed
	*r = RelocState{hub: r.hub, Pos: -1, Speed: speed}
	if p.Log == nil {
		return
	}
	r.steps = p.Log.Steps
	r.byKind = map[elf.StepKind][]int{}
	for i, s := range r.steps {
		r.byKind[s.Kind] = append(r.byKind[s.Kind], i)
		if s.CallAdded != nil {
			r.added = append(r.added, i)
		}
	}
	if len(r.steps) > 0 {
		r.Pos = 0
		if last := r.steps[len(r.steps)-1]; last.Kind == elf.StepRejected {
			r.Pos = len(r.steps) - 1
		}
	}
}

// Steps is the number of steps.
func (r *RelocState) Steps() int { return len(r.steps) }

// Cur is the current step; ok is false when there is none.
func (r *RelocState) Cur() (elf.Step, bool) {
	if r.Pos < 0 || r.Pos >= len(r.steps) {
		return elf.Step{}, false
	}
	return r.steps[r.Pos], true
}

// HasStep reports whether there is a current step.
func (r *RelocState) HasStep() bool { _, ok := r.Cur(); return ok }

// StepTitle is the heading of the current step.
func (r *RelocState) StepTitle() string {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	return fmt.Sprintf("Step %d of %d · %s", r.Pos+1, len(r.steps), stepKindText(s))
}

// StepWhere is where the current step writes: its instruction, as the
// page names instructions, and its file offset.
func (r *RelocState) StepWhere() string {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	if s.Insn >= 0 {
		return fmt.Sprintf("at %s · file offset %#x", ebpf.PCRef(s.Insn), s.FileOffset)
	}
	return fmt.Sprintf("outside .text · file offset %#x", s.FileOffset)
}

// StepPC is the instruction the current step changes, -1 when it writes
// outside .text.
func (r *RelocState) StepPC() int {
	if s, ok := r.Cur(); ok {
		return s.Insn
	}
	return -1
}

func stepKindText(s elf.Step) string {
	switch s.Kind {
	case elf.StepRelativeCall:
		return "relative call becomes a hashed call"
	case elf.StepRelativeText:
		return "R_BPF_64_RELATIVE in .text (lddw address)"
	case elf.StepRelativeData:
		return "R_BPF_64_RELATIVE outside .text"
	case elf.StepSymbolCall:
		return "R_BPF_64_32 call to a symbol"
	case elf.StepRejected:
		return "REJECTED"
	}
	return string(s.Kind)
}

// kindName is a step kind as the filter names it.
func kindName(k elf.StepKind) string {
	for _, c := range RelocKinds {
		if c.Kind == k && k != "" {
			return c.Label
		}
	}
	return string(k)
}

// StepClass marks a rejected step.
func (r *RelocState) StepClass() string {
	if s, ok := r.Cur(); ok && s.Kind == elf.StepRejected {
		return "step rejected"
	}
	return "step"
}

// Bytes renders the before or after bytes of the current step, the bytes
// that the step changes highlighted.
func (r *RelocState) Bytes(after bool) vugu.HTML {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	a, b := s.Before, s.After
	if after {
		a, b = b, a
	}
	if len(a) == 0 {
		if s.Kind == elf.StepRejected {
			return vugu.HTML(`<span class="muted">nothing written: loading stops here</span>`)
		}
		return vugu.HTML(`<span class="muted">unchanged</span>`)
	}
	var sb strings.Builder
	for i, x := range a {
		if i > 0 && i%8 == 0 {
			sb.WriteString("<br>")
		} else if i > 0 {
			sb.WriteByte(' ')
		}
		if i >= len(b) || b[i] != x {
			fmt.Fprintf(&sb, `<span class="chg">%02x</span>`, x)
		} else {
			fmt.Fprintf(&sb, "%02x", x)
		}
	}
	return vugu.HTML(sb.String())
}

// Disasm is the disassembly of the before or after bytes.
func (r *RelocState) Disasm(after bool) string {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	b := s.Before
	if after {
		b = s.After
	}
	if len(b) == 0 || s.Kind == elf.StepRelativeData {
		return ""
	}
	var out []string
	for _, l := range asm.DisassembleInsns(b) {
		out = append(out, l.Desc)
	}
	return strings.Join(out, "\n")
}

// Computation writes out how the step computed what it wrote.
func (r *RelocState) Computation() []string {
	s, ok := r.Cur()
	if !ok {
		return nil
	}
	var out []string
	add := func(f string, args ...any) { out = append(out, fmt.Sprintf(f, args...)) }
	kind := s.Kind
	if kind == elf.StepRejected {
		kind = s.Attempted
	}
	switch kind {
	case elf.StepRelativeCall:
		add("call imm %d is relative: target = pc %d + 1 + %d = %s", s.Imm, s.Insn, s.Imm, ebpf.PCRef(s.TargetPC))
		if len(s.Key) == 8 {
			k := binary.LittleEndian.Uint64(s.Key)
			who := ""
			if int(k) == s.Insn {
				who = " (the call's own pc: v0.2.8 names the function after its call site)"
			} else if int(k) == s.TargetPC {
				who = " (the target's pc)"
			}
			add("key = pc %d as 8 little-endian bytes = %s%s", k, hexBytes(s.Key), who)
		} else {
			add("key = %s", hexBytes(s.Key))
		}
		add("murmur3(key) = 0x%08x → call imm %d", s.Hash, int32(s.Hash))
	case elf.StepRelativeText:
		add("vaddr read from the lddw immediates = 0x%x", s.VirtAddr)
		add("program-region address = 0x%x + MM_PROGRAM_START (0x%x) = 0x%x", s.VirtAddr, ebpf.MMProgramStart, s.PhysAddr)
		add("low imm = 0x%08x, high imm = 0x%08x", uint32(s.PhysAddr), uint32(s.PhysAddr>>32))
	case elf.StepRelativeData:
		add("64-bit value read = 0x%x", s.VirtAddr)
		add("written back + MM_PROGRAM_START = 0x%x", s.PhysAddr)
	case elf.StepSymbolCall:
		add("relocation %d names dynamic symbol %d: %q", s.Reloc, s.SymIndex, s.Symbol)
		add("key = the name's bytes = %s", hexBytes(s.Key))
		add("murmur3(key) = 0x%08x → call imm %d", s.Hash, int32(s.Hash))
		if d := symname.Demangled(s.Symbol); d != "" {
			add("%q is %s demangled", s.Symbol, d)
		}
		if s.TargetPC >= 0 {
			add("%q is a function of this program at %s", s.Symbol, ebpf.PCRef(s.TargetPC))
		} else {
			add("%q is not defined here: the VM resolves it as a syscall at run time", s.Symbol)
		}
	}
	if s.CallAdded != nil {
		add("calls[0x%08x] = pc %d", s.CallAdded.Hash, s.CallAdded.PC)
	}
	return out
}

// ErrorText is the error of a rejected step.
func (r *RelocState) ErrorText() string {
	if s, ok := r.Cur(); ok && s.Error != nil {
		return "ELF error: " + s.Error.Error()
	}
	return ""
}

// ErrorWhy relates the instruction number a rejected step's error gives
// to the pc, "" when the error names none.
func (r *RelocState) ErrorWhy() string {
	if s, ok := r.Cur(); ok && s.Error != nil {
		if ref, ok := insnRefOf(s.Error, 0); ok {
			return ref.Said + " is " + ref.Ref() + ": " + ref.Why
		}
	}
	return ""
}

// callsShown is how many of the calls map's latest entries the replay
// shows until asked for all: the map grows by one entry a step, and vugu
// redraws every row on every step.
const callsShown = 25

// CallsTable is the calls map as it stands after the current step, its
// latest entries first drawn.
func (r *RelocState) CallsTable() *DataTable {
	t := &DataTable{ID: "calls-map", Title: "Calls map", Head: []string{"hash", "pc", "added at step"}}
	if r.open == nil {
		r.open = map[string]bool{}
	}
	n := sort.SearchInts(r.added, r.Pos+1) // entries added up to the current step
	from := 0
	if !r.open[t.ID] {
		from = max(0, n-callsShown)
	}
	for _, i := range r.added[from:n] {
		c := r.steps[i].CallAdded
		row := Row{Cells: []string{fmt.Sprintf("0x%08x", c.Hash), ebpf.PCRef(c.PC), strconv.Itoa(i + 1)}}
		if i == r.Pos {
			row.Class = "cur"
		}
		t.Rows = append(t.Rows, row)
	}
	if n == 0 {
		t.Note = "Empty so far."
	}
	if from > 0 {
		t.Note = fmt.Sprintf("The latest %d of %d entries.", n-from, n)
		t.Hidden = from
		t.Expand = func() { r.open[t.ID] = true }
	}
	return t
}

// stepWindow is how many steps the step list shows at once; a real
// program has thousands, and vugu redraws the list on every step.
const stepWindow = 120

// StepList is the list of the steps the filter lets through around the
// current one, for jumping, with an item before and after it that jumps
// to the nearest step left out.
func (r *RelocState) StepList() []StepItem {
	n := r.count()
	k := r.rank(r.Pos)
	lo := max(0, k-stepWindow/4)
	hi := min(n, lo+stepWindow)
	lo = max(0, hi-stepWindow)
	var out []StepItem
	if lo > 0 {
		out = append(out, StepItem{ID: "steps-earlier", Index: r.at(lo - 1), Label: fmt.Sprintf("▲ %d earlier steps", lo), Class: "step-item more"})
	}
	for j := lo; j < hi; j++ {
		i := r.at(j)
		s := r.steps[i]
		label := fmt.Sprintf("%d. %s", i+1, shortKind(s.Kind))
		title := stepKindText(s)
		switch {
		case s.Insn >= 0:
			label += fmt.Sprintf(" pc %d #%d", s.Insn, ebpf.InsnNumber(s.Insn))
			title += " at " + ebpf.PCRef(s.Insn)
		default:
			label += fmt.Sprintf(" @%#x", s.FileOffset)
			title += fmt.Sprintf(" at file offset %#x", s.FileOffset)
		}
		if s.Symbol != "" {
			label += " " + symname.Display(s.Symbol)
			title += ": " + s.Symbol
		}
		cls := "step-item"
		if i == r.Pos {
			cls += " cur"
		}
		if s.Kind == elf.StepRejected {
			cls += " rejected"
		}
		out = append(out, StepItem{ID: fmt.Sprintf("step-%d", i), Index: i, Label: label, Title: title, Class: cls})
	}
	if hi < n {
		out = append(out, StepItem{ID: "steps-later", Index: r.at(hi), Label: fmt.Sprintf("▼ %d later steps", n-hi), Class: "step-item more"})
	}
	return out
}

// shortKind is a step kind in the step list.
func shortKind(k elf.StepKind) string {
	switch k {
	case elf.StepRelativeCall:
		return "rel call"
	case elf.StepRelativeText:
		return "text addr"
	case elf.StepRelativeData:
		return "data addr"
	case elf.StepSymbolCall:
		return "sym call"
	case elf.StepRejected:
		return "REJECTED"
	}
	return string(k)
}

// StepItem is one entry of the step list.
type StepItem struct {
	ID           string
	Index        int
	Label, Class string
	Title        string // the step in words, as the list's tooltip
}

// RelocNone says why there is no step to replay: a file the loader
// rejected before relocating, or one that needed none.
func (p *Loaded) RelocNone() string {
	if p == nil || p.Err == nil {
		return "This file needed no relocation steps."
	}
	if p.Log != nil {
		for _, c := range p.Log.Checks {
			if c.Status == elf.CheckFail {
				return fmt.Sprintf("The loader rejected this file before relocating anything: it failed the check %q (%s), so there is nothing to replay. The Inspect tab shows the checklist.", c.Name, p.Err)
			}
		}
	}
	return fmt.Sprintf("The loader rejected this file before relocating anything (%s), so there is nothing to replay.", p.Err)
}
