package ui

import (
	"fmt"
	"html"
	"strings"

	"github.com/vugu/vugu"
)

// TourState is the guided tour's position; Step -1 means it is closed.
type TourState struct {
	// The tour drives the whole page: it opens its example, switches
	// views and sets the features its stops show.
	hub    tourHub
	source *string // the editor's text, kept with the visitor's program
	reloc  *RelocState
	hash   *HashState
	debug  *DebugState

	Step int
	// Asking is set while the tour asks before it replaces the visitor's
	// own program with its example.
	Asking bool
	// saved is the visitor's program (and editor text) the tour replaced;
	// closing the tour brings it back.
	saved       *Loaded
	savedSource string
}

// tourHub is what the tour needs of the page beyond a feature's hub: its
// example opened and the visitor's program loaded again.
type tourHub interface {
	hub
	openExample(id string)
	loadELF(p *Loaded)
}

// tourStep is one stop of the tour: what it says and how it sets the page.
type tourStep struct {
	Title, Text string
	enter       func(t *TourState)
}

var tourSteps = []tourStep{
	{"1. A program arrives", "This is the relative-calls example: assembly built into an ELF file by the project's builder. The loader checked it line by line; every check passed.", func(t *TourState) {
		t.hub.openExample("relative_calls")
		t.hub.screen().View = "inspect"
	}},
	{"2. Where things go", "Sections keep their file offsets but the VM sees them in the program region at 0x1_0000_0000: .text is mapped there, next to the stack, heap and input regions.", func(t *TourState) {
		t.hub.screen().View = "inspect"
	}},
	{"3. First relocation", "The linker left `call 3`: a relative call (target = pc + 1 + imm = 5). The loader writes a hash instead and records hash → 5 in the calls map, so the VM looks calls up by hash. Watch the four immediate bytes change.", func(t *TourState) {
		t.hub.screen().View = "reloc"
		t.reloc.Pos = 0
	}},
	{"4. Second relocation", "The same for the second call. Each step adds an entry to the calls map: hash → pc (the instruction index in .text).", func(t *TourState) {
		t.hub.screen().View = "reloc"
		t.reloc.Pos = min(1, t.reloc.Steps()-1)
	}},
	{"5. Hashing a name", "Syscalls and exported functions are called by the murmur3 hash of their name. Here is `entrypoint`, block by block.", func(t *TourState) {
		t.hub.screen().View = "hash"
		t.hash.Mode, t.hash.Input = "name", "entrypoint"
		t.hash.Compute()
	}},
	{"6. Hashing a pc", "A relative call is named by an instruction index: rbpf v0.2.8 hashes the call's own index, 1, as eight little-endian bytes. The result is the immediate the first call now holds; the calls map sends it to pc 5.", func(t *TourState) {
		t.hub.screen().View = "hash"
		t.hash.Mode, t.hash.Input = "pc", "1"
		t.hash.Compute()
	}},
	{"7. The first step", "The debugger executed `mov64 r1, 2`: r1 changed (highlighted). r10 points at the top of the first stack frame.", func(t *TourState) {
		t.hub.screen().View = "debug"
		t.debug.reset()
		if t.debug.vm != nil {
			t.debug.prevRegs = t.debug.vm.Registers()
			t.debug.stepOne()
		}
	}},
	{"8. Into the call", "`call` looked its immediate up in the calls map and jumped to pc 5, pushing a frame that saves r6-r9.", func(t *TourState) {
		t.hub.screen().View = "debug"
		if t.debug.vm != nil && !t.debug.vm.Done() {
			t.debug.prevRegs = t.debug.vm.Registers()
			t.debug.stepOne()
		}
	}},
	{"9. Your turn", "Step on, run to the end, set breakpoints, or write your own program on the Load tab. Every state has a link: copy the address bar to share it.", func(t *TourState) {
		t.hub.screen().View = "debug"
	}},
}

// Start opens the tour at its first stop. When the page holds the
// visitor's own program (a file, a link, assembly from the editor), it
// first asks: the tour loads its example in that program's place.
func (t *TourState) Start() {
	defer t.hub.Recover("tour")
	if p := t.hub.program(); p != nil && p.Origin != "example" && !t.Active() {
		t.Asking = true
		return
	}
	t.goTo(0)
}

// Confirm starts the tour after asking, keeping the visitor's program to
// bring back when the tour closes.
func (t *TourState) Confirm() {
	defer t.hub.Recover("tour")
	t.Asking = false
	t.saved, t.savedSource = t.hub.program(), *t.source
	t.goTo(0)
}

// Cancel leaves the visitor's program as it is.
func (t *TourState) Cancel() {
	defer t.hub.Recover("tour")
	t.Asking = false
}

// AskText is the question the tour asks before it starts.
func (t *TourState) AskText() string {
	name := "your program"
	if p := t.hub.program(); p != nil {
		name = p.Name
	}
	return fmt.Sprintf("The tour opens its example, relative_calls, in place of %s. Closing the tour brings %s back "+
		"(its debugger run starts over).", name, name)
}

// Next and Prev move through the tour.
func (t *TourState) Next() { defer t.hub.Recover("tour"); t.goTo(t.Step + 1) }

// Prev goes back one stop.
func (t *TourState) Prev() { defer t.hub.Recover("tour"); t.goTo(t.Step - 1) }

// Close closes the tour.
func (t *TourState) Close() { defer t.hub.Recover("tour"); t.end() }

// end closes the tour and brings back the program it replaced.
func (t *TourState) end() {
	t.Step, t.Asking = -1, false
	defer func() { t.saved = nil }()
	// Bring the replaced program back, unless the visitor loaded another
	// one during the tour.
	if p, cur := t.saved, t.hub.program(); p != nil && cur != nil && cur.Example == "relative_calls" {
		t.saved = nil
		*t.source = t.savedSource
		t.hub.loadELF(p)
		s := t.hub.screen()
		s.View = "inspect"
		s.Notice = "The tour is over: " + p.Name + " is back."
	}
}

func (t *TourState) goTo(i int) {
	if i < 0 || i >= len(tourSteps) {
		t.end()
		return
	}
	if p := t.hub.program(); i == 0 || p == nil || p.Example != "relative_calls" {
		tourSteps[0].enter(t)
	}
	t.Step = i
	tourSteps[i].enter(t)
}

// Active reports whether the tour is open.
func (t *TourState) Active() bool { return t.Step >= 0 && t.Step < len(tourSteps) }

// Shown reports whether the tour's box is on the page: the tour is open or
// asking to start.
func (t *TourState) Shown() bool { return t.Active() || t.Asking }

// Title and Text are the current stop's words.
func (t *TourState) Title() string { return tourSteps[t.Step].Title }

// Text is the current stop's explanation, with `code` set as code.
func (t *TourState) Text() vugu.HTML { return codeSpans(tourSteps[t.Step].Text) }

// codeSpans escapes s for HTML and sets the parts between backticks as
// <code>.
func codeSpans(s string) vugu.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString("<code>" + html.EscapeString(p) + "</code>")
			continue
		}
		if i%2 == 1 {
			b.WriteByte('`') // an unmatched backtick stays as it is
		}
		b.WriteString(html.EscapeString(p))
	}
	return vugu.HTML(b.String())
}

// Count is "n of m".
func (t *TourState) Count() string { return fmt.Sprintf("%d of %d", t.Step+1, len(tourSteps)) }

// Last reports whether this is the last stop.
func (t *TourState) Last() bool { return t.Step == len(tourSteps)-1 }
