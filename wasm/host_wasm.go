//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"syscall/js"

	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

// host implements ui.Host with the browser's APIs.
type host struct {
	win, doc, perf js.Value
	app            *ui.App
	renders        int
	catchUpGen     int
	early          js.Value // what the visitor did before the program started
	link           struct {
		frag               string
		pending, scheduled bool
		flush, after       js.Func
	}
}

func newHost() *host {
	w := js.Global()
	return &host{win: w, doc: w.Get("document"), perf: w.Get("performance")}
}

func (h *host) Now() float64 { return h.perf.Call("now").Float() }

func (h *host) Log(msg string) { h.win.Get("console").Call("log", msg) }

func (h *host) log(msg string) { h.Log(msg) }

// Download saves data as name through a temporary object URL and a
// download link.
func (h *host) Download(name string, data []byte) {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	blob := js.Global().Get("Blob").New([]any{u8}, map[string]any{"type": "application/octet-stream"})
	urls := js.Global().Get("URL")
	href := urls.Call("createObjectURL", blob)
	a := h.doc.Call("createElement", "a")
	a.Set("href", href)
	a.Set("download", name)
	a.Call("click")
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		urls.Call("revokeObjectURL", href)
		revoke.Release()
		return nil
	})
	h.win.Call("setTimeout", revoke, 60_000)
}

// SetFragment replaces the URL fragment just after the browser has
// painted the change that made the new fragment: replaceState
// takes the browser a few ms (tens on a busy machine), which a debugger
// step would otherwise wait for before it is shown. Later calls before
// then only change what is written. window.rbpfLinkPending is true while
// a fragment waits (the browser tests wait for it to clear).
func (h *host) SetFragment(frag string) {
	h.link.frag, h.link.pending = frag, true
	if h.link.scheduled {
		return
	}
	h.link.scheduled = true
	h.win.Set("rbpfLinkPending", true)
	if h.link.flush.IsUndefined() {
		h.link.flush = js.FuncOf(func(js.Value, []js.Value) any {
			h.flushFragment()
			return nil
		})
		// A task queued from an animation frame runs after that frame is
		// painted.
		h.link.after = js.FuncOf(func(js.Value, []js.Value) any {
			h.win.Call("setTimeout", h.link.flush, 0)
			return nil
		})
	}
	h.win.Call("requestAnimationFrame", h.link.after)
}

// flushFragment writes the waiting fragment, if any.
func (h *host) flushFragment() {
	if h.link.pending {
		h.history("replaceState", h.link.frag)
	}
	h.link.pending, h.link.scheduled = false, false
	h.win.Set("rbpfLinkPending", false)
}

// PushFragment adds a history entry for frag, so that back returns to the
// fragment before it (which first gets the fragment still waiting for it).
func (h *host) PushFragment(frag string) {
	h.flushFragment()
	h.history("pushState", frag)
}

func (h *host) history(method, frag string) {
	url := "#" + frag
	if frag == "" {
		url = h.win.Get("location").Get("pathname").String()
	}
	h.win.Get("history").Call(method, js.Null(), "", url)
}

// fragment is the URL fragment without '#'.
func (h *host) fragment() string {
	f := h.win.Get("location").Get("hash").String()
	if len(f) > 0 && f[0] == '#' {
		f = f[1:]
	}
	return f
}

// await blocks the calling goroutine until p settles. Never call it from a
// JS callback: the callback would wait for itself.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	var ok, fail js.Func
	ok = js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	fail = js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- result{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	p.Call("then", ok, fail)
	r := <-ch
	ok.Release()
	fail.Release()
	return r.v, r.err
}

func (h *host) Fetch(method, url string, body []byte) (int, []byte, error) {
	opts := map[string]any{"method": method}
	if body != nil {
		arr := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(arr, body)
		opts["body"] = arr
		opts["headers"] = map[string]any{"Content-Type": "application/json"}
	}
	resp, err := await(h.win.Call("fetch", url, opts))
	if err != nil {
		return 0, nil, err
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, err
	}
	return resp.Get("status").Int(), bytesOf(buf), nil
}

func (h *host) Yield() {
	ch := make(chan struct{})
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		close(ch)
		return nil
	})
	h.win.Call("setTimeout", f, 0)
	<-ch
	f.Release()
}

