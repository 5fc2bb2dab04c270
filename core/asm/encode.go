package asm

import (
	"fmt"
	"strings"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// encoder turns statements into instructions. It knows the slot index of
// every label so that named jump targets become offsets.
type encoder struct {
	labels map[string]int
	prog   *Program
}

// shape is the operand pattern of a statement, one letter per operand:
// R register, I integer, M memory, N name. Statements have at most three
// operands by the time it is asked (encode checks), so the patterns come
// from a table and cost no allocation.
func shape(ops []operand) string {
	i := 0
	for _, o := range ops {
		i = i*4 + int(o.kind) + 1
	}
	return shapes()[i]
}

// shapes lists every pattern of up to three operands by its index in shape.
var shapes = sync.OnceValue(func() []string {
	out := make([]string, 4*4*4*4+4*4+4+1)
	var fill func(prefix string, i int)
	fill = func(prefix string, i int) {
		out[i] = prefix
		if len(prefix) < 3 {
			for k := 0; k < 4; k++ {
				fill(prefix+string("RIMN"[k]), i*4+k+1)
			}
		}
	}
	fill("", 0)
	return out
})

// encode returns the instruction slots of st (n of them: 2 for lddw),
// which starts at slot pc. The error text is rbpf v0.2.8's where v0.2.8 has
// one.
func (e *encoder) encode(st statement, pc int) (insns [2]ebpf.Insn, n int, err error) {
	m, ok := mnemonics()[st.name]
	if !ok {
		return insns, 0, e.fail(st, EncodeError, fmt.Sprintf("Invalid instruction %q", st.name))
	}
	if len(st.operands) > 3 {
		return insns, 0, e.failEncode(st, "Too many operands")
	}
	insns[0], err = e.build(st, m, pc)
	if err != nil {
		return insns, 0, err
	}
	if m.opc != ebpf.LdDwImm {
		return insns, 1, nil
	}
	if imm := st.operands[1]; imm.kind == opInteger {
		insns[1].Imm = int32(imm.value >> 32)
	}
	return insns, 2, nil
}

// build matches the operands against the patterns of the mnemonic's form.
func (e *encoder) build(st statement, m mnemonic, pc int) (ebpf.Insn, error) {
	ops := st.operands
	a, b, c := at(ops, 0), at(ops, 1), at(ops, 2)
	switch sh, f := shape(ops), m.opc.Form(); {
	case f == ebpf.FormAluImm && sh == "RR":
		return e.insn(st, m.opc|ebpf.SrcX, a.reg, b.reg, 0, 0)
	case f == ebpf.FormAluImm && sh == "RI":
		return e.insn(st, m.opc|ebpf.SrcK, a.reg, 0, 0, b.value)
	case f == ebpf.FormUnary && sh == "R":
		return e.insn(st, m.opc, a.reg, 0, 0, 0)
	case f == ebpf.FormLoadAbs && sh == "I":
		return e.insn(st, m.opc, 0, 0, 0, a.value)
	case f == ebpf.FormLoadInd && sh == "RI":
		return e.insn(st, m.opc, 0, a.reg, 0, b.value)
	case f == ebpf.FormLoadReg && sh == "RM":
		return e.insn(st, m.opc, a.reg, b.reg, b.value, 0)
	case f == ebpf.FormStoreReg && sh == "MR":
		return e.insn(st, m.opc, a.reg, b.reg, a.value, 0)
	case f == ebpf.FormStoreImm && sh == "MI":
		return e.insn(st, m.opc, a.reg, 0, a.value, b.value)
	case f == ebpf.FormExit && sh == "":
		return e.insn(st, m.opc, 0, 0, 0, 0)
	case f == ebpf.FormJa && (sh == "I" || sh == "N"):
		off, err := e.target(a, pc)
		if err != nil {
			return ebpf.Insn{}, err
		}
		return e.insn(st, m.opc, 0, 0, off, 0)
	case f == ebpf.FormJumpImm && (sh == "RRI" || sh == "RRN" || sh == "RII" || sh == "RIN"):
		return e.condJump(st, m, pc, a, b, c)
	case (f == ebpf.FormCall || f == ebpf.FormCallReg) && sh == "I":
		return e.insn(st, m.opc, 0, 0, 0, a.value)
	case f == ebpf.FormCall && sh == "N":
		e.prog.Calls = append(e.prog.Calls, Ref{PC: pc, Name: a.name, Line: st.line})
		return e.insn(st, m.opc, 0, 0, 0, int64(int32(ebpf.HashSymbolName([]byte(a.name)))))
	case f == ebpf.FormEndian && sh == "R":
		return e.insn(st, m.opc, a.reg, 0, 0, m.width)
	case f == ebpf.FormLoadImm64 && sh == "RI":
		return e.insn(st, m.opc, a.reg, 0, 0, int64(int32(b.value)))
	case f == ebpf.FormLoadImm64 && sh == "RN":
		e.prog.Loads = append(e.prog.Loads, Ref{PC: pc, Name: b.name, Line: st.line})
		return e.insn(st, m.opc, a.reg, 0, 0, 0)
	}
	return ebpf.Insn{}, e.failEncode(st, "Unexpected operands: "+formatOperands(ops))
}

func (e *encoder) condJump(st statement, m mnemonic, pc int, a, b, c operand) (ebpf.Insn, error) {
	off, err := e.target(c, pc)
	if err != nil {
		return ebpf.Insn{}, err
	}
	if b.kind == opRegister {
		return e.insn(st, m.opc|ebpf.SrcX, a.reg, b.reg, off, 0)
	}
	return e.insn(st, m.opc|ebpf.SrcK, a.reg, 0, off, b.value)
}

// target returns the jump offset an operand stands for: the integer itself,
// or the distance from the slot after pc to a label.
func (e *encoder) target(o operand, pc int) (int64, error) {
	if o.kind != opName {
		return o.value, nil
	}
	to, ok := e.labels[o.name]
	if !ok {
		return 0, &Error{Kind: ExtensionError, Line: o.line, Column: o.col,
			Msg: fmt.Sprintf("undefined label %q", o.name)}
	}
	return int64(to - pc - 1), nil
}

// insn checks the fields' ranges in the order and with the words of
// v0.2.8. Like v0.2.8 it does not reject a negative source register, which
// the parser cannot produce anyway.
func (e *encoder) insn(st statement, opc ebpf.OpCode, dst, src, off, imm int64) (ebpf.Insn, error) {
	switch {
	case dst < 0 || dst >= 16:
		return ebpf.Insn{}, e.failEncode(st, fmt.Sprintf("Invalid destination register %d", dst))
	case src >= 16:
		return ebpf.Insn{}, e.failEncode(st, fmt.Sprintf("Invalid source register %d", src))
	case off < -32768 || off >= 32768:
		return ebpf.Insn{}, e.failEncode(st, fmt.Sprintf("Invalid offset %d", off))
	case imm < -2147483648 || imm >= 2147483648:
		return ebpf.Insn{}, e.failEncode(st, fmt.Sprintf("Invalid immediate %d", imm))
	}
	return ebpf.Insn{Opc: opc, Dst: uint8(dst), Src: uint8(src), Off: int16(off), Imm: int32(imm)}, nil
}

func (e *encoder) failEncode(st statement, msg string) error {
	return e.fail(st, EncodeError, fmt.Sprintf("Failed to encode %s: %s", st.name, msg))
}

func (e *encoder) fail(st statement, kind ErrorKind, msg string) error {
	return &Error{Kind: kind, Line: st.line, Column: st.col, Msg: msg}
}

func at(ops []operand, i int) operand {
	if i < len(ops) {
		return ops[i]
	}
	return operand{}
}

// formatOperands formats a list the way Rust's Debug output of a Vec does.
func formatOperands(ops []operand) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
