package verifier

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
)

func TestCheckLoader(t *testing.T) {
	for _, c := range []struct {
		src, want string
	}{
		{"mov64 r0, 0\nexit", ""},
		{"ja -1\nexit", ""}, // no infinite-loop rule, unlike rbpf's verifier
		{"mul64 r0, 0\nexit", "division by 0 (insn #29)"},
		{"div32 r0, 0\nexit", "division by 0 (insn #29)"},
		{"mod64 r0, 0\nexit", "division by 0 (insn #29)"},
		{"mov64 r0, 1\nlsh64 r0, 64\nexit", "Shift with overflow at instruction 30"},
		{"mov64 r0, 1\narsh32 r0, -1\nexit", "Shift with overflow at instruction 30"},
		{"le16 r0\nbe64 r0\nexit", ""},
		{"callx 11\nexit", "Invalid register specified at instruction 29"},
		{"callx 10\nexit", ""},
		{"ja +5\nexit", "jump out of code to #6 (insn #29)"},
		{"ja -2\nexit", "jump out of code to #18446744073709551615 (insn #29)"},
		{"ja +1\nlddw r0, 1\nexit", "jump to middle of LD_DW at #2 (insn #29)"},
		{"mov64 r10, 1\nexit", "cannot write into register r10 (insn #29)"},
		{"stxdw [r10-8], r1\nexit", ""},
		{"lddw r10, 1\nexit", ""}, // lddw counts as a store, as in the release
		{"exit\nlddw r0, 1", ""},
	} {
		prog, err := asm.Assemble(c.src)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		got := ""
		if e := CheckLoader(prog); e != nil {
			got = e.Error()
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
	// Raw slots for what the assembler will not write.
	for _, c := range []struct {
		prog []byte
		want string
	}{
		{nil, "no program set, call prog_set() to load one"},
		{make([]byte, 7), "program length must be a multiple of 8 octets"},
		{[]byte{0x06, 0, 0, 0, 0, 0, 0, 0}, "unknown eBPF opcode 0x6 (insn #29)"},
		{[]byte{0x18, 0, 0, 0, 1, 0, 0, 0}, "LD_DW instruction cannot be last in program"},
		{[]byte{0x18, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}, "incomplete LD_DW instruction (insn #29)"},
		{[]byte{0x18, 0x0b, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}, "invalid destination register (insn #30)"},
		{[]byte{0xbf, 0xb0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}, "invalid source register (insn #29)"},
		{[]byte{0xbf, 0x0c, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}, "invalid destination register (insn #29)"},
	} {
		if e := CheckLoader(c.prog); e == nil || e.Error() != c.want {
			t.Errorf("% x: got %v, want %q", c.prog, e, c.want)
		}
	}
}
