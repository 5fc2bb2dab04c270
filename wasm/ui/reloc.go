package ui

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// RelocState is the position of the relocation replay.
type RelocState struct {
	Pos     int // index into the loader log's steps, -1 when there are none
	Playing bool
	steps   []elf.Step
	open    map[string]bool // the calls map shown in full (see limitRows)
}

// Reset starts the replay of p: at the first step, or on the failing step
// of a rejected file.
func (r *RelocState) Reset(p *Loaded) {
	*r = RelocState{Pos: -1}
	if p.Log == nil {
		return
	}
	r.steps = p.Log.Steps
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

// RelocGo moves the replay to step i (clamped).
func (a *App) RelocGo(i int) {
	defer a.Recover("relocation step")
	r := &a.Reloc
	if len(r.steps) == 0 {
		return
	}
	r.Pos = min(max(i, 0), len(r.steps)-1)
}

// RelocPlay steps forward once a second until the last step or Stop.
func (a *App) RelocPlay() {
	defer a.Recover("play")
	if a.Reloc.Playing {
		a.Reloc.Playing = false
		return
	}
	if a.Reloc.Pos >= a.Reloc.Steps()-1 {
		a.Reloc.Pos = 0
	}
	a.Reloc.Playing = true
	a.Go("play relocations", func() {
		for {
			time.Sleep(900 * time.Millisecond)
			done := false
			a.Update("play relocations", func() {
				r := &a.Reloc
				if !r.Playing || r.Pos >= r.Steps()-1 {
					r.Playing, done = false, true
					return
				}
				r.Pos++
			})
			if done {
				return
			}
		}
	})
}

// PlayText is the label of the play button.
func (r *RelocState) PlayText() string {
	if r.Playing {
		return "❚❚ pause"
	}
	return "▶ play"
}

// StepTitle is the heading of the current step.
func (r *RelocState) StepTitle() string {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	t := fmt.Sprintf("Step %d of %d · %s", r.Pos+1, len(r.steps), stepKindText(s))
	if s.Insn >= 0 {
		t += fmt.Sprintf(" · instruction %d", s.Insn)
	}
	return t + fmt.Sprintf(" · file offset 0x%x", s.FileOffset)
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
		add("call imm %d is relative: target = %d + 1 + %d = instruction %d", s.Imm, s.Insn, s.Imm, s.TargetPC)
		if len(s.Key) == 8 {
			k := binary.LittleEndian.Uint64(s.Key)
			who := ""
			if int(k) == s.Insn {
				who = " (the call's own index: v0.2.8 names the function after its call site)"
			} else if int(k) == s.TargetPC {
				who = " (the target's index)"
			}
			add("key = instruction index %d as 8 little-endian bytes = %s%s", k, hexBytes(s.Key), who)
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
			add("%q is a function of this program at instruction %d", s.Symbol, s.TargetPC)
		} else {
			add("%q is not defined here: the VM resolves it as a syscall at run time", s.Symbol)
		}
	}
	if s.CallAdded != nil {
		add("calls[0x%08x] = %d", s.CallAdded.Hash, s.CallAdded.PC)
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

// CallsTable is the calls map as it stands after the current step.
func (r *RelocState) CallsTable() *DataTable {
	t := &DataTable{ID: "calls-map", Title: "Calls map", Head: []string{"hash", "instruction", "added at step"}}
	for i := 0; i <= r.Pos && i < len(r.steps); i++ {
		if c := r.steps[i].CallAdded; c != nil {
			row := Row{Cells: []string{fmt.Sprintf("0x%08x", c.Hash), fmt.Sprint(c.PC), fmt.Sprint(i + 1)}}
			if i == r.Pos {
				row.Class = "cur"
			}
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		t.Note = "Empty so far."
	}
	if r.open == nil {
		r.open = map[string]bool{}
	}
	return limitRows(t, r.open, true)
}

// stepWindow is how many steps the step list shows at once; a real
// program has thousands, and vugu redraws the list on every step.
const stepWindow = 200

// StepList is the list of steps around the current one, for jumping, with
// an item before and after it that jumps to the nearest step left out.
func (r *RelocState) StepList() []StepItem {
	n := len(r.steps)
	lo := max(0, r.Pos-stepWindow/4)
	hi := min(n, lo+stepWindow)
	lo = max(0, hi-stepWindow)
	var out []StepItem
	if lo > 0 {
		out = append(out, StepItem{Index: lo - 1, Label: fmt.Sprintf("▲ %d earlier steps", lo), Class: "step-item more"})
	}
	for i := lo; i < hi; i++ {
		s := r.steps[i]
		label := string(s.Kind)
		if s.Symbol != "" {
			label += " " + symname.Display(s.Symbol)
		} else if s.Insn >= 0 {
			label += fmt.Sprintf(" @%d", s.Insn)
		}
		cls := "step-item"
		if i == r.Pos {
			cls += " cur"
		}
		if s.Kind == elf.StepRejected {
			cls += " rejected"
		}
		out = append(out, StepItem{Index: i, Label: fmt.Sprintf("%d. %s", i+1, label), Class: cls})
	}
	if hi < n {
		out = append(out, StepItem{Index: hi, Label: fmt.Sprintf("▼ %d later steps", n-hi), Class: "step-item more"})
	}
	return out
}

type StepItem struct {
	Index        int
	Label, Class string
}
