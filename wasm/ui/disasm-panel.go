package ui

import "github.com/vugu/vugu"

// DisasmPanel shows the program's disassembly and the control-flow graph of
// the function under the cursor.
type DisasmPanel struct {
	App     *App
	Listing *Listing
}

// cfgView is the control-flow graph beside the listing (cfgTmpl).
type cfgView struct {
	Title, Note string
	SVG         vugu.HTML
	_           [0]func()
}

// CFGHTML draws the control-flow graph of the current function with its
// title and note as one string, as the page draws its other views.
func (p *Loaded) CFGHTML(d *DebugState) vugu.HTML {
	return cfgTmpl.render(cfgView{Title: p.CFGTitle(d), Note: p.CFGNote(d), SVG: p.CFG(d)})
}

var cfgTmpl = newTmpl(`<h3>{Title}</h3>{?Note}<p class="note" id="cfg-note">{Note}</p>{/}<div id="cfg">{=SVG}</div>`)
