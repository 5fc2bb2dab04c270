package asm

import "fmt"

// ErrorKind tells which stage of assembly rejected the source.
type ErrorKind int

const (
	// ParseError is a syntax error; rbpf v0.2.8 reports it as
	// "Parse error at line L column C: <Msg>".
	ParseError ErrorKind = iota
	// EncodeError is an instruction rbpf v0.2.8 parses but cannot encode
	// ("Invalid instruction ...", "Failed to encode ..."); Msg is its text.
	EncodeError
	// ExtensionError comes from a feature v0.2.8 does not have (labels, named
	// operands, the MaxLineBytes limit), so there is no v0.2.8 text to match.
	ExtensionError
)

// Error is an assembly error at a source position.
//
// Msg is the text rbpf v0.2.8 produces for the same source when Kind is
// ParseError or EncodeError (for parse errors, without the "Parse error at
// line L column C: " prefix, which Rbpf restores). Error() prefixes the
// position: "line 3, column 5: Invalid instruction \"abcd\"".
type Error struct {
	Kind   ErrorKind
	Line   int // 1-based line of the error
	Column int // 1-based column, counted in characters
	Msg    string
}

// Error returns "line L, column C: Msg".
func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Rbpf returns the error exactly as rbpf v0.2.8's `assemble` returns it.
func (e *Error) Rbpf() string {
	if e.Kind == ParseError {
		return fmt.Sprintf("Parse error at line %d column %d: %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}
