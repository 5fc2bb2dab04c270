package ui

// InspectPanel shows what the loader found in the current file.
type InspectPanel struct {
	App *App
}
