package asm

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Program is an assembled program together with what the source said about
// it beyond the bytes: its labels, which of them are functions, the source
// line of every slot, and the places that need a symbol resolved (which an
// ELF builder turns into symbols and relocations).
type Program struct {
	// Bytes is the encoded program, 8 bytes per slot.
	Bytes []byte
	// Labels maps every label to the slot index it names. A label at the end
	// of the source names the slot after the last one.
	Labels map[string]int
	// Functions holds the labels that start a function: those named by a
	// `call name` of this program, and `entrypoint` when it is defined.
	Functions map[string]int
	// Lines holds the 1-based source line of each slot; both slots of an
	// lddw have the line of the lddw.
	Lines []int
	// Calls lists every `call name` in source order. Its imm already holds
	// ebpf.HashSymbolName(Name). Local reports whether Name is a label of
	// this program; the others are external (syscalls), which an ELF needs a
	// relocation for.
	Calls []Ref
	// Loads lists every `lddw rN, name`; its constant is left 0.
	Loads []Ref
}

// Ref is a use of a name at an instruction.
type Ref struct {
	PC    int    // slot index of the instruction
	Name  string // the name as written
	Line  int    // 1-based source line
	Local bool   // for calls: Name is a label of the same program
}

// ExternalCalls returns the calls to names that are not labels of the
// program, in source order.
func (p *Program) ExternalCalls() []Ref {
	var out []Ref
	for _, c := range p.Calls {
		if !c.Local {
			out = append(out, c)
		}
	}
	return out
}

// Assemble translates source text into program bytes. It accepts rbpf
// v0.2.8's syntax and produces the same bytes as v0.2.8's `assemble`, plus
// the extensions described in the package documentation. Errors are *Error.
// A program with `lddw rN, name` data references is rejected, because only
// an ELF can fill them in; use AssembleProgram for those.
func Assemble(src string) ([]byte, error) {
	p, err := assemble(src, false)
	if err != nil {
		return nil, err
	}
	if len(p.Loads) > 0 {
		l := p.Loads[0]
		return nil, &Error{Kind: ExtensionError, Line: l.Line, Column: 1,
			Msg: fmt.Sprintf("lddw of the symbol %q needs an ELF relocation", l.Name)}
	}
	return p.Bytes, nil
}

// AssembleProgram assembles src like Assemble and also reports labels,
// functions, source lines and named call and load sites.
func AssembleProgram(src string) (*Program, error) {
	return assemble(src, true)
}

// assemble runs the two passes over the source. The first parses all of
// it, keeping only the slot count and where the labels fall: v0.2.8 parses
// the whole text before encoding anything, so a syntax error anywhere wins
// over an encoding error before it. The second parses again and encodes
// statement by statement, stopping at the first error. Neither keeps the
// statements, so memory grows with the output (8 bytes per slot, 8 more
// for Lines when lines is set) and not with the parse.
func assemble(src string, lines bool) (*Program, error) {
	text, defs, labels, err := preprocess(src)
	if err != nil {
		return nil, err
	}
	l, err := layout(text, defs, labels)
	if err != nil {
		return nil, v028Wording(text, l.wordFrom, err)
	}
	slots := l.slots
	prog := &Program{Labels: labels}
	if l.calls > 0 {
		prog.Calls = make([]Ref, 0, l.calls)
	}
	if l.loads > 0 {
		prog.Loads = make([]Ref, 0, l.loads)
	}
	enc := &encoder{labels: prog.Labels, prog: prog}
	p := newParser(text, namedOperandMnemonics())
	for pc := 0; ; {
		st, ok, err := p.nextStatement()
		if err != nil {
			return nil, err // the first pass found none; cannot happen
		}
		if !ok {
			break
		}
		insns, n, err := enc.encode(st, pc)
		if err != nil {
			return nil, err
		}
		if prog.Bytes == nil {
			// Allocated once the first statement encodes, so that junk
			// fails without reserving room for a program.
			prog.Bytes = make([]byte, 0, slots*ebpf.InsnSize)
			if lines {
				prog.Lines = make([]int, 0, slots)
			}
		}
		for _, in := range insns[:n] {
			prog.Bytes = in.Append(prog.Bytes)
			if lines {
				prog.Lines = append(prog.Lines, st.line)
			}
		}
		pc += n
	}
	if prog.Bytes == nil {
		prog.Bytes = []byte{}
		if lines {
			prog.Lines = []int{}
		}
	}
	prog.Functions = functionLabels(prog)
	return prog, nil
}

// layoutInfo is what the first pass learns.
type layoutInfo struct {
	slots        int // slots of the program
	calls, loads int // `call name` and `lddw rN, name` statements
	wordFrom     int // after a syntax error: where v028Wording starts
}

// layout parses all of text and sets labels[name] to the slot each label
// names (its value was the label's index in defs), or returns the first
// syntax error. A label names the slot of the first statement after it, or
// the slot after the last one.
func layout(text string, defs []labelDef, labels map[string]int) (layoutInfo, error) {
	var l layoutInfo
	p := newParser(text, namedOperandMnemonics())
	d := 0
	for {
		st, ok, err := p.nextStatement()
		if err != nil {
			l.wordFrom = p.wordFrom
			return l, err
		}
		if !ok {
			break
		}
		for ; d < len(defs) && int(defs[d].offset) <= st.offset; d++ {
			labels[defs[d].name] = l.slots
		}
		l.slots++
		switch {
		case st.name == "lddw":
			l.slots++
			if len(st.operands) == 2 && st.operands[1].kind == opName {
				l.loads++
			}
		case st.name == "call" && len(st.operands) == 1 && st.operands[0].kind == opName:
			l.calls++
		}
	}
	for ; d < len(defs); d++ {
		labels[defs[d].name] = l.slots
	}
	return l, nil
}

// v028Wording replaces a parse error by the one rbpf v0.2.8 reports for the
// same text when v0.2.8 fails at the same place, which is always the case
// unless the text uses named operands.
//
// v0.2.8's grammar runs from offset from rather than from the start: the
// wording of an error depends only on the statement it occurs in, or, for
// text that cannot start a statement, on the statement before it (the
// grammar's repetition keeps no other state), and the combinators allocate
// for every character they reject, which over a whole large source came to
// about 60 bytes per byte of source.
func v028Wording(text string, from int, err error) error {
	mine, ok := err.(*Error)
	if !ok {
		return err
	}
	if v := v028ParseErrorFrom(text, from); v != nil && v.Line == mine.Line && v.Column == mine.Column {
		return v
	}
	return err
}

// functionLabels marks call targets as local and collects the labels that
// start functions.
func functionLabels(p *Program) map[string]int {
	fns := map[string]int{}
	if pc, ok := p.Labels["entrypoint"]; ok {
		fns["entrypoint"] = pc
	}
	for i, c := range p.Calls {
		if pc, ok := p.Labels[c.Name]; ok {
			p.Calls[i].Local = true
			fns[c.Name] = pc
		}
	}
	return fns
}

// Insns returns the program as instruction slots.
func (p *Program) Insns() []ebpf.Insn { return ebpf.Decode(p.Bytes) }
