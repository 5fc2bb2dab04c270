package ui

import "golang.org/x/arch/x86/x86asm"

// x86Len is the length of the first x86-64 instruction in b (1 when it
// does not decode, matching how jit.Disassemble skips a bad byte).
func x86Len(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	inst, err := x86asm.Decode(b, 64)
	if err != nil || inst.Len == 0 {
		return 1
	}
	return inst.Len
}
