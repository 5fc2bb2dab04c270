package ui

// Listing is the disassembly: labels, bytes, call targets by name, the
// debugger's position, breakpoints and the execution-count heat margin.
type Listing struct {
	App *App
}

// Init runs whenever a listing appears on the page (vugu calls it when the
// component enters the tree): the listing then opens on its focus, centred
// (see listRange), instead of where an earlier listing's window was.
func (c *Listing) Init() { c.App.List.view = "" }
