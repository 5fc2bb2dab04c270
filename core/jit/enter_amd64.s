//go:build linux && amd64

#include "textflag.h"

// func enter(ctx unsafe.Pointer, code uintptr)
//
// enter saves Go's stack pointer, frame pointer, R14 (g) and R15 in the
// context, switches to the generated code's own stack (RSP = ctx) and
// jumps to code. The generated code's exit routine restores those four
// registers and executes RET, which returns from enter to its caller.
// The offsets are ctxGoSP, ctxGoBP, ctxGoR14 and ctxGoR15 (layout.go);
// TestTrampolineOffsets keeps them in step.
TEXT ·enter(SB), NOSPLIT|NOFRAME, $0-16
	MOVQ ctx+0(FP), AX
	MOVQ code+8(FP), CX
	MOVQ SP, 176(AX)
	MOVQ BP, 184(AX)
	MOVQ R14, 192(AX)
	MOVQ R15, 200(AX)
	MOVQ AX, SP
	JMP  CX
