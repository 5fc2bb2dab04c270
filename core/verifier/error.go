package verifier

import (
	"fmt"

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
)

var kindNames = [...]string{
	ProgramLengthNotMultiple:   "ProgramLengthNotMultiple",
	ProgramTooLarge:            "ProgramTooLarge",
	NoProgram:                  "NoProgram",
	InvalidLastInstruction:     "InvalidLastInstruction",
	DivisionByZero:             "DivisionByZero",
	UnsupportedLeBeArgument:    "UnsupportedLeBeArgument",
	LddwCannotBeLast:           "LddwCannotBeLast",
	IncompleteLddw:             "IncompleteLddw",
	InfiniteLoop:               "InfiniteLoop",
	JumpOutOfCode:              "JumpOutOfCode",
	JumpToMiddleOfLddw:         "JumpToMiddleOfLddw",
	InvalidSourceRegister:      "InvalidSourceRegister",
	CannotWriteR10:             "CannotWriteR10",
	InvalidDestinationRegister: "InvalidDestinationRegister",
	UnknownOpCode:              "UnknownOpCode",
	ShiftWithOverflow:          "ShiftWithOverflow",
	InvalidRegister:            "InvalidRegister",
}

// String returns the variant's name as rbpf spells it.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is one of rbpf's VerifierError values. Which fields are meaningful
// depends on Kind:
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

// Error returns rbpf's display text of the VerifierError.
func (e *Error) Error() string {
	switch e.Kind {
	case ProgramLengthNotMultiple:
		return fmt.Sprintf("program length must be a multiple of %d octets", ebpf.InsnSize)
	case ProgramTooLarge:
		return fmt.Sprintf("program too big, max %d, is %d", ebpf.ProgMaxInsns, e.Insns)
	case NoProgram:
		return "no program set, call prog_set() to load one"
	case InvalidLastInstruction:
		return "program does not end with \u201cEXIT\u201d instruction"
	case DivisionByZero:
		return fmt.Sprintf("division by 0 (insn #%d)", e.Num())
	case UnsupportedLeBeArgument:
		return fmt.Sprintf("unsupported argument for LE/BE (insn #%d)", e.Num())
	case LddwCannotBeLast:
		return "LD_DW instruction cannot be last in program"
	case IncompleteLddw:
		return fmt.Sprintf("incomplete LD_DW instruction (insn #%d)", e.Num())
	case InfiniteLoop:
		return fmt.Sprintf("infinite loop (insn #%d)", e.Num())
	case JumpOutOfCode:
		return fmt.Sprintf("jump out of code to #%d (insn #%d)", e.Target, e.Num())
	case JumpToMiddleOfLddw:
		return fmt.Sprintf("jump to middle of LD_DW at #%d (insn #%d)", e.Target, e.Num())
	case InvalidSourceRegister:
		return fmt.Sprintf("invalid source register (insn #%d)", e.Num())
	case CannotWriteR10:
		return fmt.Sprintf("cannot write into register r10 (insn #%d)", e.Num())
	case InvalidDestinationRegister:
		return fmt.Sprintf("invalid destination register (insn #%d)", e.Num())
	case UnknownOpCode:
		return fmt.Sprintf("unknown eBPF opcode %#x (insn #%d)", e.Opcode, e.Num())
	case ShiftWithOverflow:
		return fmt.Sprintf("Shift with overflow at instruction %d", e.Num())
	case InvalidRegister:
		return fmt.Sprintf("Invalid register specified at instruction %d", e.Num())
	}
	return e.Kind.String()
}

// HasPC reports whether the error names an instruction (PC is meaningful).
// Errors about the program as a whole (its length, its missing exit) do
// not.
func (e *Error) HasPC() bool {
	switch e.Kind {
	case ProgramLengthNotMultiple, ProgramTooLarge, NoProgram, InvalidLastInstruction, LddwCannotBeLast:
		return false
	}
	return true
}

// Debug returns rbpf's `{:?}` text of the VerifierError, for example
// "DivisionByZero(1)" or "JumpOutOfCode(3, 0)".
func (e *Error) Debug() string {
	name := e.Kind.String()
	switch e.Kind {
	case ProgramLengthNotMultiple, NoProgram, InvalidLastInstruction, LddwCannotBeLast:
		return name
	case ProgramTooLarge:
		return fmt.Sprintf("%s(%d)", name, e.Insns)
	case JumpOutOfCode, JumpToMiddleOfLddw:
		return fmt.Sprintf("%s(%d, %d)", name, e.Target, e.Num())
	case UnknownOpCode:
		return fmt.Sprintf("%s(%d, %d)", name, e.Opcode, e.Num())
	}
	return fmt.Sprintf("%s(%d)", name, e.Num())
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
