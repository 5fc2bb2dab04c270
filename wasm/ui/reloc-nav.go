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

// GoToStep moves the replay to step i (clamped) and keeps it in view in
// the list of steps.
func (r *RelocState) GoToStep(i int) {
	defer r.hub.Recover("relocation step")
	r.goToStep(i)
}

func (r *RelocState) goToStep(i int) {
	if len(r.steps) == 0 {
		return
	}
	r.Pos = min(max(i, 0), len(r.steps)-1)
	r.hub.screen().scrollTo(fmt.Sprintf("step-%d", r.Pos), false)
}

// Move moves to the previous (-1) or next (+1) step the filter lets
// through.
func (r *RelocState) Move(dir int) {
	defer r.hub.Recover("relocation step")
	if i, ok := r.neighbour(dir); ok {
		r.goToStep(i)
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

// End moves to the first (last false) or last filtered step.
func (r *RelocState) End(last bool) {
	defer r.hub.Recover("relocation step")
	if r.count() == 0 {
		return
	}
	if last {
		r.goToStep(r.at(r.count() - 1))
	} else {
		r.goToStep(r.at(0))
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

// Filter shows only steps of kind ("" for all). When the current step is
// of another kind, the replay moves to the next step of kind (the last one
// when none follows).
func (r *RelocState) Filter(kind elf.StepKind) {
	defer r.hub.Recover("relocation filter")
	r.Kind = kind
	if r.count() == 0 || !r.HasStep() {
		return
	}
	if k := r.rank(r.Pos); k < r.count() {
		r.goToStep(r.at(k))
	} else {
		r.goToStep(r.at(r.count() - 1))
	}
}

// Jump goes to the step the jump field names: a step number (as the list
// counts, from 1), or the first step at an instruction, given as "pc N"
// or as rbpf's number "#N" (pc + 29).
func (r *RelocState) Jump(text string) {
	defer r.hub.Recover("jump to step")
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
		r.goToStep(n - 1)
		return
	}
	if byPC {
		for i, s := range r.steps {
			if s.Insn == pc {
				r.goToStep(i)
				return
			}
		}
	}
	r.JumpErr = fmt.Sprintf("no step changes %q", t)
}

// SetSpeed sets play's speed in steps a second.
func (r *RelocState) SetSpeed(v string) {
	defer r.hub.Recover("play speed")
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		r.Speed = n
	}
}

// Play plays the replay forward at its speed, through the steps the
// filter lets through, until the last one or pause.
func (r *RelocState) Play() {
	defer r.hub.Recover("play")
	r.play("")
}

// PlayToKind plays until the next step of the current step's kind.
func (r *RelocState) PlayToKind() {
	defer r.hub.Recover("play")
	if s, ok := r.Cur(); ok {
		r.Playing = false
		r.play(s.Kind)
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

func (r *RelocState) play(to elf.StepKind) {
	if r.Playing {
		r.Playing = false
		return
	}
	if _, ok := r.neighbour(1); !ok && to == "" {
		r.End(false) // at the end: play from the start
	}
	r.Playing, r.playTo = true, to
	r.playGen++
	gen := r.playGen
	r.hub.Go("play relocations", func() {
		for {
			// Above 1000/playFrameMS steps a second, a frame shows
			// several steps: drawing each would leave the page no time
			// to answer its reader.
			speed := r.speed()
			wait, n := time.Second/time.Duration(speed), 1
			if wait < playFrameMS*time.Millisecond {
				wait, n = playFrameMS*time.Millisecond, max(1, speed*playFrameMS/1000)
			}
			time.Sleep(wait)
			done := false
			r.hub.Update("play relocations", func() {
				for range n {
					if done = r.tick(gen); done {
						break
					}
				}
			})
			if done {
				return
			}
			r.hub.host().Yield() // let the page draw and handle events
		}
	})
}

// playFrameMS is the shortest time between two frames of play.
const playFrameMS = 80

// tick moves play one step; it reports whether play is over.
func (r *RelocState) tick(gen int) bool {
	if !r.Playing || r.playGen != gen {
		return true
	}
	i, ok := r.neighbour(1)
	if !ok {
		r.Playing = false
		return true
	}
	r.goToStep(i)
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
