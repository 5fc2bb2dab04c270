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
// the kinds this project adds where v0.2.8 would panic.
const (
	UserError                Kind = iota // UserError(E): Err's text
	ElfError                             // ElfError: "ELF error: " + Err's text
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

// Error returns the message v0.2.8 displays for the variant.
func (e *Error) Error() string {
	switch e.Kind {
	case UserError:
		return errText(e.Err)
	case ElfError:
		return "ELF error: " + errText(e.Err)
	case SyscallAlreadyRegistered:
		return fmt.Sprintf("syscall #%d was already registered before", e.Num)
	case SyscallNotRegistered:
		return fmt.Sprintf("syscall #%d was not registered before bind", e.Num)
	case SyscallAlreadyBound:
		return fmt.Sprintf("syscall #%d already has a bound context object", e.Num)
	case CallDepthExceeded:
		return fmt.Sprintf("exceeded max BPF to BPF call depth of %d at instruction #%d", e.Num, e.PC)
	case ExitRootCallFrame:
		return "attempted to exit root call frame"
	case DivideByZero:
		return fmt.Sprintf("divide by zero at instruction %d", e.PC)
	case ExecutionOverrun:
		return fmt.Sprintf("attempted to execute past the end of the text segment at instruction #%d", e.PC)
	case CallOutsideTextSegment:
		return fmt.Sprintf("callx at instruction %d attempted to call outside of the text segment to addr 0x%x", e.PC, e.Addr)
	case ExceededMaxInstructions:
		return fmt.Sprintf("exceeded maximum number of instructions allowed (%d) at instruction #%d", e.Num, e.PC)
	case JitNotCompiled:
		return "program has not been JIT-compiled"
	case InvalidVirtualAddress:
		return fmt.Sprintf("invalid virtual address %x", e.Addr)
	case VirtualAddressOverlap:
		return fmt.Sprintf("virtual address overlap %x", e.Addr)
	}
	return e.errorRest()
}

func (e *Error) errorRest() string {
	switch e.Kind {
	case AccessViolation:
		return fmt.Sprintf("Access violation in %s section at address %#x of size %d by instruction #%d", e.Section, e.Addr, e.Len, e.PC)
	case StackAccessViolation:
		return fmt.Sprintf("Access violation in stack frame %d at address %#x of size %d by instruction #%d", e.Frame, e.Addr, e.Len, e.PC)
	case InvalidInstruction:
		return fmt.Sprintf("invalid instruction at %d", e.PC)
	case UnsupportedInstruction:
		return fmt.Sprintf("unsupported instruction at instruction %d", e.PC)
	case ExhaustedTextSegment:
		return fmt.Sprintf("Compilation exhaused text segment at instruction %d", e.PC)
	case InvalidRegister:
		return fmt.Sprintf("invalid register r%d used at instruction #%d", int64(e.Num), e.PC)
	case IncompleteLddw:
		return fmt.Sprintf("incomplete lddw at instruction #%d", e.PC)
	}
	return fmt.Sprintf("unknown error kind %d", e.Kind)
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

// NewPCError makes an error of a kind whose only field is the instruction
// number (DivideByZero, ExecutionOverrun, InvalidInstruction,
// UnsupportedInstruction, ExhaustedTextSegment, IncompleteLddw) for
// instruction index pc.
func NewPCError(kind Kind, pc int) *Error {
	return &Error{Kind: kind, PC: insnNum(pc)}
}

// NewExceededMaxInstructions is the error of the instruction at index pc
// that exhausted a meter which started at initial.
func NewExceededMaxInstructions(pc int, initial uint64) *Error {
	return &Error{Kind: ExceededMaxInstructions, PC: insnNum(pc + 1), Num: initial}
}

// NewCallOutsideTextSegment is the error of a call at index pc to addr.
func NewCallOutsideTextSegment(pc int, addr uint64) *Error {
	return &Error{Kind: CallOutsideTextSegment, PC: insnNum(pc), Addr: addr}
}

// NewCallDepthExceeded is the error of a call whose return index is
// returnPC, made when depth frames are in use.
func NewCallDepthExceeded(returnPC int, depth int) *Error {
	return &Error{Kind: CallDepthExceeded, PC: insnNum(returnPC - 1), Num: uint64(depth)}
}

// NewInvalidRegister is the error of instruction pc naming register reg.
func NewInvalidRegister(pc int, reg int64) *Error {
	return &Error{Kind: InvalidRegister, PC: insnNum(pc), Num: uint64(reg)}
}

// WrapELF wraps an error of the ELF loader as rbpf's ElfError variant.
func WrapELF(err error) *Error { return &Error{Kind: ElfError, Err: err} }

// WrapUser wraps an error of a verifier or a syscall as rbpf's UserError
// variant, whose text is the wrapped error's text.
func WrapUser(err error) *Error { return &Error{Kind: UserError, Err: err} }
