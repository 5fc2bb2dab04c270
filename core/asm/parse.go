package asm

import (
	"fmt"
	"strconv"
)

// operandKind is the shape of one parsed operand.
type operandKind int

const (
	opRegister operandKind = iota // r<N>
	opInteger                     // an immediate or a jump offset
	opMemory                      // [r<N>+off]
	opName                        // a label or symbol name (extension)
)

// operand is one parsed operand. Register numbers and values are kept as
// 64-bit integers so that range checks report what was written.
type operand struct {
	kind  operandKind
	reg   int64 // register number (opRegister, opMemory)
	value int64 // immediate or memory offset
	name  string
	line  int
	col   int
}

// String formats the operand the way rbpf's Debug output of Operand does,
// which appears in "Unexpected operands" errors.
func (o operand) String() string {
	switch o.kind {
	case opRegister:
		return fmt.Sprintf("Register(%d)", o.reg)
	case opInteger:
		return fmt.Sprintf("Integer(%d)", o.value)
	case opMemory:
		return fmt.Sprintf("Memory(%d, %d)", o.reg, o.value)
	}
	return fmt.Sprintf("Name(%q)", o.name)
}

// statement is one parsed instruction with its position in the source.
type statement struct {
	name     string
	operands []operand
	offset   int // byte offset of the mnemonic
	line     int
	col      int
}

// Expected-token descriptions, as rbpf's parser library words them.
const (
	expLetterOrDigit = "letter or digit"
	expSpaces        = "whitespaces"
	expEnd           = "end of input"
	expDigit         = "digit"
	expHexDigit      = "hexadecimal digit"
	expHexPrefix     = "0x"
)

// operandStart lists what may begin an operand.
var operandStart = []string{"'r'", "'-'", "'+'", expHexPrefix, expDigit, "'['"}

// parser turns source text into statements following the grammar of rbpf
// v0.2.8's asm_parser: optional whitespace, then instructions until the end
// of the input. An instruction is a mnemonic of letters and digits, optional
// whitespace, operands separated by a comma and optional whitespace, and
// optional whitespace. The parser consumes input exactly where v0.2.8's
// does, so a text is split into the same instructions.
//
// It hands out one statement at a time and keeps nothing of the
// statements before, so that a pass over a large source allocates nothing
// per statement (nextStatement): the assembler parses twice (once to place
// labels and find any syntax error, once to encode) rather than holding the
// whole parse.
type parser struct {
	*scanner
	named   map[string]bool // mnemonics that take a name operand (extension)
	started bool            // the leading whitespace has been skipped
	count   int             // statements returned so far
	last    int             // offset of the last statement returned
	ops     []operand       // the operands of the last statement, reused
	// wordFrom is, after an error, the offset from which v0.2.8's grammar
	// reports the same error (see v028Wording).
	wordFrom int
}

func newParser(src string, named map[string]bool) *parser {
	return &parser{scanner: newScanner(src), named: named}
}

func parse(src string) ([]statement, error) {
	return parseWith(src, namedOperandMnemonics())
}

// parseWith parses all of src, allowing name operands for the given
// mnemonics, and returns every statement.
func parseWith(src string, named map[string]bool) ([]statement, error) {
	p := newParser(src, named)
	var out []statement
	for {
		st, ok, err := p.nextStatement()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		st.operands = append([]operand(nil), st.operands...)
		out = append(out, st)
	}
}

// nextStatement returns the next statement; ok is false at the end of the
// input. The statement's operands are only valid until the following call.
func (p *parser) nextStatement() (st statement, ok bool, err error) {
	if !p.started {
		p.started = true
		p.skipSpaces()
	}
	r, more := p.peek()
	if !more {
		return statement{}, false, nil
	}
	if !isAlnum(r) {
		if p.count == 0 {
			return statement{}, false, p.fail(expSpaces, expLetterOrDigit, expEnd)
		}
		p.wordFrom = p.last
		return statement{}, false, p.fail(expLetterOrDigit, expSpaces, expEnd)
	}
	st, err = p.statement()
	if err != nil {
		if p.count > 0 {
			p.wordFrom = st.offset
		}
		return statement{}, false, err
	}
	p.count++
	p.last = st.offset
	return st, true, nil
}

func (p *parser) statement() (statement, error) {
	st := statement{offset: p.pos, line: p.line, col: p.col}
	st.name = p.take(isAlnum)
	p.skipSpaces()
	ops, err := p.operands(st)
	if err != nil {
		return st, err
	}
	st.operands = ops
	p.skipSpaces()
	return st, nil
}

