package elf

import (
	"fmt"
	"strings"
	"unicode"
)

// Debug returns Rust's `{:?}` text of the error as rbpf's CLI prints it,
// for example `WrongMachine`, `RelativeJumpOutOfBounds(34)` or
// `UnresolvedSymbol("log", 34, 0x28)` with the offset in decimal.
func (e *Error) Debug() string {
	name := e.Kind.String()
	switch e.Kind {
	case FailedToParse, FailedToGetSection, SectionNotFound:
		return name + "(" + rustDebugString(e.Detail) + ")"
	case UnresolvedSymbol:
		return fmt.Sprintf("%s(%s, %d, %d)", name, rustDebugString(e.Detail), e.Insn, e.Offset)
	case RelativeJumpOutOfBounds, RelocationHashCollision:
		return fmt.Sprintf("%s(%d)", name, e.Insn)
	case AddressOutsideLoadableSection, InvalidVirtualAddress, UnknownRelocation, UnknownSymbol:
		return fmt.Sprintf("%s(%d)", name, e.Value)
	}
	return name
}

// rustDebugString quotes s the way Rust's Debug for str does: backslash,
// double quote, \t, \r, \n and \0 escaped by name, other non-printable
// characters as \u{hex}; single quotes stay as they are.
func rustDebugString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		case 0:
			b.WriteString(`\0`)
		default:
			if unicode.IsPrint(r) || r == ' ' {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, `\u{%x}`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
