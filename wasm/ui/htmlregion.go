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
	if r := kept(el); r != nil && r.rows == nil && r.html == h {
		return
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
	keep(el, &region{html: h})
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

// region is what setHTML or setRows last put into the element marked
// with its key ("rbpfGen"); an element vugu made anew carries no mark
// and is filled anew.
type region struct {
	el   js.Value
	html vugu.HTML // setHTML's string
	rows []string  // setRows's rows
}

var (
	regions   = map[int]*region{}
	regionGen int
)

// kept is what was last put into el, nil for an element never filled.
func kept(el js.Value) *region {
	if m := el.Get("rbpfGen"); m.Type() == js.TypeNumber {
		return regions[m.Int()]
	}
	return nil
}

// keep marks el with a new key for r. The page has a few dozen regions
// at most; when more are kept, those whose element has left the page are
// dropped.
func keep(el js.Value, r *region) {
	if m := el.Get("rbpfGen"); m.Type() == js.TypeNumber {
		delete(regions, m.Int())
	}
	if len(regions) > 64 {
		for k, r := range regions {
			if !r.el.Get("isConnected").Bool() {
				delete(regions, k)
			}
		}
	}
	regionGen++
	r.el = el
	el.Set("rbpfGen", regionGen)
	regions[regionGen] = r
}

// setRows fills el with rows, one child element each. When el holds the
// same number of rows from the last call, only the rows that changed are
// replaced (a debugger step changes two or three of the listing's
// hundreds); otherwise, or when most changed (the window moved), el is
// filled anew in one assignment.
func setRows(el js.Value, rows []string) {
	if !el.Truthy() {
		return
	}
	if r := kept(el); r != nil && r.rows != nil && len(r.rows) == len(rows) {
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
	el.Set("innerHTML", strings.Join(rows, ""))
	keep(el, &region{rows: append([]string(nil), rows...)})
}
