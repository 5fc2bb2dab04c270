package ui

// Root is the whole page: header, tabs, banners and the current view.
type Root struct {
	App *App

	Load    *LoadPanel
	Inspect *InspectPanel
	Reloc   *RelocPanel
	Hash    *HashPanel
	Disasm  *DisasmPanel
	Debug   *DebugPanel
	JIT     *JitPanel
	Speed   *SpeedPanel
	Trace   *TracePanel

	Instruction *InstructionPanel
}

// NewRoot builds the component tree over app.
func NewRoot(app *App) *Root {
	return &Root{
		App:     app,
		Load:    &LoadPanel{App: app},
		Inspect: &InspectPanel{App: app},
		Reloc:   &RelocPanel{App: app},
		Hash:    &HashPanel{App: app},
		Disasm:  &DisasmPanel{App: app, Listing: &Listing{App: app}},
		Debug:   &DebugPanel{App: app, Listing: &Listing{App: app}},
		JIT:     &JitPanel{App: app, Listing: &Listing{App: app}},
		Speed:   &SpeedPanel{App: app},
		Trace:   &TracePanel{App: app},

		Instruction: &InstructionPanel{App: app},
	}
}
