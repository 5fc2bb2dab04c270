package ui

import "github.com/vugu/vugu"

// JitPanel shows the x86-64 machine code core/jit emits for the current
// instruction, decoded with x86asm.
type JitPanel struct {
	App     *App
	Listing *Listing
}

// jitSideView is the machine code beside the listing (jitSideTmpl).
type jitSideView struct {
	Summary, Title, Note string
	Rows                 []JITRow
	_                    [0]func()
}

// JITSideHTML draws the machine code of the instruction under the
// cursor as one string, as the page draws its other views.
func (p *Loaded) JITSideHTML(d *DebugState) vugu.HTML {
	return jitSideTmpl.render(jitSideView{Summary: p.JITSummary(), Title: p.JITTitle(d), Note: p.JITNote(d), Rows: p.JITRows(d)})
}

var jitSideTmpl = newTmpl(`<p class="note" id="jit-summary">{Summary}</p><h3 id="jit-title">{Title}</h3>{?Note}<p class="note">{Note}</p>{/}
<table class="x86" id="jit-code"><tbody>{*Rows}<tr><td class="off">{Offset}</td><td class="xb">{Bytes}</td><td class="xt">{Text}</td></tr>{/}</tbody></table>`)
