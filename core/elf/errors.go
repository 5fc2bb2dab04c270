package elf

import (
	"fmt"
	"strconv"
)

// Kind names one of rbpf v0.2.8's ElfError variants.
type Kind int

// The ElfError variants, in the order rbpf declares them.
const (
	FailedToParse Kind = iota + 1
	EntrypointOutOfBounds
	InvalidEntrypoint
	FailedToGetSection
	UnresolvedSymbol
	SectionNotFound
	RelativeJumpOutOfBounds
	RelocationHashCollision
	WrongEndianess
	WrongAbi
	WrongMachine
	WrongClass
	MultipleTextSections
	BssNotSupported
	AddressOutsideLoadableSection
	InvalidVirtualAddress
	UnknownRelocation
	FailedToReadRelocationInfo
	WrongType
	UnknownSymbol
	OutOfBounds

	numKinds // one more than the last kind; not a kind
)

// String returns rbpf's name of the variant, e.g. "WrongMachine".
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return variants[k].name
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes a Kind appear by name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Error is an ElfError. Its Error() text is exactly rbpf's message; the VM
// prefixes it with "ELF error: ". Only the fields a Kind's message uses
// are set.
type Error struct {
	Kind Kind `json:"kind"`
	// Detail is the parser message (FailedToParse), the section name
	// (FailedToGetSection, SectionNotFound) or the symbol name
	// (UnresolvedSymbol).
	Detail string `json:"detail,omitempty"`
	// Insn is the reported instruction number, already offset by
	// ebpf.ElfInsnDumpOffset (RelativeJumpOutOfBounds,
	// RelocationHashCollision, UnresolvedSymbol).
	Insn int `json:"insn,omitempty"`
	// Offset is the ELF file offset (UnresolvedSymbol).
	Offset uint64 `json:"offset,omitempty"`
	// Value is the address (AddressOutsideLoadableSection,
	// InvalidVirtualAddress), the relocation type (UnknownRelocation) or the
	// symbol or string index (UnknownSymbol).
	Value uint64 `json:"value,omitempty"`
}

// arg is a value the texts of an Error show.
type arg uint8

const (
	argDetail      arg = iota // Detail
	argDetailDebug            // Detail quoted as Rust's Debug quotes a str
	argInsn                   // Insn
	argOffset                 // Offset
	argValue                  // Value
)

// variant is one row of the variants table: rbpf's name of a variant, the
// values its texts show, and the fmt formats of its Display text (Error)
// and of its Debug text (Debug). Both formats refer to the values by
// position, %[1]d for the first, so each shows them in its own order.
type variant struct {
	name           string
	args           []arg
	display, debug string
}

func args(a ...arg) []arg { return a }

