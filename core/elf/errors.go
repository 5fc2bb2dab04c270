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
)

var kindNames = [...]string{
	FailedToParse:                 "FailedToParse",
	EntrypointOutOfBounds:         "EntrypointOutOfBounds",
	InvalidEntrypoint:             "InvalidEntrypoint",
	FailedToGetSection:            "FailedToGetSection",
	UnresolvedSymbol:              "UnresolvedSymbol",
	SectionNotFound:               "SectionNotFound",
	RelativeJumpOutOfBounds:       "RelativeJumpOutOfBounds",
	RelocationHashCollision:       "RelocationHashCollision",
	WrongEndianess:                "WrongEndianess",
	WrongAbi:                      "WrongAbi",
	WrongMachine:                  "WrongMachine",
	WrongClass:                    "WrongClass",
	MultipleTextSections:          "MultipleTextSections",
	BssNotSupported:               "BssNotSupported",
	AddressOutsideLoadableSection: "AddressOutsideLoadableSection",
	InvalidVirtualAddress:         "InvalidVirtualAddress",
	UnknownRelocation:             "UnknownRelocation",
	FailedToReadRelocationInfo:    "FailedToReadRelocationInfo",
	WrongType:                     "WrongType",
	UnknownSymbol:                 "UnknownSymbol",
	OutOfBounds:                   "OutOfBounds",
}

// String returns rbpf's name of the variant, e.g. "WrongMachine".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
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

// Error returns rbpf's ElfError message for the error.
func (e *Error) Error() string {
	switch e.Kind {
	case FailedToParse:
		return "Failed to parse ELF file: " + e.Detail
	case EntrypointOutOfBounds:
		return "Entrypoint out of bounds"
	case InvalidEntrypoint:
		return "Invaid entrypoint"
	case FailedToGetSection:
		return "Failed to get section " + e.Detail
	case UnresolvedSymbol:
		return fmt.Sprintf("Unresolved symbol (%s) at instruction #%d (ELF file offset %#x)", e.Detail, e.Insn, e.Offset)
	case SectionNotFound:
		return "Section not found: " + e.Detail
	case RelativeJumpOutOfBounds:
		return fmt.Sprintf("Relative jump out of bounds at instruction #%d", e.Insn)
	case RelocationHashCollision:
		return fmt.Sprintf("Relocation hash collision while encoding instruction #%d", e.Insn)
	case WrongEndianess:
		return "Incompatible ELF: wrong endianess"
	case WrongAbi:
		return "Incompatible ELF: wrong ABI"
	case WrongMachine:
		return "Incompatible ELF: wrong machine"
	case WrongClass:
		return "Incompatible ELF: wrong class"
	case MultipleTextSections:
		return "Multiple text sections, consider removing llc option: -function-sections"
	case BssNotSupported:
		return ".bss section not supported"
	case AddressOutsideLoadableSection:
		return fmt.Sprintf("Relocation failed, no loadable section contains virtual address %#x", e.Value)
	case InvalidVirtualAddress:
		return fmt.Sprintf("Relocation failed, invalid referenced virtual address %#x", e.Value)
	case UnknownRelocation:
		return fmt.Sprintf("Relocation failed, unknown type %d", e.Value)
	case FailedToReadRelocationInfo:
		return "Failed to read relocation info"
	case WrongType:
		return "Incompatible ELF: wrong type"
	case UnknownSymbol:
		return fmt.Sprintf("Unknown symbol with index %d", e.Value)
	case OutOfBounds:
		return "Offset or value is out of bounds"
	}
	return "unknown ELF error " + e.Kind.String()
}

// Is makes errors.Is(err, &Error{Kind: k}) match any Error of kind k.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

func kindError(k Kind) *Error { return &Error{Kind: k} }
