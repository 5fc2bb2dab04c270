package ui

// TracePanel is the Recorded run view (TraceState).
type TracePanel struct {
	App *App
}
