package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
)

// Moving through the relocation replay: the filter by kind, the
// neighbours it lets through, the jump field and play.

// visible lists the indexes of the steps the filter lets through.
func (r *RelocState) visible() []int {
	if r.Kind == "" {
		return nil // all; callers treat nil as 0..len(steps)
	}
	return r.byKind[r.Kind]
}

// count is how many steps the filter lets through.
func (r *RelocState) count() int {
	if r.Kind == "" {
		return len(r.steps)
	}
	return len(r.byKind[r.Kind])
}

// at is the step index of the i-th step the filter lets through.
func (r *RelocState) at(i int) int {
	if v := r.visible(); r.Kind != "" {
		return v[i]
	}
	return i
}

// rank is the position among the filtered steps of the first one at or
// after step index pos (count() when none is).
func (r *RelocState) rank(pos int) int {
	if r.Kind == "" {
		return min(max(pos, 0), len(r.steps))
	}
	v := r.visible()
	return sort.SearchInts(v, pos)
}

// DefaultRelocSpeed is play's speed until one is chosen, in steps a second.
const DefaultRelocSpeed = 5

// RelocSpeeds are the speeds the play control offers.
var RelocSpeeds = []int{1, 2, 5, 10, 25, 100}

// speed is the play speed in effect.
func (r *RelocState) speed() int {
	if r.Speed <= 0 {
		return DefaultRelocSpeed
	}
	return r.Speed
}

// SpeedSelected reports whether play runs at s steps a second.
func (r *RelocState) SpeedSelected(s int) bool { return r.speed() == s }

// RelocGo moves the replay to step i (clamped) and keeps it in view in the
// list of steps.
func (a *App) RelocGo(i int) {
	defer a.Recover("relocation step")
	a.relocGo(i)
}

func (a *App) relocGo(i int) {
	r := &a.Reloc
	if len(r.steps) == 0 {
		return
	}
	r.Pos = min(max(i, 0), len(r.steps)-1)
	a.scrollTo(fmt.Sprintf("step-%d", r.Pos), false)
}

// RelocMove moves to the previous (-1) or next (+1) step the filter lets
// through.
func (a *App) RelocMove(dir int) {
	defer a.Recover("relocation step")
	if i, ok := a.Reloc.neighbour(dir); ok {
		a.relocGo(i)
	}
}

// neighbour is the step index of the filtered step before (dir < 0) or
// after the current one.
func (r *RelocState) neighbour(dir int) (int, bool) {
	k := r.rank(r.Pos)
	if dir > 0 {
		if k < r.count() && r.at(k) == r.Pos {
			k++
		}
	} else {
		k--
	}
	if k < 0 || k >= r.count() {
		return 0, false
	}
	return r.at(k), true
}

// RelocEnd moves to the first (last false) or last filtered step.
func (a *App) RelocEnd(last bool) {
	defer a.Recover("relocation step")
	r := &a.Reloc
	if r.count() == 0 {
		return
	}
	if last {
		a.relocGo(r.at(r.count() - 1))
	} else {
		a.relocGo(r.at(0))
	}
}

// RelocKind is a choice of the replay's filter.
type RelocKind struct {
	Kind  elf.StepKind
	Label string
}

// RelocKinds are the filter's choices, in the order the panel shows them.
var RelocKinds = []RelocKind{
	{"", "all"},
	{elf.StepRelativeCall, "relative call"},
	{elf.StepRelativeText, "text address"},
	{elf.StepRelativeData, "data address"},
	{elf.StepSymbolCall, "symbol call"},
}

// Kinds are the filter's choices this file has steps of (and "all").
func (r *RelocState) Kinds() []RelocKind {
	var out []RelocKind
	for _, k := range RelocKinds {
		if k.Kind == "" || len(r.byKind[k.Kind]) > 0 || r.Kind == k.Kind {
			out = append(out, k)
		}
	}
	return out
}

// KindLabel is the filter button's text for kind: its name and how many
// steps are of it.
func (r *RelocState) KindLabel(kind elf.StepKind, label string) string {
	n := len(r.steps)
	if kind != "" {
		n = len(r.byKind[kind])
	}
	return fmt.Sprintf("%s (%d)", label, n)
}

// KindClass marks the chosen filter.
func (r *RelocState) KindClass(kind elf.StepKind) string {
	if r.Kind == kind {
		return "seg active"
	}
	return "seg"
}