// variants is the text of every kind, as v0.2.8 displays (thiserror's
// #[error] attributes of src/elf.rs) and debug-prints (#[derive(Debug)])
// it. The misspellings are rbpf's.
var variants = [numKinds]variant{
	FailedToParse:                 {"FailedToParse", args(argDetail, argDetailDebug), "Failed to parse ELF file: %[1]s", "FailedToParse(%[2]s)"},
	EntrypointOutOfBounds:         {"EntrypointOutOfBounds", nil, "Entrypoint out of bounds", "EntrypointOutOfBounds"},
	InvalidEntrypoint:             {"InvalidEntrypoint", nil, "Invaid entrypoint", "InvalidEntrypoint"},
	FailedToGetSection:            {"FailedToGetSection", args(argDetail, argDetailDebug), "Failed to get section %[1]s", "FailedToGetSection(%[2]s)"},
	UnresolvedSymbol:              {"UnresolvedSymbol", args(argDetail, argInsn, argOffset, argDetailDebug), "Unresolved symbol (%[1]s) at instruction #%[2]d (ELF file offset %#[3]x)", "UnresolvedSymbol(%[4]s, %[2]d, %[3]d)"},
	SectionNotFound:               {"SectionNotFound", args(argDetail, argDetailDebug), "Section not found: %[1]s", "SectionNotFound(%[2]s)"},
	RelativeJumpOutOfBounds:       {"RelativeJumpOutOfBounds", args(argInsn), "Relative jump out of bounds at instruction #%[1]d", "RelativeJumpOutOfBounds(%[1]d)"},
	RelocationHashCollision:       {"RelocationHashCollision", args(argInsn), "Relocation hash collision while encoding instruction #%[1]d", "RelocationHashCollision(%[1]d)"},
	WrongEndianess:                {"WrongEndianess", nil, "Incompatible ELF: wrong endianess", "WrongEndianess"},
	WrongAbi:                      {"WrongAbi", nil, "Incompatible ELF: wrong ABI", "WrongAbi"},
	WrongMachine:                  {"WrongMachine", nil, "Incompatible ELF: wrong machine", "WrongMachine"},
	WrongClass:                    {"WrongClass", nil, "Incompatible ELF: wrong class", "WrongClass"},
	MultipleTextSections:          {"MultipleTextSections", nil, "Multiple text sections, consider removing llc option: -function-sections", "MultipleTextSections"},
	BssNotSupported:               {"BssNotSupported", nil, ".bss section not supported", "BssNotSupported"},
	AddressOutsideLoadableSection: {"AddressOutsideLoadableSection", args(argValue), "Relocation failed, no loadable section contains virtual address %#[1]x", "AddressOutsideLoadableSection(%[1]d)"},
	InvalidVirtualAddress:         {"InvalidVirtualAddress", args(argValue), "Relocation failed, invalid referenced virtual address %#[1]x", "InvalidVirtualAddress(%[1]d)"},
	UnknownRelocation:             {"UnknownRelocation", args(argValue), "Relocation failed, unknown type %[1]d", "UnknownRelocation(%[1]d)"},
	FailedToReadRelocationInfo:    {"FailedToReadRelocationInfo", nil, "Failed to read relocation info", "FailedToReadRelocationInfo"},
	WrongType:                     {"WrongType", nil, "Incompatible ELF: wrong type", "WrongType"},
	UnknownSymbol:                 {"UnknownSymbol", args(argValue), "Unknown symbol with index %[1]d", "UnknownSymbol(%[1]d)"},
	OutOfBounds:                   {"OutOfBounds", nil, "Offset or value is out of bounds", "OutOfBounds"},
}

// Error returns rbpf's ElfError message for the error.
func (e *Error) Error() string {
	if e.Kind <= 0 || e.Kind >= numKinds {
		return "unknown ELF error " + e.Kind.String()
	}
	v := &variants[e.Kind]
	return fmt.Sprintf(v.display, e.values(v.args)...)
}

// Debug returns Rust's `{:?}` text of the error as rbpf's CLI prints it,
// for example `WrongMachine`, `RelativeJumpOutOfBounds(34)` or
// `UnresolvedSymbol("log", 34, 40)`, the file offset in decimal.
func (e *Error) Debug() string {
	if e.Kind <= 0 || e.Kind >= numKinds {
		return e.Kind.String()
	}
	v := &variants[e.Kind]
	return fmt.Sprintf(v.debug, e.values(v.args)...)
}

// values are the values of args for e, for the formats of its variant.
func (e *Error) values(args []arg) []any {
	vals := make([]any, len(args))
	for i, a := range args {
		switch a {
		case argDetail:
			vals[i] = e.Detail
		case argDetailDebug:
			vals[i] = rustDebugString(e.Detail)
		case argInsn:
			vals[i] = e.Insn
		case argOffset:
			vals[i] = e.Offset
		case argValue:
			vals[i] = e.Value
		}
	}
	return vals
}

// Is makes errors.Is(err, &Error{Kind: k}) match any Error of kind k.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

func kindError(k Kind) *Error { return &Error{Kind: k} }
