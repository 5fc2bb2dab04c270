package ebpf

import "testing"

func TestPCRef(t *testing.T) {
	if got := PCRef(8); got != "pc 8 (insn #37)" {
		t.Errorf("PCRef(8) = %q", got)
	}
	if InsnNumber(0) != ElfInsnDumpOffset {
		t.Errorf("InsnNumber(0) = %d", InsnNumber(0))
	}
}
