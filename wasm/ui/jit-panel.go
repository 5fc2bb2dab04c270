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
	// The compiled tier's code for the slot, or why there is none.
	WasmSummary, WasmText, WasmErr string
	_                              [0]func()
}

// JITSideHTML draws the machine code of the instruction under the
// cursor as one string, as the page draws its other views.
func (p *Loaded) JITSideHTML(d *DebugState) vugu.HTML {
	v := jitSideView{Summary: p.JITSummary(), Title: p.JITTitle(d), Note: p.JITNote(d), Rows: p.JITRows(d)}
	v.WasmSummary, v.WasmText, v.WasmErr = p.wasmSide(d)
	return jitSideTmpl.render(v)
}

var jitSideTmpl = newTmpl(`<p class="note" id="jit-summary">{Summary}</p><h3 id="jit-title">{Title}</h3>{?Note}<p class="note">{Note}</p>{/}
<table class="x86" id="jit-code"><tbody>{*Rows}<tr><td class="off">{Offset}</td><td class="xb">{Bytes}</td><td class="xt">{Text}</td></tr>{/}</tbody></table>
<h3 id="wasm-title">The same instruction in WebAssembly</h3>{?WasmErr}<p class="note">{WasmErr}</p>{/}
{?WasmSummary}<p class="note" id="wasm-summary">{WasmSummary}</p><pre class="wasm mono" id="wasm-code">{WasmText}</pre>{/}`)
