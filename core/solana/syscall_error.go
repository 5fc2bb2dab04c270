package solana

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// SyscallError is the loader's SyscallError enum
// (programs/bpf_loader/src/syscalls.rs, v1.6.9). The VM reports it as
// rbpf's UserError, whose text is this error's text.
type SyscallError struct {
	Kind SyscallErrorKind
	// Text carries the payload already formatted: the UTF-8 error and
	// bytes of InvalidString and MalformedSignerSeed, the panic location,
	// the unsupported program.
	Text string
	// Instruction is the wrapped error of the InstructionError variant.
	Instruction *InstructionError
	// CPI describes the instruction of an Invoke stop.
	CPI *CPIRequest
}

// SyscallErrorKind numbers the variants.
type SyscallErrorKind int

// The variants of SyscallError, plus Invoke: rbpfgo's stop at a
// cross-program invocation it cannot carry out.
const (
	InvalidString SyscallErrorKind = iota
	Abort
	Panic
	InvokeContextBorrowFailed
	MalformedSignerSeed
	BadSeeds
	ProgramNotSupported
	InstructionErrorKind
	UnalignedPointer
	TooManySigners
	InstructionTooLarge
	TooManyAccounts
	CopyOverlapping // v1.7's, with the memory syscalls
	Invoke
)

func (e *SyscallError) Error() string {
	switch e.Kind {
	case InvalidString:
		return e.Text
	case Abort:
		return "BPF program panicked"
	case Panic:
		return "BPF program Panicked in " + e.Text
	case InvokeContextBorrowFailed:
		return "cannot borrow invoke context"
	case MalformedSignerSeed:
		return "malformed signer seed: " + e.Text
	case BadSeeds:
		return "Could not create program address with signer seeds: " + e.Text
	case ProgramNotSupported:
		return "Program " + e.Text + " not supported by inner instructions"
	case InstructionErrorKind:
		return e.Instruction.Error()
	case UnalignedPointer:
		return "Unaligned pointer"
	case TooManySigners:
		return "Too many signers"
	case InstructionTooLarge:
		return "Instruction passed to inner instruction is too large (" + e.Text + ")"
	case TooManyAccounts:
		return "Too many accounts passed to inner instruction"
	case CopyOverlapping:
		return "Overlapping copy"
	case Invoke:
		return e.CPI.stopText()
	}
	return fmt.Sprintf("SyscallError(%d)", int(e.Kind))
}

// Unwrap exposes the InstructionError variant's error.
func (e *SyscallError) Unwrap() error {
	if e.Instruction != nil {
		return e.Instruction
	}
	return nil
}

// user wraps a SyscallError as the VM error a syscall returns.
func user(e *SyscallError) error { return vm.WrapUser(e) }

func instructionErr(k ErrorKind) error {
	return user(&SyscallError{Kind: InstructionErrorKind, Instruction: NewError(k)})
}

// rustBytes formats bytes as Rust's {:?} of a Vec<u8>: "[104, 105]".
func rustBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, c := range b {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(int(c)))
	}
	sb.WriteByte(']')
	return sb.String()
}

// utf8Error returns the Display text of the Utf8Error Rust's from_utf8
// reports for b, or "" when b is valid UTF-8. Rust counts the bytes of
// the invalid sequence (1 to 3) or, when the input ends inside a
// sequence, calls it incomplete.
func utf8Error(b []byte) string {
	i := 0
	for i < len(b) {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		width, lo, hi := 0, byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			width = 2
		case c == 0xe0:
			width, lo = 3, 0xa0
		case c >= 0xe1 && c <= 0xec, c == 0xee, c == 0xef:
			width = 3
		case c == 0xed:
			width, hi = 3, 0x9f
		case c == 0xf0:
			width, lo = 4, 0x90
		case c >= 0xf1 && c <= 0xf3:
			width = 4
		case c == 0xf4:
			width, hi = 4, 0x8f
		default:
			return fmt.Sprintf("invalid utf-8 sequence of 1 bytes from index %d", i)
		}
		for k := 1; k < width; k++ {
			if i+k >= len(b) {
				return fmt.Sprintf("incomplete utf-8 byte sequence from index %d", i)
			}
			l, h := byte(0x80), byte(0xbf)
			if k == 1 {
				l, h = lo, hi
			}
			if b[i+k] < l || b[i+k] > h {
				return fmt.Sprintf("invalid utf-8 sequence of %d bytes from index %d", k, i)
			}
		}
		i += width
	}
	return ""
}

// CPIRequest is the cross-program invocation a program asked for,
// translated and checked as the release does before it would run the
// callee.
type CPIRequest struct {
	Syscall  string          `json:"syscall"`
	Program  pubkey.Pubkey   `json:"program_id"`
	Accounts []CPIAccount    `json:"accounts"`
	Data     []byte          `json:"data"`
	Signers  []pubkey.Pubkey `json:"signers"`
}

// CPIAccount is one AccountMeta of a CPIRequest.
type CPIAccount struct {
	Pubkey     pubkey.Pubkey `json:"pubkey"`
	IsSigner   bool          `json:"is_signer"`
	IsWritable bool          `json:"is_writable"`
}

func (c *CPIRequest) stopText() string {
	return fmt.Sprintf("Cross-program invocation of %s (%d accounts, %d data bytes) cannot run here: rbpfgo runs one program, without the bank that holds the callee",
		c.Program, len(c.Accounts), len(c.Data))
}