// AfterPaint blocks until a task queued from the next animation frame
// runs, which is after that frame is painted.
func (h *host) AfterPaint() {
	ch := make(chan struct{})
	var frame, task js.Func
	task = js.FuncOf(func(js.Value, []js.Value) any {
		close(ch)
		return nil
	})
	frame = js.FuncOf(func(js.Value, []js.Value) any {
		h.win.Call("setTimeout", task, 0)
		return nil
	})
	h.win.Call("requestAnimationFrame", frame)
	<-ch
	frame.Release()
	task.Release()
}

func bytesOf(arrayBuffer js.Value) []byte {
	u8 := js.Global().Get("Uint8Array").New(arrayBuffer)
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b
}

// markFirstRender records when the first render finished, in milliseconds
// since navigation started; the browser test reads it.
func (h *host) markFirstRender() {
	now := h.Now()
	h.win.Set("rbpfFirstRender", now)
	if t := h.win.Get("rbpfTimes"); t.Truthy() {
		t.Set("firstRender", now)
	}
}

// markRender records how long the last build and render took, in ms, and
// how many renders there were; the browser tests read them.
func (h *host) markRender(ms float64) {
	h.win.Set("rbpfRenderMS", ms)
	h.renders++
	h.win.Set("rbpfRenders", h.renders)
}

// markMain records when Go's main started.
func (h *host) markMain() {
	if t := h.win.Get("rbpfTimes"); t.Truthy() {
		t.Set("main", h.Now())
	}
}

// safe wraps a JS callback so that a panic becomes an error banner instead
// of ending the program.
func (h *host) safe(what string, fn func(this js.Value, args []js.Value)) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		defer func() {
			if r := recover(); r != nil {
				msg := fmt.Sprintf("internal error while handling %s: %v", what, r)
				h.Log(msg + "\n" + string(debug.Stack()))
				go h.app.Update(what, func() { h.app.Err = msg })
			}
		}()
		fn(this, args)
		return nil
	})
}

// listen installs the page-wide listeners vugu does not cover: dropping a
// file anywhere on the page and the file picker, both of which need the
// File objects of the event.
func (h *host) listen(app *ui.App) {
	h.app = app
	// From here on the program's own listeners take events: the page's
	// script stops keeping them (web/index.html), and replayEarly replays
	// what it kept.
	h.early = h.win.Get("rbpfEarly")
	h.win.Set("rbpfEarly", js.Null())
	if !h.doc.Call("getElementById", ui.RuntimeCSSID).Truthy() {
		style := h.doc.Call("createElement", "style")
		style.Set("id", ui.RuntimeCSSID)
		style.Set("textContent", ui.RuntimeCSS)
		h.doc.Get("head").Call("appendChild", style)
	}
	overlay := h.doc.Call("getElementById", "drop-overlay")
	setOverlay := func(show bool) {
		if overlay.Truthy() {
			overlay.Set("hidden", !show)
		}
	}
	h.doc.Call("addEventListener", "dragover", h.safe("dragover", func(_ js.Value, args []js.Value) {
		args[0].Call("preventDefault")
		setOverlay(true)
	}))
	h.doc.Call("addEventListener", "dragleave", h.safe("dragleave", func(_ js.Value, args []js.Value) {
		if !args[0].Get("relatedTarget").Truthy() {
			setOverlay(false)
		}
	}))
	h.doc.Call("addEventListener", "drop", h.safe("drop", func(_ js.Value, args []js.Value) {
		ev := args[0]
		ev.Call("preventDefault")
		setOverlay(false)
		files := ev.Get("dataTransfer").Get("files")
		if files.Get("length").Int() > 0 {
			h.readFile(files.Index(0))
		}
	}))
	h.doc.Call("addEventListener", "keydown", h.safe("key", func(_ js.Value, args []js.Value) {
		ev := args[0]
		if ev.Get("ctrlKey").Bool() || ev.Get("altKey").Bool() || ev.Get("metaKey").Bool() || typing(ev.Get("target")) {
			return
		}
		key := ev.Get("key").String()
		if !app.WantsKey(key) {
			return
		}
		ev.Call("preventDefault")
		if h.quick(key) {
			return
		}
		go app.Update("key "+key, func() { app.Key(key) })
	}))
	// A click on a control whose action ui.App.Quick carries out is taken
	// here, in the capturing phase, before vugu's listener sees it.
	h.doc.Call("addEventListener", "click", h.safe("click", func(_ js.Value, args []js.Value) {
		ev := args[0]
		name := ev.Get("target").Get("name")
		if name.Type() != js.TypeString || !h.quick(name.String()) {
			return
		}
		ev.Call("stopPropagation")
		ev.Call("preventDefault")
	}), map[string]any{"capture": true})
	h.doc.Call("addEventListener", "change", h.safe("file pick", func(_ js.Value, args []js.Value) {
		t := args[0].Get("target")
		files := t.Get("files")
		if !files.Truthy() || files.Get("length").Int() == 0 {
			return
		}
		switch id := t.Get("id").String(); {
		case id == "file-pick":
			h.readFile(files.Index(0))
		case id == "ix-import-file":
			h.readBytes(files.Index(0), func(_ string, b []byte) { app.Ix.ImportInstruction(b) })
		case t.Call("hasAttribute", "data-account").Bool():
			i, err := strconv.Atoi(t.Call("getAttribute", "data-account").String())
			if err != nil {
				return
			}
			h.readBytes(files.Index(0), func(name string, b []byte) { app.Ix.SetAccountFile(i, name, b) })
		default:
			return
		}
		t.Set("value", "")
	}))
	// Back, forward and links within the page change the fragment.
	nav := h.safe("navigation", func(js.Value, []js.Value) {
		h.link.pending = false // it was meant for the entry just left
		frag := h.fragment()
		go app.Update("navigation", func() { app.Navigate(frag) })
	})
	h.win.Call("addEventListener", "popstate", nav)
	h.win.Call("addEventListener", "hashchange", nav)
}

