package pubkey

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error is a
// *ParseError of a known kind, and that base58 text is canonical: a string
// Parse accepts is exactly the String of the key it yields.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "1", "11111111111111111111111111111111", SysvarClockID.String(),
		"JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG", "SysO", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || (pe.Kind != WrongSize && pe.Kind != Invalid) {
				t.Fatalf("Parse(%q): unexpected error %#v", s, err)
			}
			if !p.IsZero() {
				t.Fatalf("Parse(%q) returned %x with an error", s, p)
			}
			return
		}
		if got := p.String(); got != s {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
		b, err := DecodeBase58(s)
		if err != nil || !bytes.Equal(b, p[:]) {
			t.Fatalf("DecodeBase58(%q) = %x, %v; Parse gave %x", s, b, err, p)
		}
	})
}
