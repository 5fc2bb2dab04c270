package ui

import (
	"fmt"
	"runtime/debug"

	"github.com/vugu/vugu"
)

// Host is what the page needs from the browser. wasm/ implements it with
// syscall/js; tests use a fake.
type Host interface {
	// Now is milliseconds since the page started loading.
	Now() float64
	// SetFragment replaces the URL fragment (without '#') without reloading.
	SetFragment(frag string)
	// Fetch performs an HTTP request and blocks until it completes. Call it
	// only from a goroutine, never from an event handler.
	Fetch(method, url string, body []byte) (status int, resp []byte, err error)
	// Yield blocks until the browser has had a turn at its event loop, so a
	// long computation in slices keeps the page responsive.
	Yield()
	// AfterPaint blocks until the browser has painted its next frame, so
	// that work done after it does not delay what was just drawn.
	AfterPaint()
	// Log writes to the browser console.
	Log(msg string)
	// Download offers data to the visitor as a file called name.
	Download(name string, data []byte)
}

// MaxFileSize is the largest file the page reads. Larger files are refused
// before their bytes are read.
const MaxFileSize = 4 << 20

// View names one page of the playground.
type View struct {
	ID, Title string
}

// Views are the tabs, in the order they appear.
var Views = []View{
	{"load", "Load"},
	{"inspect", "Inspect"},
	{"reloc", "Relocations"},
	{"hash", "Call hashing"},
	{"disasm", "Disassembly"},
	{"instruction", "Instruction"},
	{"debug", "Debugger"},
	{"jit", "Machine code"},
	{"speed", "Speed"},
	{"trace", "Recorded run"},
}

// App is the state of the whole page. Components read it while building and
// change it only in event handlers or between Env.Lock and Env.UnlockRender.
//
// App itself is the hub. It routes: the panels' clicks and changes (Act,
// ActChange, ListAct), keys (Key) and view switches (Show). It hosts what
// the features share: the browser (Host, Env), goroutines (Go, Update),
// the error banner (Recover), the permalink, and loading a program. Each
// feature's behaviour is on its own state type (DebugState and its
// ProfileState, RelocState, IxForm, HashState, SpeedState, TourState,
// listState), or on Loaded for
// what is made from the program alone, and a feature sees the page only
// through its hub.
type App struct {
	Host Host
	// Env is the renderer's event environment, for goroutines that change
	// state after a handler has returned.
	Env vugu.EventEnv
	// Compiled is the browser's compiled tier, nil where there is none.
	Compiled CompiledTier

	Screen

	Hash HashState

	Prog     *Loaded // nil until something is loaded
	Source   string  // the assembly editor's text
	BuildErr string  // why the editor's text did not build
	Reloc    RelocState
	Debug    DebugState
	List     listState // the listing's window
	Speed    SpeedState
	Tour     TourState
	Trace    TraceState // the Recorded run view

	// Ix is the instruction runtime runs execute (the Instruction panel).
	Ix IxForm
	// Pending is the program a link names and the page does not have.
	Pending   *PendingFile
	link      linkMemory
	restoring bool // a link is being applied: Permalink writes nothing
}

// Screen is what the page shows around the views: which view, the banners
// and where to scroll after the next render. App embeds it; a feature
// changes it through hub.screen.
type Screen struct {
	View   string
	Err    string // shown in a red banner until dismissed
	Notice string // shown in a neutral banner

	// ScrollTo is the id of an element to bring into view after the next
	// render (the debugger's position, a followed jump); the page clears it.
	ScrollTo string
	// ScrollCenter centres ScrollTo in its scrolling box (go to, an error,
	// opening a view); otherwise the box scrolls only when the element is
	// out of sight.
	ScrollCenter bool
}

// hub is what a feature's state sees of the page around it. NewApp gives
// each feature the App as its hub, and the features reach the rest of the
// page only through these methods (and the sibling states NewApp hands
// them, where one feature drives another).
type hub interface {
	// Recover turns a panic into the error banner. Defer it directly at
	// the top of every event handler and goroutine (App.Recover).
	Recover(what string)
	// Go runs fn in a goroutine; fn changes state only inside Update.
	Go(what string, fn func())
	Update(what string, fn func())
	// Permalink writes the page's state into the URL fragment.
	Permalink()
	// Show switches to view id as its tab does.
	Show(id string)
	// screen is the view, the banners and the scroll request.
	screen() *Screen
	// program is the loaded program, nil before one is loaded.
	program() *Loaded
	// host is the browser, nil in some tests.
	host() Host
	// live reports whether the page has an event environment: long work
	// then runs in slices in a goroutine; without one (tests) it runs
	// inline.
	live() bool
	// compiled is the browser's compiled tier, nil where there is none.
	compiled() CompiledTier
}

