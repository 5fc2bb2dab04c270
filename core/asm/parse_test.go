package asm

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestParserUnits runs the sub-parser cases of rbpf v0.2.8's asm_parser.rs
// unit tests: input, parsed value, and the input left over.
func TestParserUnits(t *testing.T) {
	parsers := map[string]func(p *parser) (string, error){
		"ident": func(p *parser) (string, error) { return p.take(isAlnum), nil },
		"integer": func(p *parser) (string, error) {
			v, err := p.integer()
			return strconv.FormatInt(v, 10), err
		},
		"register": func(p *parser) (string, error) {
			v, err := p.register()
			return strconv.FormatInt(v, 10), err
		},
		"operand": func(p *parser) (string, error) {
			o, ok, err := p.operand(statement{})
			if !ok && err == nil {
				return "", errors.New("no operand")
			}
			return o.String(), err
		},
	}
	n := 0
	for _, f := range readArchive(t, "parser.txtar") {
		kind, ok := strings.CutSuffix(f.name, ".tsv")
		if !ok {
			continue
		}
		for _, line := range strings.Split(f.data, "\n") {
			cols := strings.Split(line, "\t")
			p := &parser{scanner: newScanner(cols[0])}
			got, err := parsers[kind](p)
			if err != nil || got != cols[1] || p.src[p.pos:] != cols[2] {
				t.Errorf("%s(%q) = %q rest %q, %v; want %q rest %q", kind, cols[0], got, p.src[p.pos:], err, cols[1], cols[2])
			}
			n++
		}
	}
	if n < 20 {
		t.Fatalf("ran %d sub-parser cases", n)
	}
}

// TestParserPrograms runs the whole-program parse cases, including the two
// parse errors whose exact text v0.2.8 fixes.
func TestParserPrograms(t *testing.T) {
	order, cases := archiveCases(readArchive(t, "parser.txtar"))
	ran := 0
	for _, name := range order {
		c := cases[name]
		src, ok := c["s"]
		if !ok {
			continue
		}
		ran++
		stmts, err := parse(src)
		if want, isErr := c["err"]; isErr {
			var ae *Error
			if !errors.As(err, &ae) || ae.Rbpf() != want {
				t.Errorf("%s: error %v, want %q", name, err, want)
			}
			if v := v028ParseError(src); v == nil || v.Rbpf() != want {
				t.Errorf("%s: v0.2.8 grammar says %v, want %q", name, v, want)
			}
			continue
		}
		if v := v028ParseError(src); v != nil {
			t.Errorf("%s: v0.2.8 grammar rejects it: %v", name, v)
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got []string
		for _, st := range stmts {
			got = append(got, st.name+" "+formatOperands(st.operands))
		}
		if g := strings.Join(got, "\n"); g != c["parse"] {
			t.Errorf("%s: got\n%s\nwant\n%s", name, g, c["parse"])
		}
	}
	if ran < 15 {
		t.Fatalf("ran %d parse cases", ran)
	}
}

// TestV028Wording checks error texts worked out by hand from the rules of
// combine 3.8.1 (the library v0.2.8's parser is built with) for this
// grammar: an operand missing after a comma lists only what the integer
// parser expects, because the library adds the other alternatives lazily
// and then skips them.
func TestV028Wording(t *testing.T) {
	cases := map[string]string{
		"mov r0, x": "Parse error at line 1 column 9: unexpected 'x', expected 0x, expected '-', " +
			"expected '+', expected digit, expected whitespace",
		"exit\n  ^": "Parse error at line 2 column 3: unexpected '^', expected letter or digit, " +
			"expected whitespaces, expected end of input",
	}
	for src, want := range cases {
		_, err := Assemble(src)
		var ae *Error
		if !errors.As(err, &ae) || ae.Rbpf() != want {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}

// TestWordingFromStatement checks that the v0.2.8 wording of an error is
// the same whether the grammar runs over the whole text or from the
// statement the parser names, for errors inside a statement, between
// statements and in the first one.
func TestWordingFromStatement(t *testing.T) {
	for _, src := range []string{
		"mov r0, x", "exit\n  ^", "  ^", "exit\nexit\nmov r0, 0xg, r1 x", "exit exit ]",
		"exit\nmov r1, [r2+", "lddw r0, 1\nexit\n\t,", "add r1, r2, \n", "ja -x",
		strings.Repeat("mov r0, 1\n", 50) + "mov r0, !\n",
	} {
		v := v028ParseError(src)
		if v == nil {
			t.Fatalf("%q parses", src)
		}
		checkWordingFrom(t, src, v)
	}
}
