package ui

import (
	"fmt"
	"html"
	"strings"

	"github.com/vugu/vugu"
)

// TourState is the guided tour's position; Step -1 means it is closed.
type TourState struct {
	Step int
	// Asking is set while the tour asks before it replaces the visitor's
	// own program with its example.
	Asking bool
	// saved is the visitor's program (and editor text) the tour replaced;
	// closing the tour brings it back.
	saved       *Loaded
	savedSource string
}

// tourStep is one stop of the tour: what it says and how it sets the page.
type tourStep struct {
	Title, Text string
	enter       func(a *App)
}

var tourSteps = []tourStep{
	{"1. A program arrives", "This is the relative-calls example: assembly built into an ELF file by the project's builder. The loader checked it line by line; every check passed.", func(a *App) {
		a.openExample("relative_calls")
		a.View = "inspect"
	}},
	{"2. Where things go", "Sections keep their file offsets but the VM sees them in the program region at 0x1_0000_0000: .text is mapped there, next to the stack, heap and input regions.", func(a *App) {
		a.View = "inspect"
	}},
	{"3. First relocation", "The linker left `call 3`: a relative call (target = pc + 1 + imm = 5). The loader writes a hash instead and records hash → 5 in the calls map, so the VM looks calls up by hash. Watch the four immediate bytes change.", func(a *App) {
		a.View = "reloc"
		a.Reloc.Pos = 0
	}},
	{"4. Second relocation", "The same for the second call. Each step adds an entry to the calls map: hash → pc (the instruction index in .text).", func(a *App) {
		a.View = "reloc"
		a.Reloc.Pos = min(1, a.Reloc.Steps()-1)
	}},
	{"5. Hashing a name", "Syscalls and exported functions are called by the murmur3 hash of their name. Here is `entrypoint`, block by block.", func(a *App) {
		a.View = "hash"
		a.Hash.Mode, a.Hash.Input = "name", "entrypoint"
		a.Hash.Compute()
	}},
	{"6. Hashing a pc", "A relative call is named by an instruction index: rbpf v0.2.8 hashes the call's own index, 1, as eight little-endian bytes. The result is the immediate the first call now holds; the calls map sends it to pc 5.", func(a *App) {
		a.View = "hash"
		a.Hash.Mode, a.Hash.Input = "pc", "1"
		a.Hash.Compute()
	}},
	{"7. The first step", "The debugger executed `mov64 r1, 2`: r1 changed (highlighted). r10 points at the top of the first stack frame.", func(a *App) {
		a.View = "debug"
		a.Debug.reset()
		if a.Debug.vm != nil {
			a.Debug.prevRegs = a.Debug.vm.Registers()
			a.Debug.stepOne()
		}
	}},
	{"8. Into the call", "`call` looked its immediate up in the calls map and jumped to pc 5, pushing a frame that saves r6-r9.", func(a *App) {
		a.View = "debug"
		if a.Debug.vm != nil && !a.Debug.vm.Done() {
			a.Debug.prevRegs = a.Debug.vm.Registers()
			a.Debug.stepOne()
		}
	}},
	{"9. Your turn", "Step on, run to the end, set breakpoints, or write your own program on the Load tab. Every state has a link: copy the address bar to share it.", func(a *App) {
		a.View = "debug"
	}},
}

// TourStart opens the tour at its first stop. When the page holds the
// visitor's own program (a file, a link, assembly from the editor), it
// first asks: the tour loads its example in that program's place.
func (a *App) TourStart() {
	defer a.Recover("tour")
	if p := a.Prog; p != nil && p.Origin != "example" && !a.Tour.Active() {
		a.Tour.Asking = true
		return
	}
	a.tourGo(0)
}

// TourConfirm starts the tour after asking, keeping the visitor's program
// to bring back when the tour closes.
func (a *App) TourConfirm() {
	defer a.Recover("tour")
	a.Tour.Asking = false
	a.Tour.saved, a.Tour.savedSource = a.Prog, a.Source
	a.tourGo(0)
}

// TourCancel leaves the visitor's program as it is.
func (a *App) TourCancel() {
	defer a.Recover("tour")
	a.Tour.Asking = false
}

// AskText is the question the tour asks before it starts.
func (t *TourState) AskText(a *App) string {
	name := "your program"
	if a.Prog != nil {
		name = a.Prog.Name
	}
	return fmt.Sprintf("The tour opens its example, relative_calls, in place of %s. Closing the tour brings %s back "+
		"(its debugger run starts over).", name, name)
}

// TourNext and TourPrev move through the tour.
func (a *App) TourNext() { defer a.Recover("tour"); a.tourGo(a.Tour.Step + 1) }

// TourPrev goes back one stop.
func (a *App) TourPrev() { defer a.Recover("tour"); a.tourGo(a.Tour.Step - 1) }

// TourClose closes the tour.
func (a *App) TourClose() { defer a.Recover("tour"); a.tourEnd() }

// tourEnd closes the tour and brings back the program it replaced.
func (a *App) tourEnd() {
	t := &a.Tour
	t.Step, t.Asking = -1, false
	defer func() { t.saved = nil }()
	// Bring the replaced program back, unless the visitor loaded another
	// one during the tour.
	if p := t.saved; p != nil && a.Prog != nil && a.Prog.Example == "relative_calls" {
		t.saved = nil
		a.Source = t.savedSource
		a.loadELF(p)
		a.View = "inspect"
		a.Notice = "The tour is over: " + p.Name + " is back."
	}
}

func (a *App) tourGo(i int) {
	if i < 0 || i >= len(tourSteps) {
		a.tourEnd()
		return
	}
	if i == 0 || a.Prog == nil || a.Prog.Example != "relative_calls" {
		tourSteps[0].enter(a)
	}
	a.Tour.Step = i
	tourSteps[i].enter(a)
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
