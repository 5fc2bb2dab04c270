package asm

import (
	"strings"
	"sync"
	"unicode"
)

// v028Grammar is rbpf v0.2.8's assembly grammar (src/asm_parser.rs) built
// from the combinators above, with the same nesting, since the nesting
// decides the wording of errors. It is built on first use, not at package
// initialisation: programs that never parse (the playground's first render)
// do not pay for it.
var v028Grammar = sync.OnceValue(buildV028Grammar)

func buildV028Grammar() cParser {
	digit := named{expected{satisfy{isDigit}, expDigit}}
	hexDigit := expected{satisfy{isHex}, expHexDigit}
	alphaNum := expected{satisfy{isAlnum}, expLetterOrDigit}
	space := expected{satisfy{unicode.IsSpace}, "whitespace"}
	spaces := expected{many{p: space}, expSpaces}

	ident := named{many{p: alphaNum, atLeast1: true}}
	integer := named{seq{
		optional{tokenOf("-+")},
		or{
			attempt{seq{literal{"0x"}, many{p: hexDigit, atLeast1: true}}},
			many{p: digit, atLeast1: true},
		},
	}}
	register := named{seq{tokenOf("r"), many{p: digit, atLeast1: true}}}
	memory := seq{tokenOf("["), seq{register, optional{integer}}, tokenOf("]")}
	operand := named{or{or{register, integer}, memory}}
	instruction := named{seq{
		seq{ident, spaces},
		sepBy{p: operand, sep: seq{tokenOf(","), spaces}},
		spaces,
	}}
	return seq{spaces, seq{many{p: instruction}, eof{}}}
}

// v028ParseError parses src with the v0.2.8 grammar and returns the error
// v0.2.8 reports, or nil if v0.2.8 parses src.
func v028ParseError(src string) *Error { return v028ParseErrorFrom(src, 0) }

// v028ParseErrorFrom parses src[from:] with the v0.2.8 grammar and returns
// the error with its position in src, or nil.
func v028ParseErrorFrom(src string, from int) *Error {
	report := runParser(v028Grammar(), src[from:])
	if report == nil {
		return nil
	}
	line, col := position(src, from+report.pos)
	return &Error{Kind: ParseError, Line: line, Column: col, Msg: formatReport(report)}
}

// runParser parses all of src with p as the library's entry point does and
// returns the error report, or nil on success. Like the library it does not
// require p to reach the end of src.
func runParser(p cParser, src string) *cErrors {
	in := &cInput{src: src}
	st, t := p.parse(in)
	if st.ok() {
		return nil
	}
	if st == emptyErr {
		if tok, ok := in.tokenAt(0); ok {
			t.err.add(tok)
		}
		p.addError(t)
	}
	return t.err
}

// formatReport words a report as rbpf does: entries joined by ", ".
func formatReport(e *cErrors) string {
	parts := make([]string, len(e.items))
	for i, it := range e.items {
		if it.expected {
			parts[i] = "expected " + it.text
		} else {
			parts[i] = "unexpected " + it.text
		}
	}
	return strings.Join(parts, ", ")
}

// position converts a byte offset into a 1-based line and column.
func position(src string, pos int) (line, col int) {
	s := newScanner(src)
	for s.pos < pos && s.pos < len(src) {
		s.next()
	}
	return s.line, s.col
}