// RelocFilter shows only steps of kind ("" for all). When the current
// step is of another kind, the replay moves to the next step of kind (the
// last one when none follows).
func (a *App) RelocFilter(kind elf.StepKind) {
	defer a.Recover("relocation filter")
	r := &a.Reloc
	r.Kind = kind
	if r.count() == 0 || !r.HasStep() {
		return
	}
	if k := r.rank(r.Pos); k < r.count() {
		a.relocGo(r.at(k))
	} else {
		a.relocGo(r.at(r.count() - 1))
	}
}

// RelocJump goes to the step the jump field names: a step number (as the
// list counts, from 1), or the first step at an instruction, given as
// "pc N" or as rbpf's number "#N" (pc + 29).
func (a *App) RelocJump(text string) {
	defer a.Recover("jump to step")
	r := &a.Reloc
	r.JumpErr = ""
	t := strings.TrimSpace(text)
	if t == "" {
		return
	}
	pc, byPC := -1, false
	switch {
	case strings.HasPrefix(t, "pc"):
		n, err := strconv.Atoi(strings.TrimSpace(t[2:]))
		pc, byPC = n, err == nil
	case strings.HasPrefix(t, "#"):
		n, err := strconv.Atoi(strings.TrimSpace(t[1:]))
		pc, byPC = n-ebpf.ElfInsnDumpOffset, err == nil
	default:
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > len(r.steps) {
			r.JumpErr = fmt.Sprintf("%q: give a step from 1 to %d, or pc N, or #N", t, len(r.steps))
			return
		}
		a.relocGo(n - 1)
		return
	}
	if byPC {
		for i, s := range r.steps {
			if s.Insn == pc {
				a.relocGo(i)
				return
			}
		}
	}
	r.JumpErr = fmt.Sprintf("no step changes %q", t)
}

// RelocSetSpeed sets play's speed in steps a second.
func (a *App) RelocSetSpeed(v string) {
	defer a.Recover("play speed")
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		a.Reloc.Speed = n
	}
}

// RelocPlay plays the replay forward at its speed, through the steps the
// filter lets through, until the last one or pause.
func (a *App) RelocPlay() {
	defer a.Recover("play")
	a.relocPlay("")
}

// RelocPlayToKind plays until the next step of the current step's kind.
func (a *App) RelocPlayToKind() {
	defer a.Recover("play")
	if s, ok := a.Reloc.Cur(); ok {
		a.Reloc.Playing = false
		a.relocPlay(s.Kind)
	}
}

// NextKindText labels the "play to the next of this kind" button.
func (r *RelocState) NextKindText() string {
	s, ok := r.Cur()
	if !ok {
		return ""
	}
	return "▶ to the next " + kindName(s.Kind)
}

func (a *App) relocPlay(to elf.StepKind) {
	r := &a.Reloc
	if r.Playing {
		r.Playing = false
		return
	}
	if _, ok := r.neighbour(1); !ok && to == "" {
		a.RelocEnd(false) // at the end: play from the start
	}
	r.Playing, r.playTo = true, to
	r.playGen++
	gen := r.playGen
	a.Go("play relocations", func() {
		for {
			// Above 1000/playFrameMS steps a second, a frame shows
			// several steps: drawing each would leave the page no time
			// to answer its reader.
			speed := a.Reloc.speed()
			wait, n := time.Second/time.Duration(speed), 1
			if wait < playFrameMS*time.Millisecond {
				wait, n = playFrameMS*time.Millisecond, max(1, speed*playFrameMS/1000)
			}
			time.Sleep(wait)
			done := false
			a.Update("play relocations", func() {
				for range n {
					if done = a.relocTick(gen); done {
						break
					}
				}
			})
			if done {
				return
			}
			a.Host.Yield() // let the page draw and handle events
		}
	})
}

// playFrameMS is the shortest time between two frames of play.
const playFrameMS = 80

// relocTick moves play one step; it reports whether play is over.
func (a *App) relocTick(gen int) bool {
	r := &a.Reloc
	if !r.Playing || r.playGen != gen {
		return true
	}
	i, ok := r.neighbour(1)
	if !ok {
		r.Playing = false
		return true
	}
	a.relocGo(i)
	if r.playTo != "" && r.steps[i].Kind == r.playTo {
		r.Playing = false
		return true
	}
	return false
}

// PlayText is the label of the play button.
func (r *RelocState) PlayText() string {
	if r.Playing {
		return "❚❚ pause"
	}
	return "▶ play"
}
