package ui

// SpeedPanel compares the browser's interpreter with the native server's
// interpreter and JIT.
type SpeedPanel struct {
	App *App
}