var _ hub = (*App)(nil)

func (a *App) screen() *Screen  { return &a.Screen }
func (a *App) program() *Loaded { return a.Prog }
func (a *App) host() Host       { return a.Host }
func (a *App) live() bool       { return a.Env != nil }

func (a *App) compiled() CompiledTier { return a.Compiled }

// NewApp returns the initial state.
func NewApp(h Host) *App {
	a := &App{Host: h, Screen: Screen{View: "load"}}
	a.List = listState{hub: a, debug: &a.Debug, pc: -1, cursor: -1}
	a.Reloc = RelocState{hub: a}
	a.Speed = SpeedState{hub: a, debug: &a.Debug}
	a.Trace = TraceState{hub: a}
	a.Tour = TourState{hub: a, source: &a.Source, reloc: &a.Reloc, hash: &a.Hash, debug: &a.Debug, Step: -1}
	a.Hash = HashState{hub: a, Mode: "name", Input: "log"}
	a.Ix = newIxForm()
	a.Ix.hub, a.Ix.debug = a, &a.Debug
	a.Debug = DebugState{hub: a, ix: &a.Ix, trace: &a.Trace, Budget: fmt.Sprint(DefaultBudget), Breakpoints: map[int]bool{}, Cursor: -1, MemRegion: "input"}
	a.Debug.Prof = ProfileState{hub: a, debug: &a.Debug}
	a.Hash.Compute()
	a.Source = starterSource
	return a
}

// Show switches to view id.
func (a *App) Show(id string) {
	defer a.Recover("show " + id)
	a.View = id
	if id == "speed" {
		a.Speed.CheckServer()
	}
	if id == "debug" {
		a.Debug.prepare()
	}
	a.Permalink()
}

// Fail shows err in the error banner.
func (s *Screen) Fail(err error) {
	if err != nil {
		s.Err = err.Error()
	}
}

// ClearErr dismisses the error banner.
func (a *App) ClearErr() {
	defer a.Recover("dismiss")
	a.Err = ""
}

// Recover must be deferred directly (`defer a.Recover("what")`) at the top of
// every event handler and goroutine. A panic that escapes a WebAssembly
// callback ends the Go program and freezes the page; Recover turns it into
// an error banner and a console stack trace instead.
func (a *App) Recover(what string) {
	r := recover()
	if r == nil {
		return
	}
	a.Err = fmt.Sprintf("internal error while handling %s: %v (the page keeps working; details in the console)", what, r)
	if a.Host != nil {
		a.Host.Log(a.Err + "\n" + string(debug.Stack()))
	}
}

// Update runs fn from a goroutine: under the render lock, with panics
// recovered, and re-renders afterwards.
func (a *App) Update(what string, fn func()) {
	a.Env.Lock()
	defer a.Env.UnlockRender()
	defer a.Recover(what)
	fn()
}

// scrollTo asks the page to bring element id into view after the next
// render: centred, or (center false) only as far as needed.
func (s *Screen) scrollTo(id string, center bool) {
	s.ScrollTo, s.ScrollCenter = id, center
}

// Go starts fn in a goroutine with panics recovered. fn calls Update to
// change state.
func (a *App) Go(what string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				a.Update(what, func() { panic(r) })
			}
		}()
		fn()
	}()
}

// TabClass is the CSS class of the tab for view id.
func (s *Screen) TabClass(id string) string {
	if s.View == id {
		return "tab active"
	}
	return "tab"
}

// hexBytes formats b as space-separated hex pairs.
func hexBytes(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3*len(b))
	for i, x := range b {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}

// starterSource is the editor's text when the page opens.
const starterSource = `# Edit me, then build. r0 at exit is the result.
.rodata greeting "hello"
entrypoint:
    lddw r1, greeting
    mov64 r2, 5
    call log            # a syscall: prints "hello"
    mov64 r1, 6
    call square         # a local function: a relative call
    exit

square:
    mov64 r0, r1
    mul64 r0, r1
    exit
`