// quick carries out the control or key name through ui.App.Quick when it
// is one of its actions, draws the debugger's regions in place and
// scrolls, all before the browser's next frame; a full render follows
// once the page has been idle for catchUpMillis. window.rbpfQuickMS is
// the time the last one took.
func (h *host) quick(name string) bool {
	app := h.app
	t0 := h.Now()
	app.Env.Lock()
	done := app.Quick(name)
	if done {
		app.PaintDebug()
	}
	id, center := app.ScrollTo, app.ScrollCenter
	if done {
		app.ScrollTo, app.ScrollCenter = "", false
	}
	app.Env.UnlockOnly()
	if !done {
		return false
	}
	if id != "" {
		h.scrollIntoView(id, center)
	}
	h.win.Set("rbpfQuickMS", h.Now()-t0)
	h.catchUp()
	return true
}

// catchUpMillis is how long the page waits after the last quick action
// before it renders the whole tree.
const catchUpMillis = 400

// catchUp schedules one full render catchUpMillis after the last call.
func (h *host) catchUp() {
	h.catchUpGen++
	gen := h.catchUpGen
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		if gen == h.catchUpGen {
			go h.app.Update("drawing the page", func() {})
		}
		return nil
	})
	h.win.Call("setTimeout", f, catchUpMillis)
}

// replayEarly applies what the visitor did on the prerendered first view
// before the program started (web/index.html keeps it): the text typed
// into fields with an id, then the last file dropped or picked, then each
// click on a button, found again by its id or name, one per painted frame
// so that a click sees what the one before it drew. Run it in a goroutine
// after the first render.
func (h *host) replayEarly() {
	e := h.early
	if !e.Truthy() {
		return
	}
	inputs := e.Get("inputs")
	keys := js.Global().Get("Object").Call("keys", inputs)
	for i := 0; i < keys.Length(); i++ {
		id := keys.Index(i).String()
		v := inputs.Get(id).String()
		if id == "asm-src" {
			h.app.Update("typed text", func() { h.app.Source = v })
		} else if el := h.doc.Call("getElementById", id); el.Truthy() {
			el.Set("value", v)
		}
	}
	if files := e.Get("files"); files.Length() > 0 {
		h.readFile(files.Index(files.Length() - 1))
	}
	clicks := e.Get("clicks")
	for i := 0; i < clicks.Length(); i++ {
		h.AfterPaint()
		c := clicks.Index(i)
		el := js.Null()
		if id := c.Get("id").String(); id != "" {
			el = h.doc.Call("getElementById", id)
		}
		if name := c.Get("name").String(); !el.Truthy() && name != "" {
			el = h.doc.Call("querySelector", `button[name="`+h.win.Get("CSS").Call("escape", name).String()+`"]`)
		}
		if el.Truthy() {
			el.Call("click")
		}
	}
}

