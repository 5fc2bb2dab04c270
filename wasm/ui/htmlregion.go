package ui

import (
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
	if prev := el.Get("rbpfHTML"); prev.Type() == js.TypeString && prev.String() == string(h) {
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
	el.Set("rbpfHTML", string(h))
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