// operands parses a comma-separated list. A missing first operand ends the
// list without an error; a missing operand after a comma is an error.
func (p *parser) operands(st statement) ([]operand, error) {
	op, ok, err := p.operand(st)
	if err != nil || !ok {
		return nil, err
	}
	ops := append(p.ops[:0], op)
	for p.peekIs(',') {
		p.next()
		p.skipSpaces()
		op, ok, err = p.operand(st)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, p.fail(operandStart...)
		}
		ops = append(ops, op)
	}
	p.ops = ops
	return ops, nil
}

// operand parses one operand. ok is false, with no error, when the next
// character cannot start an operand (nothing is consumed then).
func (p *parser) operand(st statement) (op operand, ok bool, err error) {
	op = operand{line: p.line, col: p.col}
	r, more := p.peek()
	if !more {
		return op, false, nil
	}
	if p.named[st.name] && p.line == st.line && p.atName() {
		op.kind, op.name = opName, p.take(isNameChar)
		return op, true, nil
	}
	switch {
	case r == 'r':
		op.kind = opRegister
		op.reg, err = p.register()
	case isSign(r) || isDigit(r):
		op.kind = opInteger
		op.value, err = p.integer()
	case r == '[':
		op.kind = opMemory
		op.reg, op.value, err = p.memory()
	default:
		return op, false, nil
	}
	return op, err == nil, err
}

// atName reports whether the next word is a name rather than a register:
// it starts like a name and is not `r` followed by digits only.
func (p *parser) atName() bool {
	r, _ := p.peek()
	if !isNameStart(r) {
		return false
	}
	word := p.src[p.pos:]
	n := 0
	for n < len(word) && isNameChar(rune(word[n])) {
		n++
	}
	return !looksLikeRegister(word[:n])
}

func looksLikeRegister(w string) bool {
	if len(w) < 2 || w[0] != 'r' {
		return false
	}
	for _, c := range w[1:] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// register parses `r` and a decimal number. Like v0.2.8, a number too large
// for 64 bits reads as 0.
func (p *parser) register() (int64, error) {
	p.next()
	digits := p.take(isDigit)
	if digits == "" {
		return 0, p.fail(expDigit)
	}
	return parseDecimal(digits), nil
}

// integer parses an optional sign and a hexadecimal (`0x`) or decimal
// number. A `0x` without hexadecimal digits is read as the decimal 0,
// leaving the `x` for whatever follows, as v0.2.8 does.
func (p *parser) integer() (int64, error) {
	sign := int64(1)
	if r, _ := p.peek(); isSign(r) {
		if r == '-' {
			sign = -1
		}
		p.next()
	}
	hex := isHexLiteral(p.src[p.pos:])
	var x int64
	switch {
	case hex:
		p.next()
		p.next()
		v, err := strconv.ParseUint(p.take(isHex), 16, 64)
		if err == nil {
			x = int64(v)
		}
	case p.atDigit():
		x = parseDecimal(p.take(isDigit))
	default:
		return 0, p.fail(expHexPrefix, expDigit)
	}
	return sign * x, nil
}

// memory parses `[r<N>]` or `[r<N><integer>]`, such as `[r1+8]`.
func (p *parser) memory() (reg, off int64, err error) {
	p.next()
	if !p.peekIs('r') {
		return 0, 0, p.fail("'r'")
	}
	if reg, err = p.register(); err != nil {
		return 0, 0, err
	}
	follows := []string{expDigit, "'-'", "'+'", expHexPrefix, "']'"}
	if r, _ := p.peek(); isSign(r) || isDigit(r) {
		hex := p.hexAhead()
		if off, err = p.integer(); err != nil {
			return 0, 0, err
		}
		follows = []string{expDigit, "']'"}
		if hex {
			follows[0] = expHexDigit
		}
	}
	if !p.peekIs(']') {
		return 0, 0, p.fail(follows...)
	}
	p.next()
	return reg, off, nil
}

func (p *parser) atDigit() bool {
	r, ok := p.peek()
	return ok && isDigit(r)
}

// hexAhead reports whether the integer at the cursor is hexadecimal.
func (p *parser) hexAhead() bool {
	rest := p.src[p.pos:]
	if rest != "" && isSign(rune(rest[0])) {
		rest = rest[1:]
	}
	return isHexLiteral(rest)
}

// isHexLiteral reports whether s starts with `0x` and a hexadecimal digit.
func isHexLiteral(s string) bool {
	return len(s) > 2 && s[0] == '0' && s[1] == 'x' && isHex(rune(s[2]))
}

// parseDecimal reads a string of ASCII digits; v0.2.8 turns a number that
// overflows a signed 64-bit integer into 0.
func parseDecimal(digits string) int64 {
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0
	}
	return v
}
