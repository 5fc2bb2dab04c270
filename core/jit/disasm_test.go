package jit

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// textExe assembles src into an executable with the default
// configuration and no syscalls.
func textExe(t *testing.T, src string) *vm.Executable {
	t.Helper()
	text, err := asm.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// TestDisassemble checks that every slot's code decodes cleanly, that the
// slots tile the code in order, and that a few instructions become the
// x86 they should. It needs no executor, so it runs on every platform.
func TestDisassemble(t *testing.T) {
	exe := textExe(t, "mov64 r0, 7\nadd64 r0, r1\nlddw r2, 0x1122334455667788\nldxdw r3, [r10-8]\nexit")
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	code := Disassemble(p)
	if len(code) != 6 {
		t.Fatalf("%d slots, want 6 (lddw takes two)", len(code))
	}
	end := p.PCOffsets[0]
	for _, c := range code {
		if p.PCOffsets[c.PC] != end {
			t.Errorf("slot %d starts at %d, previous ended at %d", c.PC, p.PCOffsets[c.PC], end)
		}
		end += len(c.Native)
		for _, line := range c.Text {
			if line == "(bad)" {
				t.Errorf("slot %d: undecodable code % x", c.PC, c.Native)
			}
		}
	}
	want := map[int]string{
		0: "mov ebx, 0x7",
		1: "add rbx, rsi",
		2: "mov rdi, 0x1122334455667788",
		4: "mov r8, qword ptr [rax]",
	}
	for pc, w := range want {
		if !strings.Contains(strings.Join(code[pc].Text, "\n"), w) {
			t.Errorf("slot %d lacks %q:\n%s", pc, w, strings.Join(code[pc].Text, "\n"))
		}
	}
	if r := DisassembleRoutines(p); len(r) == 0 {
		t.Error("no shared routines")
	}
}

// TestBlindingHidesImmediates checks that with constant blinding the
// program's immediates do not appear in the machine code.
func TestBlindingHidesImmediates(t *testing.T) {
	exe := textExe(t, "mov64 r0, 0x5eadbeef\nadd64 r0, 0x4badcafe\nstdw [r10-8], 0x3cabba9e\njeq r0, 0x2eedface, +0\nexit")
	for _, blind := range []bool{false, true} {
		p, err := Compile(exe, Options{ConstantBlinding: blind, BlindingSeed: 42})
		if err != nil {
			t.Fatal(err)
		}
		for _, imm := range []uint32{0x5eadbeef, 0x4badcafe, 0x3cabba9e, 0x2eedface} {
			le := string([]byte{byte(imm), byte(imm >> 8), byte(imm >> 16), byte(imm >> 24)})
			if found := strings.Contains(string(p.Code), le); found == blind {
				t.Errorf("blinding %v: immediate %#x present = %v", blind, imm, found)
			}
		}
	}
}
