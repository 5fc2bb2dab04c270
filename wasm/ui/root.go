package ui

// Root is the whole page: header, tabs, banners and the current view.
type Root struct {
	App *App

	Load *LoadPanel
	Hash *HashPanel
}

// NewRoot builds the component tree over app.
func NewRoot(app *App) *Root {
	return &Root{
		App:  app,
		Load: &LoadPanel{App: app},
		Hash: &HashPanel{App: app},
	}
}
