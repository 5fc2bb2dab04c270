package asm

import (
	"strings"
	"unicode/utf8"
)

// This file reproduces the error messages of rbpf v0.2.8's parser, which is
// built with version 3 of the Rust parser-combinator library `combine`. The
// messages list what the library found and what it expected, and which
// expectations appear, and in what order, follows from how the library
// collects them: lazily, through an "offset" that counts how many of the
// parsers tried at the error's position may still add what they expect.
// Rather than approximating that, the grammar is rebuilt here from
// combinators that follow the library's rules; it is used only to word an
// error once the real parser (parse.go) has failed.

// cErr is one entry of an error report.
type cErr struct {
	expected bool // false: "unexpected ..."
	text     string
}

// cErrors is an error report at a byte position.
type cErrors struct {
	pos   int
	items []cErr
}

func (e *cErrors) add(item cErr) {
	for _, it := range e.items {
		if it == item {
			return
		}
	}
	e.items = append(e.items, item)
}

// merge keeps the report furthest into the input, or joins two at the same
// position.
func (e *cErrors) merge(o *cErrors) *cErrors {
	switch {
	case e.pos < o.pos:
		return o
	case e.pos > o.pos:
		return e
	}
	for _, it := range o.items {
		e.add(it)
	}
	return e
}

// tracked is a report with the count of parsers that may still add to it.
type tracked struct {
	err    *cErrors
	offset int
}

// cStatus is the outcome of a parser: whether it consumed input and
// whether it succeeded.
type cStatus int

const (
	emptyOK cStatus = iota
	consumedOK
	emptyErr
	consumedErr
)

func (s cStatus) ok() bool       { return s == emptyOK || s == consumedOK }
func (s cStatus) consumed() bool { return s == consumedOK || s == consumedErr }

// cInput is the text being parsed.
type cInput struct {
	src string
	pos int
}

// uncons reads the next character.
func (in *cInput) uncons() (rune, bool) {
	if in.pos >= len(in.src) {
		return 0, false
	}
	r, n := utf8.DecodeRuneInString(in.src[in.pos:])
	in.pos += n
	return r, true
}

// tokenAt returns the character at pos formatted as an "unexpected" entry.
func (in *cInput) tokenAt(pos int) (cErr, bool) {
	if pos >= len(in.src) {
		return cErr{}, false
	}
	r, _ := utf8.DecodeRuneInString(in.src[pos:])
	return cErr{text: rustChar(r)}, true
}

var endOfInput = cErr{text: "end of input"}

// cParser is a combinator. parse reports the outcome and, on failure, the
// report; addError adds what the parser expects at its start; count is how
// many parsers it stands for in offsets; addConsumedExpected adds what it
// would accept after having consumed input.
type cParser interface {
	parse(in *cInput) (cStatus, *tracked)
	addError(t *tracked)
	count() int
	addConsumedExpected(t *tracked)
}

func emptyReport(pos int) *tracked { return &tracked{err: &cErrors{pos: pos}, offset: 1} }

// satisfy matches one character; it expects nothing by itself.
type satisfy struct{ pred func(rune) bool }

func (p satisfy) parse(in *cInput) (cStatus, *tracked) {
	start := in.pos
	r, ok := in.uncons()
	if !ok {
		return emptyErr, &tracked{err: &cErrors{pos: start, items: []cErr{endOfInput}}, offset: 1}
	}
	if p.pred(r) {
		return consumedOK, nil
	}
	in.pos = start
	return emptyErr, emptyReport(start)
}
func (satisfy) addError(*tracked)            {}
func (satisfy) count() int                   { return 1 }
func (satisfy) addConsumedExpected(*tracked) {}

// token matches one character and expects it ('x').
type token struct {
	satisfy
	expect []rune
}

func tokenOf(chars string) token {
	rs := []rune(chars)
	return token{satisfy: satisfy{func(r rune) bool { return strings.ContainsRune(chars, r) }}, expect: rs}
}

