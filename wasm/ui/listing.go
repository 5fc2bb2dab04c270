package ui

// Listing is the disassembly: labels, bytes, call targets by name, the
// debugger's position, breakpoints and the execution-count heat margin.
type Listing struct {
	App *App
}
