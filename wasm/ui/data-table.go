package ui

import (
	"fmt"

	"github.com/vugu/vugu"
)

// Row is one row of a DataTable.
type Row struct {
	Cells []string
	Class string // CSS class of the row: "pass", "fail", "skipped", "cur"...
	Title string // the row's tooltip, e.g. the raw name of a demangled symbol
}

// DataTable is a plain table of text cells in monospace, the shape most of
// the inspector's facts have.
type DataTable struct {
	ID    string
	Title string
	Note  string // shown under the title, e.g. why the table is empty
	Head  []string
	Rows  []Row
	// Hidden counts the rows limitRows left out, Expand shows them all.
	Hidden int
	Expand func()
}

// maxTableRows is how many rows a table draws until asked for all: a real
// program's symbol tables and calls map run to thousands of rows, and vugu
// rebuilds every row on every render.
const maxTableRows = 100

// limitRows leaves out the rows of t beyond maxTableRows, the last ones or
// with keepLast the first ones, unless open[t.ID] is set; t.Expand sets it.
func limitRows(t *DataTable, open map[string]bool, keepLast bool) *DataTable {
	n := len(t.Rows)
	if n <= maxTableRows || open[t.ID] {
		return t
	}
	t.Hidden = n - maxTableRows
	if keepLast {
		t.Rows = t.Rows[t.Hidden:]
	} else {
		t.Rows = t.Rows[:maxTableRows]
	}
	t.Expand = func() { open[t.ID] = true }
	return t
}

// MoreText is the label of the button that shows the hidden rows.
func (t *DataTable) MoreText() string {
	if t.Hidden == 1 {
		return "show the other row"
	}
	return fmt.Sprintf("show the other %d rows", t.Hidden)
}

// dataTableView is what a DataTable draws (dataTableTmpl).
type dataTableView struct {
	Title, Note, More string
	Head              []string
	Rows              []Row
	_                 [0]func()
}

// HTML draws the table as one string: as a vugu template its elements
// cost the page 20 KB of WebAssembly, and every table of the inspector
// was compared element by element on every render.
func (t *DataTable) HTML() vugu.HTML {
	v := dataTableView{Title: t.Title, Note: t.Note, Head: t.Head, Rows: t.Rows}
	if t.Hidden > 0 {
		v.More = t.MoreText()
	}
	return dataTableTmpl.render(v)
}

// Click takes a click in the table: its "show the other rows" button.
func (t *DataTable) Click(name string) {
	if name == "do:more" && t.Expand != nil {
		t.Expand()
	}
}

var dataTableTmpl = newTmpl(`{?Title}<h3>{Title}</h3>{/}{?Note}<p class="note">{Note}</p>{/}
{?Rows}<table class="facts"><thead><tr>{*Head}<th>{.}</th>{/}</tr></thead><tbody>{*Rows}<tr{?Class} class="{Class}"{/}{?Title} title="{Title}"{/}>{*Cells}<td>{.}</td>{/}</tr>{/}</tbody></table>{/}
{?More}<button class="plain more" name="do:more">{More}</button>{/}`)
