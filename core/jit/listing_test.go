package jit

import (
	"encoding/hex"
	"strings"
	"testing"
)

// TestNewListing checks the listing's instructions against the program's
// slots: an lddw is one entry holding both slots' code, numbers follow
// rbpf's, and the code of all entries tiles the slot code exactly.
func TestNewListing(t *testing.T) {
	exe := textExe(t, "mov r0, 42\nlddw r1, 0x1122334455667788\nexit")
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := NewListing(p, exe.Program.Text)
	if l.Slots != 4 || l.CodeBytes != len(p.Code) || len(l.Insns) != 3 {
		t.Fatalf("listing %+v", l)
	}
	want := []struct {
		pc  int
		asm string
	}{{0, "mov64 r0, 0x2a"}, {1, "lddw r1, 0x1122334455667788"}, {3, "exit"}}
	end := p.PCOffsets[0]
	for i, in := range l.Insns {
		code, err := hex.DecodeString(in.Native)
		if in.PC != want[i].pc || in.Insn != want[i].pc+29 || in.Asm != want[i].asm || err != nil ||
			in.Offset != end || in.Bytes != len(code) || len(in.X86) == 0 {
			t.Errorf("insn %d: %+v (%v)", i, in, err)
		}
		end += in.Bytes
	}
	if end != p.PCOffsets[p.Slots] {
		t.Errorf("the entries end at %d, the slot code at %d", end, p.PCOffsets[p.Slots])
	}
	if x := strings.Join(l.Insns[1].X86, "; "); !strings.Contains(x, "0x1122334455667788") {
		t.Errorf("lddw became %q", x)
	}
}
