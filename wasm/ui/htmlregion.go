package ui

import (
	"strings"

	"github.com/vugu/vugu"
	js "github.com/vugu/vugu/js"
)

// Views drawn from HTML strings go into <rbpf-html> elements, which vugu
// builds without children, and setHTML fills them from vg-js-populate
// after every render, but only when the string changed: so a button
// under the pointer, a field being typed in and the focus survive the
// renders a running program makes every 40 ms. No template uses the tag
// for anything else, so an element vugu reuses at the same place has
// only ever held such a string.

// setHTML puts h into el unless el holds it already, keeping the focus
// (and a text field's selection) on the control with the same name.
func setHTML(el js.Value, h vugu.HTML) {
	if !el.Truthy() {
		return
	}
	// The string last put in is kept on the Go side: reading it back
	// from the element would copy it out of JavaScript on every render.
	if m := el.Get("rbpfGen"); m.Type() == js.TypeNumber {
		if prev, ok := htmlRegions[m.Int()]; ok && prev.html == h {
			return
		}
	}
	doc := js.Global().Get("document")
	act := doc.Get("activeElement")
	var name string
	var start, end js.Value
	if act.Truthy() && el.Call("contains", act).Bool() {
		name = act.Get("name").String()
		start, end = act.Get("selectionStart"), act.Get("selectionEnd")
	}
	el.Set("innerHTML", string(h))
	keepHTML(el, h)
	if name == "" || name == "<undefined>" {
		return
	}
	if n := el.Call("querySelector", `[name="`+name+`"]`); n.Truthy() {
		n.Call("focus")
		if start.Type() == js.TypeNumber {
			n.Call("setSelectionRange", start, end)
		}
	}
}

// htmlRegion is what setHTML last put into the element marked with its
// key; an element that vugu made anew carries no mark and is filled anew.
type htmlRegion struct {
	el   js.Value
	html vugu.HTML
}

var (
	htmlRegions = map[int]htmlRegion{}
	htmlGen     int
)

// keepHTML marks el with a new key for h. The page has a few dozen
// regions at most; when more are kept, those whose element has left the
// page are dropped.
func keepHTML(el js.Value, h vugu.HTML) {
	if m := el.Get("rbpfGen"); m.Type() == js.TypeNumber {
		delete(htmlRegions, m.Int())
	}
	if len(htmlRegions) > 64 {
		for k, r := range htmlRegions {
			if !r.el.Get("isConnected").Bool() {
				delete(htmlRegions, k)
			}
		}
	}
	htmlGen++
	el.Set("rbpfGen", htmlGen)
	htmlRegions[htmlGen] = htmlRegion{el: el, html: h}
}

// rowRegion is what setRows last put into an element: the element is
// marked with gen, so an element vugu made anew is filled whole.
type rowRegion struct {
	gen  int
	rows []string
}

var (
	rowRegions = map[string]*rowRegion{} // by element id
	rowGen     int
)

// setRows fills el with rows, one child element each. When el holds the
// same number of rows from the last call, only the rows that changed are
// replaced (a debugger step changes two or three of the listing's
// hundreds); otherwise, or when most changed (the window moved), el is
// filled anew in one assignment.
func setRows(el js.Value, rows []string) {
	if !el.Truthy() {
		return
	}
	id := el.Get("id").String()
	r := rowRegions[id]
	mark := el.Get("rbpfRows")
	if r != nil && mark.Type() == js.TypeNumber && mark.Int() == r.gen && len(r.rows) == len(rows) {
		var changed []int
		for i := range rows {
			if rows[i] != r.rows[i] {
				changed = append(changed, i)
			}
		}
		if len(changed) <= len(rows)/4 {
			kids := el.Get("children")
			if kids.Length() == len(rows) {
				for _, i := range changed {
					kids.Index(i).Set("outerHTML", rows[i])
					r.rows[i] = rows[i]
				}
				return
			}
		}
	}
	rowGen++
	el.Set("innerHTML", strings.Join(rows, ""))
	el.Set("rbpfRows", rowGen)
	rowRegions[id] = &rowRegion{gen: rowGen, rows: append([]string(nil), rows...)}
}
