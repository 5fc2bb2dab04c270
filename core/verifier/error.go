package verifier

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Kind names one of rbpf's VerifierError variants.
type Kind int

// The variants of rbpf's VerifierError, in the order rbpf declares them.
const (
	ProgramLengthNotMultiple Kind = iota
	ProgramTooLarge
	NoProgram
	InvalidLastInstruction
	DivisionByZero
	UnsupportedLeBeArgument
	LddwCannotBeLast
	IncompleteLddw
	InfiniteLoop
	JumpOutOfCode
	JumpToMiddleOfLddw
	InvalidSourceRegister
	CannotWriteR10
	InvalidDestinationRegister
	UnknownOpCode
	ShiftWithOverflow
	InvalidRegister

	numKinds // the number of kinds; not a kind
)

// String returns the variant's name as rbpf spells it.
func (k Kind) String() string {
	if k >= 0 && k < numKinds {
		return variants[k].name
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is one of rbpf's VerifierError values. Which fields are meaningful
// depends on Kind (the variants table says which each kind's texts show):
//
//   - PC: the instruction index the rule failed at (every kind that names an
//     instruction);
//   - Target: the jump target of JumpOutOfCode and JumpToMiddleOfLddw, as an
//     unsigned 64-bit number (a target before the start wraps around, as
//     Rust's `as usize` does);
//   - Opcode: the rejected opcode of UnknownOpCode;
//   - Insns: the instruction count of ProgramTooLarge;
//   - Offset: what the texts add to PC: 0 for rbpf's verifier, which
//     reports plain indexes, and ebpf.ElfInsnDumpOffset for the Solana
//     loader's (CheckLoader), which reports the VM's instruction numbers.
type Error struct {
	Kind   Kind
	PC     int
	Target uint64
	Opcode uint8
	Insns  int
	Offset int
}

// Num is the instruction number the texts show: PC + Offset.
func (e *Error) Num() int { return e.PC + e.Offset }

// arg is a value the texts of an Error show.
type arg uint8

const (
	argNum      arg = iota // Num(): the instruction number
	argTarget              // Target
	argOpcode              // Opcode
	argInsns               // Insns
	argInsnSize            // ebpf.InsnSize, the constant
	argMaxInsns            // ebpf.ProgMaxInsns, the constant
)

// variant is one row of the variants table: rbpf's name of a variant, the
// values its texts show, and the fmt formats of its Display text (Error)
// and of its Debug text (Debug). Both formats refer to the values by
// position, %[1]d for the first, so each shows them in its own order; a
// format without verbs is the text itself.
type variant struct {
	name           string
	args           []arg
	display, debug string
}

func args(a ...arg) []arg { return a }

// variants is the text of every kind, as v0.2.8 displays (thiserror's
// #[error] attributes of src/verifier.rs) and debug-prints
// (#[derive(Debug)]) it. An instruction is named in the texts exactly when
// argNum is among the values (HasPC).
var variants = [numKinds]variant{
	ProgramLengthNotMultiple:   {"ProgramLengthNotMultiple", args(argInsnSize), "program length must be a multiple of %[1]d octets", "ProgramLengthNotMultiple"},
	ProgramTooLarge:            {"ProgramTooLarge", args(argMaxInsns, argInsns), "program too big, max %[1]d, is %[2]d", "ProgramTooLarge(%[2]d)"},
	NoProgram:                  {"NoProgram", nil, "no program set, call prog_set() to load one", "NoProgram"},
	InvalidLastInstruction:     {"InvalidLastInstruction", nil, "program does not end with \u201cEXIT\u201d instruction", "InvalidLastInstruction"},
	DivisionByZero:             {"DivisionByZero", args(argNum), "division by 0 (insn #%[1]d)", "DivisionByZero(%[1]d)"},
	UnsupportedLeBeArgument:    {"UnsupportedLeBeArgument", args(argNum), "unsupported argument for LE/BE (insn #%[1]d)", "UnsupportedLeBeArgument(%[1]d)"},
	LddwCannotBeLast:           {"LddwCannotBeLast", nil, "LD_DW instruction cannot be last in program", "LddwCannotBeLast"},
	IncompleteLddw:             {"IncompleteLddw", args(argNum), "incomplete LD_DW instruction (insn #%[1]d)", "IncompleteLddw(%[1]d)"},
	InfiniteLoop:               {"InfiniteLoop", args(argNum), "infinite loop (insn #%[1]d)", "InfiniteLoop(%[1]d)"},
	JumpOutOfCode:              {"JumpOutOfCode", args(argTarget, argNum), "jump out of code to #%[1]d (insn #%[2]d)", "JumpOutOfCode(%[1]d, %[2]d)"},
	JumpToMiddleOfLddw:         {"JumpToMiddleOfLddw", args(argTarget, argNum), "jump to middle of LD_DW at #%[1]d (insn #%[2]d)", "JumpToMiddleOfLddw(%[1]d, %[2]d)"},
	InvalidSourceRegister:      {"InvalidSourceRegister", args(argNum), "invalid source register (insn #%[1]d)", "InvalidSourceRegister(%[1]d)"},
	CannotWriteR10:             {"CannotWriteR10", args(argNum), "cannot write into register r10 (insn #%[1]d)", "CannotWriteR10(%[1]d)"},
	InvalidDestinationRegister: {"InvalidDestinationRegister", args(argNum), "invalid destination register (insn #%[1]d)", "InvalidDestinationRegister(%[1]d)"},
	UnknownOpCode:              {"UnknownOpCode", args(argOpcode, argNum), "unknown eBPF opcode %#[1]x (insn #%[2]d)", "UnknownOpCode(%[1]d, %[2]d)"},
	ShiftWithOverflow:          {"ShiftWithOverflow", args(argNum), "Shift with overflow at instruction %[1]d", "ShiftWithOverflow(%[1]d)"},
	InvalidRegister:            {"InvalidRegister", args(argNum), "Invalid register specified at instruction %[1]d", "InvalidRegister(%[1]d)"},
}

// Error returns rbpf's display text of the VerifierError; an unknown kind
// gives its name.
func (e *Error) Error() string {
	if e.Kind < 0 || e.Kind >= numKinds {
		return e.Kind.String()
	}
	v := &variants[e.Kind]
	return e.format(v.display, v.args)
}

// HasPC reports whether the error names an instruction (PC is meaningful).
// Errors about the program as a whole (its length, its missing exit) do
// not.
func (e *Error) HasPC() bool {
	if e.Kind < 0 || e.Kind >= numKinds {
		return true
	}
	return slices.Contains(variants[e.Kind].args, argNum)
}

// Debug returns rbpf's `{:?}` text of the VerifierError, for example
// "DivisionByZero(1)" or "JumpOutOfCode(3, 0)".
func (e *Error) Debug() string {
	if e.Kind < 0 || e.Kind >= numKinds {
		return fmt.Sprintf("%s(%d)", e.Kind, e.Num())
	}
	v := &variants[e.Kind]
	return e.format(v.debug, v.args)
}

// format fills a format of e's variant with the values args name. A
// format without verbs is returned as it is, since fmt would append the
// values it does not use.
func (e *Error) format(f string, args []arg) string {
	if !strings.Contains(f, "%") {
		return f
	}
	vals := make([]any, len(args))
	for i, a := range args {
		switch a {
		case argNum:
			vals[i] = e.Num()
		case argTarget:
			vals[i] = e.Target
		case argOpcode:
			vals[i] = e.Opcode
		case argInsns:
			vals[i] = e.Insns
		case argInsnSize:
			vals[i] = ebpf.InsnSize
		case argMaxInsns:
			vals[i] = ebpf.ProgMaxInsns
		}
	}
	return fmt.Sprintf(f, vals...)
}

// UserErrorText is what rbpf displays for any rejected program once the
// verifier's result has become an EbpfError.
const UserErrorText = "VerifierError"

// UserError is rbpf's UserError::VerifierError: the value `verifier::check`
// returns. Its text is always UserErrorText; the detail is in Err.
type UserError struct {
	Err *Error
}

// Error returns "VerifierError", rbpf's display text for this error.
func (u *UserError) Error() string { return UserErrorText }

// Unwrap gives access to the detailed verifier error.
func (u *UserError) Unwrap() error { return u.Err }

// Debug returns rbpf's `{:?}` text, e.g. "VerifierError(DivisionByZero(1))".
func (u *UserError) Debug() string {
	if u.Err == nil {
		return UserErrorText
	}
	return UserErrorText + "(" + u.Err.Debug() + ")"
}
