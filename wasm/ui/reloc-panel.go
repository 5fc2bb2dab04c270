package ui

// RelocPanel replays the loader's relocation log step by step.
type RelocPanel struct {
	App *App
}
