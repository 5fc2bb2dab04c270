package ui

// DebugPanel is the debugger: controls, listing, registers, frames,
// memory and the syscall log.
type DebugPanel struct {
	App     *App
	Listing *Listing
}
