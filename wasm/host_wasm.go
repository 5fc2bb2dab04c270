//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"syscall/js"

	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

// host implements ui.Host with the browser's APIs.
type host struct {
	win, doc, perf js.Value
	app            *ui.App
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

func (h *host) SetFragment(frag string) {
	url := "#" + frag
	if frag == "" {
		url = h.win.Get("location").Get("pathname").String()
	}
	h.win.Get("history").Call("replaceState", js.Null(), "", url)
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
		go app.Update("key "+key, func() { app.Key(key) })
	}))
	h.doc.Call("addEventListener", "change", h.safe("file pick", func(_ js.Value, args []js.Value) {
		t := args[0].Get("target")
		if t.Get("id").String() != "file-pick" {
			return
		}
		if files := t.Get("files"); files.Get("length").Int() > 0 {
			h.readFile(files.Index(0))
		}
		t.Set("value", "")
	}))
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

// scrollIntoView scrolls the element with id into view within its
// scrolling container, if it exists.
func (h *host) scrollIntoView(id string) {
	if el := h.doc.Call("getElementById", id); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}
