package ebpf

import "strconv"

// InsnNumber is rbpf's number for the instruction in slot pc: pc +
// ElfInsnDumpOffset, the way its runtime errors count instructions.
func InsnNumber(pc int) int { return pc + ElfInsnDumpOffset }

// PCRef names the instruction in slot pc the way rbpfgo shows every
// instruction (the playground, the CLI's listings, logs and labels): its
// slot index in .text and rbpf's number for it, "pc 8 (insn #37)".
func PCRef(pc int) string {
	return "pc " + strconv.Itoa(pc) + " (insn #" + strconv.Itoa(InsnNumber(pc)) + ")"
}
