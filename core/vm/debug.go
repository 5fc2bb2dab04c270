package vm

import (
	"fmt"
	"strconv"
)

// debugger is an error that can print itself as Rust's `{:?}` does.
type debugger interface{ Debug() string }

// Debug returns rbpf's `{:?}` text of the error, for example
// "ExceededMaxInstructions(31, 10)" or `AccessViolation(29, Load,
// 4294967296, 1, "program")`; rbpf's CLI prints results this way. A wrapped
// user or ELF error contributes its own Debug() when it has one, else its
// message quoted.
func (e *Error) Debug() string {
	switch e.Kind {
	case UserError:
		return "UserError(" + debugOf(e.Err) + ")"
	case ElfError:
		return "ElfError(" + debugOf(e.Err) + ")"
	case SyscallAlreadyRegistered:
		return fmt.Sprintf("SycallAlreadyRegistered(%d)", e.Num)
	case SyscallNotRegistered:
		return fmt.Sprintf("SyscallNotRegistered(%d)", e.Num)
	case SyscallAlreadyBound:
		return fmt.Sprintf("SyscallAlreadyBound(%d)", e.Num)
	case CallDepthExceeded:
		return fmt.Sprintf("CallDepthExceeded(%d, %d)", e.PC, e.Num)
	case ExitRootCallFrame:
		return "ExitRootCallFrame"
	case CallOutsideTextSegment:
		return fmt.Sprintf("CallOutsideTextSegment(%d, %d)", e.PC, e.Addr)
	case ExceededMaxInstructions:
		return fmt.Sprintf("ExceededMaxInstructions(%d, %d)", e.PC, e.Num)
	case JitNotCompiled:
		return "JitNotCompiled"
	case InvalidVirtualAddress:
		return fmt.Sprintf("InvalidVirtualAddress(%d)", e.Addr)
	case VirtualAddressOverlap:
		return fmt.Sprintf("VirtualAddressOverlap(%d)", e.Addr)
	case AccessViolation:
		return fmt.Sprintf("AccessViolation(%d, %s, %d, %d, %s)", e.PC, e.Access, e.Addr, e.Len, strconv.Quote(e.Section))
	case StackAccessViolation:
		return fmt.Sprintf("StackAccessViolation(%d, %s, %d, %d, %d)", e.PC, e.Access, e.Addr, e.Len, e.Frame)
	case InvalidRegister:
		return fmt.Sprintf("InvalidRegister(%d, %d)", e.PC, int64(e.Num))
	}
	if name, ok := pcOnlyNames[e.Kind]; ok {
		return fmt.Sprintf("%s(%d)", name, e.PC)
	}
	return fmt.Sprintf("Kind%d", e.Kind)
}

// pcOnlyNames are the variants whose only field is the instruction number.
var pcOnlyNames = map[Kind]string{
	DivideByZero:           "DivideByZero",
	ExecutionOverrun:       "ExecutionOverrun",
	InvalidInstruction:     "InvalidInstruction",
	UnsupportedInstruction: "UnsupportedInstruction",
	ExhaustedTextSegment:   "ExhausedTextSegment",
	IncompleteLddw:         "IncompleteLddw",
}

func debugOf(err error) string {
	if d, ok := err.(debugger); ok {
		return d.Debug()
	}
	return strconv.Quote(errText(err))
}

// DebugResult is rbpf's `{:?}` text of a program result: "Ok(42)" or
// "Err(...)" with the error's Debug text, as rbpf's CLI prints after
// "Result: ".
func DebugResult(value uint64, err error) string {
	if err == nil {
		return fmt.Sprintf("Ok(%d)", value)
	}
	return "Err(" + debugOf(err) + ")"
}
