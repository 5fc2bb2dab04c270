package asm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scanner walks the source one character at a time and keeps the position
// the way rbpf's parser library counts it: lines and columns from 1, a
// newline starts the next line, every other character is one column.
type scanner struct {
	src  string
	pos  int // byte offset of the next character
	line int
	col  int
}

func newScanner(src string) *scanner { return &scanner{src: src, line: 1, col: 1} }

// peek returns the next character; ok is false at the end of the input.
func (s *scanner) peek() (r rune, ok bool) {
	if s.pos >= len(s.src) {
		return 0, false
	}
	if c := s.src[s.pos]; c < utf8.RuneSelf {
		return rune(c), true
	}
	r, _ = utf8.DecodeRuneInString(s.src[s.pos:])
	return r, true
}

// peekIs reports whether the next character is c.
func (s *scanner) peekIs(c rune) bool {
	r, ok := s.peek()
	return ok && r == c
}

func (s *scanner) next() {
	r, n := rune(s.src[s.pos]), 1
	if r >= utf8.RuneSelf {
		r, n = utf8.DecodeRuneInString(s.src[s.pos:])
	}
	s.pos += n
	if r == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col++
	}
}

// take consumes characters while ok(c) holds and returns them.
func (s *scanner) take(ok func(rune) bool) string {
	start := s.pos
	for {
		r, more := s.peek()
		if !more || !ok(r) {
			return s.src[start:s.pos]
		}
		s.next()
	}
}

// skipSpaces consumes whitespace and reports whether it consumed any.
func (s *scanner) skipSpaces() bool {
	return s.take(unicode.IsSpace) != ""
}

// fail builds a parse error at the current position in the format of rbpf's
// parser library: what was found, then everything that would have fitted.
func (s *scanner) fail(expected ...string) *Error {
	var b strings.Builder
	b.WriteString("unexpected ")
	if r, ok := s.peek(); ok {
		b.WriteString(rustChar(r))
	} else {
		b.WriteString("end of input")
	}
	for _, e := range expected {
		b.WriteString(", expected ")
		b.WriteString(e)
	}
	return &Error{Kind: ParseError, Line: s.line, Column: s.col, Msg: b.String()}
}

// isAlnum is Rust's char::is_alphanumeric: the Alphabetic property (letters,
// letter numbers and Other_Alphabetic marks) or a number.
func isAlnum(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Other_Alphabetic, r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isHex(r rune) bool   { return isDigit(r) || (r|0x20 >= 'a' && r|0x20 <= 'f') }
func isSign(r rune) bool  { return r == '-' || r == '+' }
func isNameStart(r rune) bool {
	return r == '_' || r == '.' || (r|0x20 >= 'a' && r|0x20 <= 'z')
}
func isNameChar(r rune) bool { return isNameStart(r) || isDigit(r) }

// rustChar formats r the way Rust's Debug formatting of a char does.
func rustChar(r rune) string {
	switch r {
	case '\t':
		return `'\t'`
	case '\n':
		return `'\n'`
	case '\r':
		return `'\r'`
	case '\'':
		return `'\''`
	case '\\':
		return `'\\'`
	case 0:
		return `'\0'`
	}
	if !unicode.IsPrint(r) || unicode.In(r, unicode.Mn, unicode.Me) {
		return fmt.Sprintf(`'\u{%x}'`, r)
	}
	return "'" + string(r) + "'"
}
