package ui

import (
	"fmt"

	"github.com/vugu/vugu"
)

// HashPanel shows how a symbol name or an instruction index becomes the
// immediate of a `call` instruction.
type HashPanel struct {
	App *App
}

// hashOutView is the hash and its steps (hashOutTmpl).
type hashOutView struct {
	Err, Key, Hash, Imm, Lookup string
	Done                        bool
	Rows                        []hashRowView
	_                           [0]func()
}

// hashRowView is a step, its group named on the group's first row.
type hashRowView struct {
	Class, Group, Op, Value string
	_                       [0]func()
}

// OutHTML draws the hash, the call immediate, what the VM finds under it
// and every step as one string: a vugu template of them cost the page
// 40 KB of WebAssembly.
func (h *HashState) OutHTML() vugu.HTML {
	v := hashOutView{Err: h.Err, Done: h.Done, Key: h.Key, Hash: fmt.Sprintf("0x%08x", h.Hash), Imm: h.ImmText(), Lookup: h.Lookup}
	for i, r := range h.Rows {
		v.Rows = append(v.Rows, hashRowView{Class: h.RowClass(i), Group: h.GroupLabel(i), Op: r.Op, Value: r.Value})
	}
	return hashOutTmpl.render(v)
}

var hashOutTmpl = newTmpl(`{?Err}<div class="err">{Err}</div>{/}
{?Done}<div class="hash-out"><div class="result">
<div class="kv"><span class="k">bytes hashed</span><code id="hash-key">{Key}</code></div>
<div class="kv"><span class="k">hash</span><code id="hash-result" class="big">{Hash}</code></div>
<div class="kv"><span class="k">call immediate</span><code id="hash-imm">{Imm}</code></div>
<div class="kv"><span class="k">the VM finds</span><span id="hash-lookup">{Lookup}</span></div></div>
<table class="steps"><tbody>{*Rows}<tr{?Class} class="{Class}"{/}><th class="grp">{Group}</th><td class="op mono">{Op}</td><td class="val mono">{Value}</td></tr>{/}</tbody></table></div>{/}`)
