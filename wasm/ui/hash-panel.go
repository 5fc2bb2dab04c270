package ui

// HashPanel shows how a symbol name or an instruction index becomes the
// immediate of a `call` instruction.
type HashPanel struct {
	App *App
}