func (p token) addError(t *tracked) {
	for _, r := range p.expect {
		t.err.add(cErr{expected: true, text: rustChar(r)})
	}
}

// literal matches a fixed string ("0x").
type literal struct{ s string }

func (p literal) parse(in *cInput) (cStatus, *tracked) {
	start := in.pos
	for i, want := range p.s {
		r, ok := in.uncons()
		if !ok {
			st := emptyErr
			if i > 0 {
				st = consumedErr
			}
			return st, &tracked{err: &cErrors{pos: start, items: []cErr{endOfInput}}, offset: 1}
		}
		if r != want {
			if i == 0 {
				in.pos = start
				return emptyErr, emptyReport(start)
			}
			e := &cErrors{pos: start, items: []cErr{{text: rustChar(r)}}}
			e.add(cErr{expected: true, text: p.s})
			return consumedErr, &tracked{err: e, offset: 1}
		}
	}
	return consumedOK, nil
}
func (p literal) addError(t *tracked)        { t.err.add(cErr{expected: true, text: p.s}) }
func (literal) count() int                   { return 1 }
func (literal) addConsumedExpected(*tracked) {}

// eof succeeds at the end of the input.
type eof struct{}

func (eof) parse(in *cInput) (cStatus, *tracked) {
	if in.pos >= len(in.src) {
		return emptyOK, nil
	}
	return emptyErr, emptyReport(in.pos)
}
func (eof) addError(t *tracked)          { t.err.add(cErr{expected: true, text: "end of input"}) }
func (eof) count() int                   { return 1 }
func (eof) addConsumedExpected(*tracked) {}

// expected replaces what its parser expects with one description.
type expected struct {
	p    cParser
	text string
}

func (p expected) parse(in *cInput) (cStatus, *tracked) { return p.p.parse(in) }
func (p expected) addError(t *tracked) {
	start := len(t.err.items)
	p.p.addError(t)
	kept := t.err.items[:start:start]
	for _, it := range t.err.items[start:] {
		if !it.expected {
			kept = append(kept, it)
		}
	}
	t.err.items = kept
	t.err.add(cErr{expected: true, text: p.text})
}
func (p expected) count() int                     { return p.p.count() }
func (p expected) addConsumedExpected(t *tracked) { p.p.addConsumedExpected(t) }

// named is a parser defined with the library's `parser!` macro, which
// forwards everything but counts as a single parser.
type named struct{ p cParser }

func (p named) parse(in *cInput) (cStatus, *tracked) { return p.p.parse(in) }
func (p named) addError(t *tracked)                  { p.p.addError(t) }
func (named) count() int                             { return 1 }
func (p named) addConsumedExpected(t *tracked)       { p.p.addConsumedExpected(t) }

// optional turns a failure without consumption into success.
type optional struct{ p cParser }

func (p optional) parse(in *cInput) (cStatus, *tracked) {
	start := in.pos
	st, t := p.p.parse(in)
	if st == emptyErr {
		in.pos = start
		return emptyOK, nil
	}
	return st, t
}
func (p optional) addError(t *tracked)        { p.p.addError(t) }
func (p optional) count() int                 { return p.p.count() }
func (optional) addConsumedExpected(*tracked) {}

// attempt turns a failure after consumption into one without; the library
// words its error right away.
type attempt struct{ p cParser }

func (p attempt) parse(in *cInput) (cStatus, *tracked) {
	start := in.pos
	st, t := p.p.parse(in)
	switch st {
	case consumedErr:
		return emptyErr, &tracked{err: t.err, offset: 1}
	case emptyErr:
		in.pos = start
		if tok, ok := in.tokenAt(start); ok {
			t.err.add(tok)
		}
		p.p.addError(t)
	}
	return st, t
}
func (p attempt) addError(t *tracked)            { p.p.addError(t) }
func (p attempt) count() int                     { return p.p.count() }
func (p attempt) addConsumedExpected(t *tracked) { p.p.addConsumedExpected(t) }
