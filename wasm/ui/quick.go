package ui

import (
	"html"
	"strings"

	"github.com/vugu/vugu"
	js "github.com/vugu/vugu/js"
)

// A debugger step changes nothing on the page but the debugger's string
// regions: the listing's rows, the registers, the position, the frames,
// the memory viewer, the messages and the results. Drawn through vugu, a
// step also rebuilds and re-syncs the whole tree (the tabs, the header,
// every static node of the panel: some 125 DOM writes, 10–30 ms of Go and
// the style work they cause). Quick actions are carried out by the host
// straight from the browser's event and drawn with PaintDebug, region by
// region, without a render; the host renders once more later, when the
// page is idle, so that anything else reflects the new state as well.

// pageRegion is one of the page's string regions: the view it belongs
// to, the element id and what it shows, as one string (html) or as rows
// (rows), from the same function its template populates it from.
type pageRegion struct {
	view string
	id   string
	html func(*App) vugu.HTML
	rows func(*App) []string
}

// pageRegions are the regions PaintDebug redraws after a quick step (every
// region of the debugger view that a step can change: debug-panel.vugu,
// listing.vugu, data-table.vugu) and those of the first view that
// RegionsHTML gives the build (load-panel.vugu).
var pageRegions = []pageRegion{
	{view: "debug", id: "dbg-top", html: func(a *App) vugu.HTML { return a.Debug.TopHTML() }},
	{view: "debug", id: "dbg-msgs", html: func(a *App) vugu.HTML { return a.Debug.MsgHTML() }},
	{view: "debug", id: "dbg-pos", html: func(a *App) vugu.HTML { return a.Debug.PositionHTML() }},
	{view: "debug", id: "listing", rows: func(a *App) []string { return a.List.ListingRows() }},
	{view: "debug", id: "dbg-regs", html: func(a *App) vugu.HTML { return a.Debug.RegsHTML() }},
	{view: "debug", id: "dbg-why", html: func(a *App) vugu.HTML { return a.Debug.WhyHTML() }},
	{view: "debug", id: "frames", html: func(a *App) vugu.HTML { return a.Debug.FramesTable().HTML() }},
	{view: "debug", id: "dbg-mem", html: func(a *App) vugu.HTML { return a.Debug.MemHTML() }},
	{view: "debug", id: "run-results", html: func(a *App) vugu.HTML { return a.Debug.DebugResultsHTML() }},
	{view: "load", id: "load-cards", html: func(*App) vugu.HTML { return loadCardsHTML() }},
}

// RegionsHTML is what each string region of view shows now, by element
// id: the build puts the first view's into the page it prerenders, where
// no script has filled them yet.
func (a *App) RegionsHTML(view string) map[string]string {
	out := map[string]string{}
	for _, r := range pageRegions {
		if r.view != view {
			continue
		}
		if r.rows != nil {
			out[r.id] = strings.Join(r.rows(a), "")
		} else {
			out[r.id] = string(r.html(a))
		}
	}
	return out
}

// PositionHTML is Position as HTML text.
func (d *DebugState) PositionHTML() vugu.HTML {
	return vugu.HTML(html.EscapeString(d.Position()))
}

// quickActions are the controls (by name) and keys whose action Quick
// carries out at once: a step, and a step back.
var quickActions = map[string]string{"do:step": "step", "s": "step", "do:back": "back", "b": "back"}

// quickReplay bounds the instructions a quick step back replays: a
// replay that long takes a few milliseconds; a longer one runs in slices
// (Back), so that the page stays responsive.
const quickReplay = 50_000

// Quick carries out the debugger control or key name at once and reports
// whether it did. It does so only for a step, or a step back over at most
// quickReplay instructions, in the debugger view when no run is going on:
// the page must then be drawn with PaintDebug, not rendered. Anything
// else is left to the normal route (Act, Key). Call it with the render
// lock held.
func (a *App) Quick(name string) (done bool) {
	defer a.Recover("step")
	act := quickActions[name]
	d := &a.Debug
	if act == "" || a.View != "debug" || a.Prog == nil || a.Prog.Prog == nil || d.Running {
		return false
	}
	switch act {
	case "step":
		d.Step()
	case "back":
		if d.vm == nil || d.vm.Executed() > quickReplay {
			return false
		}
		d.back(true)
	}
	return true
}

// PaintDebug draws the debugger's regions from the current state, each
// only where its content changed (setHTML, setRows keep what they last
// wrote). It does nothing outside the debugger view.
func (a *App) PaintDebug() {
	defer a.Recover("drawing the debugger")
	if a.View != "debug" {
		return
	}
	doc := js.Global().Get("document")
	for _, r := range pageRegions {
		el := doc.Call("getElementById", r.id)
		if r.view != "debug" || !el.Truthy() {
			continue
		}
		if r.rows != nil {
			setRows(el, r.rows(a))
		} else {
			setHTML(el, r.html(a))
		}
	}
}
