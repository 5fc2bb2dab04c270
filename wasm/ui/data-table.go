package ui

// Row is one row of a DataTable.
type Row struct {
	Cells []string
	Class string // CSS class of the row: "pass", "fail", "skipped", "cur"...
}

// DataTable is a plain table of text cells in monospace, the shape most of
// the inspector's facts have.
type DataTable struct {
	ID    string
	Title string
	Note  string // shown under the title, e.g. why the table is empty
	Head  []string
	Rows  []Row
}
