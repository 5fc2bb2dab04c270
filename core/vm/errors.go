package vm

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// AccessType says whether a memory access reads or writes.
type AccessType uint8

// The two kinds of memory access.
const (
	Load AccessType = iota
	Store
)

// String is the name rbpf's Debug output uses: "Load" or "Store".
func (a AccessType) String() string {
	if a == Store {
		return "Store"
	}
	return "Load"
}

// Kind selects which of rbpf's EbpfError variants an Error is. The
// constants carry the variants' names, as core/elf's and core/verifier's
// Kind constants do.
type Kind uint8

// The variants of rbpf v0.2.8's EbpfError, in declaration order, followed by
// the kinds this project adds where v0.2.8 would panic. The comment of each
// says which fields of Error it uses.
const (
	UserError                Kind = iota // Err
	ElfError                             // Err
	SyscallAlreadyRegistered             // Num is the hash
	SyscallNotRegistered                 // Num is the hash
	SyscallAlreadyBound                  // Num is the slot
	CallDepthExceeded                    // PC, Num is the depth
	ExitRootCallFrame                    //
	DivideByZero                         // PC
	ExecutionOverrun                     // PC
	CallOutsideTextSegment               // PC, Addr
	ExceededMaxInstructions              // PC, Num is the initial meter value
	JitNotCompiled                       //
	InvalidVirtualAddress                // Addr
	VirtualAddressOverlap                // Addr
	AccessViolation                      // PC, Access, Addr, Len, Section
	StackAccessViolation                 // PC, Access, Addr, Len, Frame
	InvalidInstruction                   // PC
	UnsupportedInstruction               // PC
	ExhaustedTextSegment                 // PC

	// InvalidRegister is not in v0.2.8: an instruction names a register
	// above r10 (or callx names one in imm). v0.2.8 panics on an out of
	// bounds index there; Num is the register number.
	InvalidRegister
	// IncompleteLddw is not in v0.2.8: an lddw occupies the last slot, so
	// its second half is missing. v0.2.8 panics reading past the program.
	IncompleteLddw

	numKinds // the number of kinds; not a kind
)

// Error is rbpf's EbpfError. Its Error() text is exactly the Display text of
// the corresponding v0.2.8 variant. Which fields are meaningful depends on
// Kind (see the Kind constants). PC holds the instruction number as
// reported, that is with ebpf.ElfInsnDumpOffset already added, as an unsigned
// wrapping value like Rust's usize.
type Error struct {
	Kind    Kind
	PC      uint64
	Num     uint64
	Addr    uint64
	Len     uint64
	Access  AccessType
	Section string // "program", "stack", "heap", "input" or "unknown"
	Frame   int64  // the stack frame of a StackAccessViolation
	Err     error  // the wrapped error of UserError and ElfError
}

// arg is a value the texts of an Error show.
type arg uint8

const (
	argPC       arg = iota // PC
	argNum                 // Num
	argReg                 // Num as a signed number: a register
	argAddr                // Addr
	argLen                 // Len
	argAccess              // Access ("Load" or "Store")
	argSection             // Section
	argFrame               // Frame
	argErr                 // the wrapped error's text
	argErrDebug            // the wrapped error's Debug text, else its text quoted
)

// variant is one row of the variants table: the values a variant's texts
// show, and the fmt formats of its Display text (Error) and of its Debug
// text (Debug). Both formats refer to the values by position, %[1]d for
// the first, so each shows them in its own order.
type variant struct {
	args           []arg
	display, debug string
}

func args(a ...arg) []arg { return a }

// variants is the text of every kind, as v0.2.8 displays (thiserror's
// #[error] attributes of src/error.rs) and debug-prints (#[derive(Debug)])
// it. The misspellings are rbpf's.
var variants = [numKinds]variant{
	UserError:                {args(argErr, argErrDebug), "%[1]s", "UserError(%[2]s)"},
	ElfError:                 {args(argErr, argErrDebug), "ELF error: %[1]s", "ElfError(%[2]s)"},
	SyscallAlreadyRegistered: {args(argNum), "syscall #%[1]d was already registered before", "SycallAlreadyRegistered(%[1]d)"},
	SyscallNotRegistered:     {args(argNum), "syscall #%[1]d was not registered before bind", "SyscallNotRegistered(%[1]d)"},
	SyscallAlreadyBound:      {args(argNum), "syscall #%[1]d already has a bound context object", "SyscallAlreadyBound(%[1]d)"},
	CallDepthExceeded:        {args(argPC, argNum), "exceeded max BPF to BPF call depth of %[2]d at instruction #%[1]d", "CallDepthExceeded(%[1]d, %[2]d)"},
	ExitRootCallFrame:        {nil, "attempted to exit root call frame", "ExitRootCallFrame"},
	DivideByZero:             {args(argPC), "divide by zero at instruction %[1]d", "DivideByZero(%[1]d)"},
	ExecutionOverrun:         {args(argPC), "attempted to execute past the end of the text segment at instruction #%[1]d", "ExecutionOverrun(%[1]d)"},
	CallOutsideTextSegment:   {args(argPC, argAddr), "callx at instruction %[1]d attempted to call outside of the text segment to addr 0x%[2]x", "CallOutsideTextSegment(%[1]d, %[2]d)"},
	ExceededMaxInstructions:  {args(argPC, argNum), "exceeded maximum number of instructions allowed (%[2]d) at instruction #%[1]d", "ExceededMaxInstructions(%[1]d, %[2]d)"},
	JitNotCompiled:           {nil, "program has not been JIT-compiled", "JitNotCompiled"},
	InvalidVirtualAddress:    {args(argAddr), "invalid virtual address %[1]x", "InvalidVirtualAddress(%[1]d)"},
	VirtualAddressOverlap:    {args(argAddr), "virtual address overlap %[1]x", "VirtualAddressOverlap(%[1]d)"},
	AccessViolation: {args(argPC, argAccess, argAddr, argLen, argSection),
		"Access violation in %[5]s section at address %#[3]x of size %[4]d by instruction #%[1]d",
		"AccessViolation(%[1]d, %[2]s, %[3]d, %[4]d, %[5]q)"},
	StackAccessViolation: {args(argPC, argAccess, argAddr, argLen, argFrame),
		"Access violation in stack frame %[5]d at address %#[3]x of size %[4]d by instruction #%[1]d",
		"StackAccessViolation(%[1]d, %[2]s, %[3]d, %[4]d, %[5]d)"},
	InvalidInstruction:     {args(argPC), "invalid instruction at %[1]d", "InvalidInstruction(%[1]d)"},
	UnsupportedInstruction: {args(argPC), "unsupported instruction at instruction %[1]d", "UnsupportedInstruction(%[1]d)"},
	ExhaustedTextSegment:   {args(argPC), "Compilation exhaused text segment at instruction %[1]d", "ExhausedTextSegment(%[1]d)"},
	InvalidRegister:        {args(argPC, argReg), "invalid register r%[2]d used at instruction #%[1]d", "InvalidRegister(%[1]d, %[2]d)"},
	IncompleteLddw:         {args(argPC), "incomplete lddw at instruction #%[1]d", "IncompleteLddw(%[1]d)"},
}

