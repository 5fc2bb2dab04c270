package verifier

import (
	"strings"
	"testing"
)

// TestVariantsTable walks every kind: the table has its name, a Display
// and a Debug format, the Debug format begins with the name, and both
// format without complaint with every field set.
func TestVariantsTable(t *testing.T) {
	names := map[string]Kind{}
	for k := Kind(0); k < numKinds; k++ {
		v := variants[k]
		if v.name == "" || v.display == "" || v.debug == "" || !strings.HasPrefix(v.debug, v.name) {
			t.Errorf("kind %d: %+v", k, v)
			continue
		}
		if k.String() != v.name {
			t.Errorf("kind %d: String() = %q, want %q", k, k.String(), v.name)
		}
		if prev, dup := names[v.name]; dup {
			t.Errorf("kinds %d and %d are both %s", prev, k, v.name)
		}
		names[v.name] = k
		e := &Error{Kind: k, PC: 3, Target: 7, Opcode: 0xff, Insns: 65537, Offset: 29}
		for _, text := range []string{e.Error(), e.Debug()} {
			if text == "" || strings.Contains(text, "%!") {
				t.Errorf("kind %d: %q", k, text)
			}
		}
	}
}

// TestErrorTexts pins the Display and Debug text of every kind, with the
// loader's offset, and of a kind out of range.
func TestErrorTexts(t *testing.T) {
	want := []struct{ display, debug string }{
		{"program length must be a multiple of 8 octets", "ProgramLengthNotMultiple"},
		{"program too big, max 65536, is 65537", "ProgramTooLarge(65537)"},
		{"no program set, call prog_set() to load one", "NoProgram"},
		{"program does not end with \u201cEXIT\u201d instruction", "InvalidLastInstruction"},
		{"division by 0 (insn #32)", "DivisionByZero(32)"},
		{"unsupported argument for LE/BE (insn #32)", "UnsupportedLeBeArgument(32)"},
		{"LD_DW instruction cannot be last in program", "LddwCannotBeLast"},
		{"incomplete LD_DW instruction (insn #32)", "IncompleteLddw(32)"},
		{"infinite loop (insn #32)", "InfiniteLoop(32)"},
		{"jump out of code to #7 (insn #32)", "JumpOutOfCode(7, 32)"},
		{"jump to middle of LD_DW at #7 (insn #32)", "JumpToMiddleOfLddw(7, 32)"},
		{"invalid source register (insn #32)", "InvalidSourceRegister(32)"},
		{"cannot write into register r10 (insn #32)", "CannotWriteR10(32)"},
		{"invalid destination register (insn #32)", "InvalidDestinationRegister(32)"},
		{"unknown eBPF opcode 0xff (insn #32)", "UnknownOpCode(255, 32)"},
		{"Shift with overflow at instruction 32", "ShiftWithOverflow(32)"},
		{"Invalid register specified at instruction 32", "InvalidRegister(32)"},
	}
	for k := Kind(0); k <= InvalidRegister; k++ {
		e := &Error{Kind: k, PC: 3, Target: 7, Opcode: 0xff, Insns: 65537, Offset: 29}
		if got := e.Error(); got != want[k].display {
			t.Errorf("%v: Error() = %q, want %q", k, got, want[k].display)
		}
		if got := e.Debug(); got != want[k].debug {
			t.Errorf("%v: Debug() = %q, want %q", k, got, want[k].debug)
		}
	}
	odd := &Error{Kind: 99, PC: 4}
	if odd.Error() != "Kind(99)" || odd.Debug() != "Kind(99)(4)" || !odd.HasPC() {
		t.Errorf("kind 99: %q, %q, HasPC %v", odd.Error(), odd.Debug(), odd.HasPC())
	}
}
