package ui

// JitPanel shows the x86-64 machine code core/jit emits for the current
// instruction, decoded with x86asm.
type JitPanel struct {
	App     *App
	Listing *Listing
}
