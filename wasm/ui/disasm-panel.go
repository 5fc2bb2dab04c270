package ui

// DisasmPanel shows the program's disassembly and the control-flow graph of
// the function under the cursor.
type DisasmPanel struct {
	App     *App
	Listing *Listing
}
