package ui

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/vugu/vugu"
)

// Listing is the disassembly: labels, bytes, call targets by name, the
// debugger's position, breakpoints and the execution-count heat margin.
//
// The rows are drawn as HTML strings (ListingRows, setRows) rather than
// as vugu nodes: vugu builds, compares and re-attaches the listeners of
// every node of every row on every render, which made a debugger step on
// a real program take 100 ms and more, while a step changes two or three
// rows. One listener on the listing reads what was clicked from the
// row's data attributes (ListAct).
type Listing struct {
	App *App
}

// Init runs whenever a listing appears on the page (vugu calls it when the
// component enters the tree): the listing then opens on its focus, centred
// (see listRange), instead of where an earlier listing's window was.
func (c *Listing) Init() { c.App.List.view = "" }

// Click takes a click anywhere in the listing's rows.
func (c *Listing) Click(e vugu.DOMEvent) {
	t := e.JSEventTarget()
	if !t.Truthy() {
		return
	}
	act, pc := t.Call("getAttribute", "data-act"), t.Call("getAttribute", "data-pc")
	if !act.Truthy() {
		return
	}
	c.App.ListAct(act.String(), pc.String())
}

// ListAct carries out a click in the listing: act is the clicked part's
// data-act ("bp" toggles a breakpoint, "cursor" selects, "call" explains
// a call's immediate, "jump" follows a jump, "earlier" and "later" page)
// and pc its row's pc.
func (a *App) ListAct(act, pcText string) {
	defer a.Recover("listing " + act)
	switch act {
	case "earlier":
		a.List.Earlier()
		return
	case "later":
		a.List.Later()
		return
	}
	pc, err := strconv.Atoi(pcText)
	if err != nil {
		return
	}
	lines := a.Prog.disasmLines()
	i, ok := lineAt(lines, pc)
	if !ok {
		return
	}
	switch act {
	case "bp":
		a.Debug.ToggleBreakpoint(pc)
	case "cursor":
		a.Debug.SetCursor(pc)
	case "call":
		a.Hash.OpenCall(lines[i])
	case "jump":
		a.List.FollowJump(lines[i])
	}
}

// ListingRows draws the listing's window: the earlier-instructions
// button, one string per instruction (its label and its line) and the
// later-instructions button. setRows puts them on the page, replacing
// only the rows that changed.
func (w *listState) ListingRows() []string {
	rows := w.DisasmRows()
	if len(rows) == 0 {
		return nil
	}
	out := make([]string, 0, len(rows)+2)
	if n := w.Above(); n > 0 {
		out = append(out, fmt.Sprintf(`<button class="more" id="list-earlier" data-act="earlier">▲ %d earlier instructions</button>`, n))
	}
	// A row's HTML is made again only when what it shows changed: most
	// renders change two or three rows of the window.
	p := w.hub.program()
	prev, next := p.rowHTML, make(map[int]cachedRow, len(rows))
	var b strings.Builder
	for i := range rows {
		l := &rows[i]
		key := l.Class + "\x00" + l.Count + "\x00" + l.Heat + "\x00" + l.Note
		c, ok := prev[l.PC]
		if !ok || c.key != key {
			b.Reset()
			l.writeHTML(&b)
			c = cachedRow{key: key, html: b.String()}
		}
		next[l.PC] = c
		out = append(out, c.html)
	}
	p.rowHTML = next
	if n := w.Below(); n > 0 {
		out = append(out, fmt.Sprintf(`<button class="more" id="list-later" data-act="later">▼ %d later instructions</button>`, n))
	}
	return out
}

// writeHTML writes the row of one instruction: its label, if any, above
// a line of the heat margin, breakpoint gutter, position marker, pc,
// rbpf's number, bytes, text and note. Titles explain each column.
func (l *DisLine) writeHTML(b *strings.Builder) {
	pc := strconv.Itoa(l.PC)
	esc := html.EscapeString
	b.WriteString("<div>")
	if l.Label != "" {
		b.WriteString(`<div class="lbl"`)
		if l.RawLabel != "" {
			b.WriteString(` title="` + esc(l.RawLabel) + `"`)
		}
		b.WriteString(">" + esc(l.Label) + ":</div>")
	}
	b.WriteString(`<div class="` + l.Class + `" id="pc-` + pc + `">`)
	b.WriteString(`<span class="heat"`)
	if l.Heat != "" {
		b.WriteString(` style="` + l.Heat + `" title="` + l.Count + ` executions"`)
	}
	b.WriteString(">" + l.Count + "</span>")
	at := ` data-pc="` + pc + `"`
	b.WriteString(`<span class="gut" title="toggle breakpoint" data-act="bp"` + at + `>●</span><span class="mark"></span>`)
	b.WriteString(`<span class="pc" data-act="cursor"` + at + `>` + pc + `</span>`)
	b.WriteString(`<span class="insn" data-act="cursor"` + at + `>` + l.Insn + `</span>`)
	b.WriteString(`<span class="bytes" data-act="cursor"` + at + `>` + l.Bytes + `</span>`)
	switch {
	case l.Call:
		b.WriteString(`<span class="txt call" title="how this immediate was made" data-act="call"` + at + `>` + esc(l.Text) + `</span>`)
	default:
		b.WriteString(`<span class="txt" data-act="cursor"` + at + `>` + esc(l.Text) + `</span>`)
	}
	switch {
	case !l.Call && l.Target >= 0:
		b.WriteString(`<span class="note jump" data-act="jump"` + at + `>` + esc(l.Note) + `</span>`)
	case l.Note != "":
		b.WriteString(`<span class="note">` + esc(l.Note) + `</span>`)
	}
	b.WriteString("</div></div>")
}

// cachedRow is a listing row's HTML and the per-render state it was made
// from (class, execution count, heat and note).
type cachedRow struct{ key, html string }