// Error returns the message v0.2.8 displays for the variant.
func (e *Error) Error() string {
	if e.Kind >= numKinds {
		return fmt.Sprintf("unknown error kind %d", e.Kind)
	}
	v := &variants[e.Kind]
	return fmt.Sprintf(v.display, e.values(v.args)...)
}

// Debug returns rbpf's `{:?}` text of the error, for example
// "ExceededMaxInstructions(31, 10)" or `AccessViolation(29, Load,
// 4294967296, 1, "program")`; rbpf's CLI prints results this way. A wrapped
// user or ELF error contributes its own Debug() when it has one, else its
// message quoted.
func (e *Error) Debug() string {
	if e.Kind >= numKinds {
		return fmt.Sprintf("Kind%d", e.Kind)
	}
	v := &variants[e.Kind]
	return fmt.Sprintf(v.debug, e.values(v.args)...)
}

// values are the values of args for e, for the formats of its variant.
func (e *Error) values(args []arg) []any {
	vals := make([]any, len(args))
	for i, a := range args {
		switch a {
		case argPC:
			vals[i] = e.PC
		case argNum:
			vals[i] = e.Num
		case argReg:
			vals[i] = int64(e.Num)
		case argAddr:
			vals[i] = e.Addr
		case argLen:
			vals[i] = e.Len
		case argAccess:
			vals[i] = e.Access
		case argSection:
			vals[i] = e.Section
		case argFrame:
			vals[i] = e.Frame
		case argErr:
			vals[i] = errText(e.Err)
		case argErrDebug:
			vals[i] = debugOf(e.Err)
		}
	}
	return vals
}

// Unwrap returns the wrapped user or ELF error, if any.
func (e *Error) Unwrap() error { return e.Err }

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// insnNum is the number rbpf reports for instruction index pc: pc + 29,
// wrapping like usize arithmetic for the negative indexes a backward jump
// can produce.
func insnNum(pc int) uint64 { return uint64(int64(pc) + ebpf.ElfInsnDumpOffset) }

// newPCError makes an error of a kind whose only field is the instruction
// number (DivideByZero, ExecutionOverrun, InvalidInstruction,
// UnsupportedInstruction, ExhaustedTextSegment, IncompleteLddw) for
// instruction index pc.
func newPCError(kind Kind, pc int) *Error {
	return &Error{Kind: kind, PC: insnNum(pc)}
}

// newExceededMaxInstructions is the error of the instruction at index pc
// that exhausted a meter which started at initial.
func newExceededMaxInstructions(pc int, initial uint64) *Error {
	return &Error{Kind: ExceededMaxInstructions, PC: insnNum(pc + 1), Num: initial}
}

// newCallOutsideTextSegment is the error of a call at index pc to addr.
func newCallOutsideTextSegment(pc int, addr uint64) *Error {
	return &Error{Kind: CallOutsideTextSegment, PC: insnNum(pc), Addr: addr}
}

// newCallDepthExceeded is the error of a call whose return index is
// returnPC, made when depth frames are in use.
func newCallDepthExceeded(returnPC int, depth int) *Error {
	return &Error{Kind: CallDepthExceeded, PC: insnNum(returnPC - 1), Num: uint64(depth)}
}

// newInvalidRegister is the error of instruction pc naming register reg.
func newInvalidRegister(pc int, reg int64) *Error {
	return &Error{Kind: InvalidRegister, PC: insnNum(pc), Num: uint64(reg)}
}

// WrapELF wraps an error of the ELF loader as rbpf's ElfError variant.
func WrapELF(err error) *Error { return &Error{Kind: ElfError, Err: err} }

// WrapUser wraps an error of a verifier or a syscall as rbpf's UserError
// variant, whose text is the wrapped error's text.
func WrapUser(err error) *Error { return &Error{Kind: UserError, Err: err} }
