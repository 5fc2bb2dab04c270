package elf

import "testing"

func TestErrorDebug(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: WrongMachine}, "WrongMachine"},
		{&Error{Kind: OutOfBounds}, "OutOfBounds"},
		{&Error{Kind: RelativeJumpOutOfBounds, Insn: 34}, "RelativeJumpOutOfBounds(34)"},
		{&Error{Kind: UnknownRelocation, Value: 1}, "UnknownRelocation(1)"},
		{&Error{Kind: UnresolvedSymbol, Detail: "Unknown", Insn: 29, Offset: 0}, `UnresolvedSymbol("Unknown", 29, 0)`},
		{&Error{Kind: InvalidVirtualAddress, Value: 0x100}, "InvalidVirtualAddress(256)"},
		{&Error{Kind: FailedToParse, Detail: "bad \"magic\"\n\x01"}, `FailedToParse("bad \"magic\"\n\u{1}")`},
		{&Error{Kind: SectionNotFound, Detail: ".text"}, `SectionNotFound(".text")`},
	}
	for _, c := range cases {
		if got := c.err.Debug(); got != c.want {
			t.Errorf("%v: Debug() = %s, want %s", c.err.Kind, got, c.want)
		}
	}
}
