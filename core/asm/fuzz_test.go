package asm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// seedSources returns the sources of every ported upstream case.
func seedSources(t testing.TB) []string {
	var out []string
	for _, name := range []string{"assembler.txtar", "disassembler.txtar", "parser.txtar"} {
		for _, f := range readArchive(t, name) {
			if strings.HasSuffix(f.name, ".s") {
				out = append(out, f.data)
			}
		}
	}
	return out
}

// checkRoundTrip asserts that assembled bytes survive Source and Assemble.
func checkRoundTrip(t *testing.T, src string, prog []byte) {
	t.Helper()
	text, err := Source(prog)
	if err != nil {
		t.Fatalf("%q assembled to %x, which Source rejects: %v", src, prog, err)
	}
	again, err := Assemble(text)
	if err != nil {
		t.Fatalf("%q: reassembling %q: %v", src, text, err)
	}
	if !bytes.Equal(again, prog) {
		t.Fatalf("%q: %x became %x through %q", src, prog, again, text)
	}
}

func TestRoundTripUpstreamCases(t *testing.T) {
	n := 0
	for _, src := range seedSources(t) {
		prog, err := Assemble(src)
		if err != nil {
			continue
		}
		checkRoundTrip(t, src, prog)
		n++
	}
	if n < 60 {
		t.Fatalf("only %d cases round-tripped", n)
	}
}

func TestSourceRejectsWhatNoTextEncodes(t *testing.T) {
	for _, h := range []string{
		"ff00000000000000",                  // unknown opcode
		"c312000000000000",                  // xadd: no mnemonic in v0.2.8
		"0712000001000000",                  // add64 imm with a source register
		"dc01000008000000",                  // be8
		"1801000001000000",                  // truncated lddw
		"1801000001000000 0100000000000000", // lddw whose second slot has an opcode
	} {
		if text, err := Source(mustHex(t, h)); err == nil {
			t.Errorf("%s: Source gave %q", h, text)
		}
	}
}

func FuzzAssemble(f *testing.F) {
	for _, src := range seedSources(f) {
		f.Add(src)
	}
	f.Add("entrypoint:\n lddw r1, 0x1122334455667788 # c\n call sol_log_\n ja entrypoint\n exit")
	f.Add("a: jeq r1, r2, a ; x\n//y\n")
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := Assemble(src)
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) || ae.Line < 1 || ae.Column < 1 || ae.Msg == "" {
				t.Fatalf("%q: malformed error %#v", src, err)
			}
			return
		}
		if len(prog)%8 != 0 {
			t.Fatalf("%q: %d bytes", src, len(prog))
		}
		checkRoundTrip(t, src, prog)
	})
}

func FuzzDisassemble(f *testing.F) {
	for _, src := range seedSources(f) {
		if prog, err := Assemble(src); err == nil {
			f.Add(prog)
		}
	}
	f.Add([]byte{0x18, 1, 0, 0, 1, 2, 3, 4})
	f.Add([]byte{0xdc, 1, 0, 0, 9, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, prog []byte) {
		lines := DisassembleInsns(prog)
		slots := 0
		for _, l := range lines {
			if l.Ptr != slots || l.Desc == "" || l.Name == "" {
				t.Fatalf("%x: line %+v after %d slots", prog, l, slots)
			}
			slots += l.Slots
		}
		if n := len(prog) / 8; slots < n || slots > n+1 {
			t.Fatalf("%x: lines cover %d slots of %d", prog, slots, n)
		}
		_ = Disassemble(prog)
		_ = Listing(prog, ListingOptions{Labels: map[int]string{0: "f"}})
		if text, err := Source(prog); err == nil {
			again, err := Assemble(text)
			if err != nil || !bytes.Equal(again, prog[:len(prog)/8*8]) {
				t.Fatalf("%x: Source gave %q which assembles to %x, %v", prog, text, again, err)
			}
		}
	})
}

// FuzzParserAgreement checks the parser against the rebuilt v0.2.8 grammar
// used for error wording: without named operands they must accept the same
// texts and fail at the same place.
func FuzzParserAgreement(f *testing.F) {
	for _, src := range seedSources(f) {
		f.Add(src)
	}
	for _, src := range []string{"mov r0, -x", "ldxb r1, [r2 +5]", "mov r0, 0xg", "  ^", "r", "[r1+"} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := parseWith(src, nil)
		v := v028ParseError(src)
		if (err == nil) != (v == nil) {
			t.Fatalf("%q: parser says %v, v0.2.8 grammar says %v", src, err, v)
		}
		if err != nil {
			mine := err.(*Error)
			if mine.Line != v.Line || mine.Column != v.Column {
				t.Fatalf("%q: parser fails at %d:%d, v0.2.8 grammar at %d:%d", src, mine.Line, mine.Column, v.Line, v.Column)
			}
			checkWordingFrom(t, src, v)
		}
	})
}

// checkWordingFrom asserts that running the v0.2.8 grammar from where the
// parser says (parser.wordFrom) words the error exactly as a run over the
// whole text does.
func checkWordingFrom(t *testing.T, src string, whole *Error) {
	t.Helper()
	p := newParser(src, nil)
	for {
		_, ok, err := p.nextStatement()
		if err != nil {
			break
		}
		if !ok {
			t.Fatalf("%q: no error the second time", src)
		}
	}
	if part := v028ParseErrorFrom(src, p.wordFrom); part == nil || *part != *whole {
		t.Fatalf("%q: from offset %d the grammar says %v, over the whole text %v", src, p.wordFrom, part, whole)
	}
}
