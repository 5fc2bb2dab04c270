package asm

import (
	"fmt"
	"sort"

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
	p, err := AssembleProgram(src)
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
	text, defs, err := preprocess(src)
	if err != nil {
		return nil, err
	}
	stmts, err := parse(text)
	if err != nil {
		return nil, v028Wording(text, err)
	}
	pcs := slotIndexes(stmts)
	slots := slotCount(stmts, pcs)
	prog := &Program{
		Labels: labelSlots(defs, stmts, pcs),
		Bytes:  make([]byte, 0, slots*ebpf.InsnSize),
		Lines:  make([]int, 0, slots),
	}
	enc := &encoder{labels: prog.Labels, prog: prog}
	for i, st := range stmts {
		insns, err := enc.encode(st, pcs[i])
		if err != nil {
			return nil, err
		}
		for _, in := range insns {
			prog.Bytes = in.Append(prog.Bytes)
			prog.Lines = append(prog.Lines, st.line)
		}
	}
	prog.Functions = functionLabels(prog)
	return prog, nil
}

// v028Wording replaces a parse error by the one rbpf v0.2.8 reports for the
// same text when v0.2.8 fails at the same place, which is always the case
// unless the text uses named operands.
func v028Wording(text string, err error) error {
	mine, ok := err.(*Error)
	if !ok {
		return err
	}
	if v := v028ParseError(text); v != nil && v.Line == mine.Line && v.Column == mine.Column {
		return v
	}
	return err
}

// slotIndexes returns the slot index each statement starts at; an lddw
// takes two slots.
func slotIndexes(stmts []statement) []int {
	pcs := make([]int, len(stmts))
	pc := 0
	for i, st := range stmts {
		pcs[i] = pc
		pc++
		if st.name == "lddw" {
			pc++
		}
	}
	return pcs
}

// slotCount returns the number of slots the statements occupy.
func slotCount(stmts []statement, pcs []int) int {
	n := len(stmts)
	if n == 0 {
		return 0
	}
	if stmts[n-1].name == "lddw" {
		return pcs[n-1] + 2
	}
	return pcs[n-1] + 1
}

// labelSlots gives each label the slot of the first statement after it.
func labelSlots(defs []labelDef, stmts []statement, pcs []int) map[string]int {
	end := slotCount(stmts, pcs)
	out := make(map[string]int, len(defs))
	for _, d := range defs {
		i := sort.Search(len(stmts), func(i int) bool { return stmts[i].offset >= d.offset })
		if i < len(stmts) {
			out[d.name] = pcs[i]
		} else {
			out[d.name] = end
		}
	}
	return out
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