// typing reports whether a key press on target goes into a text field.
func typing(target js.Value) bool {
	if !target.Truthy() {
		return false
	}
	if target.Get("isContentEditable").Truthy() {
		return true
	}
	tag := target.Get("tagName")
	if tag.Type() != js.TypeString {
		return false
	}
	switch tag.String() {
	case "INPUT", "TEXTAREA", "SELECT":
		return true
	}
	return false
}

// readBytes reads a file no larger than ui.MaxFileSize and hands its
// bytes to use, under the render lock.
func (h *host) readBytes(f js.Value, use func(name string, b []byte)) {
	name, size := f.Get("name").String(), f.Get("size").Int()
	if size > ui.MaxFileSize {
		go h.app.Update("file", func() { h.app.RefuseFile(name, size) })
		return
	}
	go func() {
		buf, err := await(f.Call("arrayBuffer"))
		h.app.Update("read "+name, func() {
			if err != nil {
				h.app.Err = fmt.Sprintf("could not read %s: %v", name, err)
				return
			}
			use(name, bytesOf(buf))
		})
	}()
}

// readFile refuses a file above ui.MaxFileSize before reading it, otherwise
// reads it and hands it to the app.
func (h *host) readFile(f js.Value) {
	name, size := f.Get("name").String(), f.Get("size").Int()
	if size > ui.MaxFileSize {
		go h.app.Update("file", func() { h.app.RefuseFile(name, size) })
		return
	}
	go func() {
		buf, err := await(f.Call("arrayBuffer"))
		h.app.Update("load "+name, func() {
			if err != nil {
				h.app.Err = fmt.Sprintf("could not read %s: %v", name, err)
				return
			}
			h.app.LoadFile(name, bytesOf(buf))
		})
	}()
}

// scrollIntoView brings the element with id, if it exists, into view
// within its scrolling box (the listing, the relocation steps): centred
// when center is set, else only when it is out of sight, and then centred
// too, so that a step or a followed jump lands with context around it.
// Only an explicit move (center) also scrolls the page, and only as far as
// needed to show the element below the sticky tab bar: stepping never
// moves the page under the reader.
func (h *host) scrollIntoView(id string, center bool) {
	el := h.doc.Call("getElementById", id)
	if !el.Truthy() {
		return
	}
	if box := h.scrollBox(el); box.Truthy() {
		er, br := el.Call("getBoundingClientRect"), box.Call("getBoundingClientRect")
		top := er.Get("top").Float() - br.Get("top").Float() - box.Get("clientTop").Float()
		height, view := er.Get("height").Float(), box.Get("clientHeight").Float()
		if center || top < 0 || top+height > view {
			box.Set("scrollTop", box.Get("scrollTop").Float()+top-(view-height)/2)
		}
	}
	if !center {
		return
	}
	er := el.Call("getBoundingClientRect")
	header := 0.0
	if bar := h.doc.Call("querySelector", ".top"); bar.Truthy() {
		header = bar.Call("getBoundingClientRect").Get("bottom").Float()
	}
	top, bottom, view := er.Get("top").Float(), er.Get("bottom").Float(), h.win.Get("innerHeight").Float()
	switch {
	case top < header:
		h.win.Call("scrollBy", 0, top-header-8)
	case bottom > view:
		h.win.Call("scrollBy", 0, bottom-view+8)
	}
}

// scrollBox is el's nearest ancestor that scrolls vertically, or a
// JavaScript null.
func (h *host) scrollBox(el js.Value) js.Value {
	for p := el.Get("parentElement"); p.Truthy(); p = p.Get("parentElement") {
		oy := h.win.Call("getComputedStyle", p).Get("overflowY").String()
		if (oy == "auto" || oy == "scroll") && p.Get("scrollHeight").Int() > p.Get("clientHeight").Int() {
			return p
		}
	}
	return js.Null()
}
