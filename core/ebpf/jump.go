package ebpf

// IsJump reports whether the opcode is `ja` or one of the conditional
// jumps: an instruction that may continue at JumpTarget. Calls and exit are
// not jumps.
func (op OpCode) IsJump() bool {
	f := op.Form()
	return f == FormJa || f == FormJumpImm || f == FormJumpReg
}

// JumpTarget returns the slot a jump in slot pc with offset off continues
// at when taken: the offset counts from the slot after the jump. The
// result may lie outside the program, or before its start.
func JumpTarget(pc int, off int16) int { return pc + 1 + int(off) }
