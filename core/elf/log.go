package elf

import "encoding/hex"

// Hex is a byte string that appears in JSON as lower-case hex digits.
type Hex []byte

// MarshalText encodes the bytes as hex.
func (h Hex) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(h)))
	hex.Encode(out, h)
	return out, nil
}

// UnmarshalText decodes hex digits.
func (h *Hex) UnmarshalText(b []byte) error {
	out := make([]byte, hex.DecodedLen(len(b)))
	n, err := hex.Decode(out, b)
	*h = out[:n]
	return err
}

// CheckStatus is the outcome of one validation check.
type CheckStatus string

// Check outcomes. Checks after the first failure are not run.
const (
	CheckPass    CheckStatus = "pass"
	CheckFail    CheckStatus = "fail"
	CheckSkipped CheckStatus = "skipped"
)

// Check is one line of the loader's checklist, e.g. machine: want EM_BPF,
// got EM_X86_64, fail.
type Check struct {
	// Name identifies the check; see CheckNames for the list in order.
	Name   string      `json:"name"`
	Want   string      `json:"want"`
	Got    string      `json:"got,omitempty"`
	Status CheckStatus `json:"status"`
	// Error is the error the loader returns when this check fails.
	Error *Error `json:"error,omitempty"`
}

// CheckNames lists the loader's checks in the order it makes them. The
// checks after "relocate" run once relocation has succeeded.
var CheckNames = []string{
	"parse", "class", "data", "osabi", "machine", "type",
	"text-sections", "no-bss", "sections-in-file", "entrypoint-in-text",
	"relocate", "entrypoint-aligned", "text-vaddr", "ro-vaddr",
}

// StepKind names what one relocation step did.
type StepKind string

// The relocation steps.
const (
	// StepRelativeCall: a `call imm` in .text whose imm was a relative
	// offset became the hash of its own instruction index, and the target
	// was registered under that hash.
	StepRelativeCall StepKind = "relative-call"
	// StepRelativeText: an R_BPF_64_RELATIVE (type 8) relocation of an
	// lddw in .text; the address was split over both immediates.
	StepRelativeText StepKind = "relative-text"
	// StepRelativeData: a type 8 relocation outside .text; the 64-bit
	// address was written in place.
	StepRelativeData StepKind = "relative-data"
	// StepSymbolCall: an R_BPF_64_32 (type 10) relocation; the call's imm
	// became the hash of the symbol name.
	StepSymbolCall StepKind = "symbol-call"
	// StepRejected: the step that made loading fail.
	StepRejected StepKind = "rejected"
)

// CallEntry is an entry added to the program's call map.
type CallEntry struct {
	Hash uint32 `json:"hash"`
	PC   int    `json:"pc"`
}

// Step is one change the relocator made to the file image, in order.
type Step struct {
	Kind StepKind `json:"kind"`
	// Attempted is, for a rejected step, what the step would have been
	// (empty when the relocation type is unknown).
	Attempted StepKind `json:"attempted,omitempty"`
	// Reloc is the index of the dynamic relocation, -1 for the fixups of
	// relative calls that scan .text.
	Reloc     int    `json:"reloc"`
	RelocType uint32 `json:"reloc_type,omitempty"`
	// FileOffset is where the changed instruction or data word starts.
	FileOffset uint64 `json:"file_offset"`
	// Insn is the instruction index in .text, -1 outside .text.
	Insn   int `json:"insn"`
	Before Hex `json:"before,omitempty"`
	After  Hex `json:"after,omitempty"`

	// Imm is the relative offset a relative call held.
	Imm int32 `json:"imm,omitempty"`
	// TargetPC is the instruction index the call resolves to, -1 if none.
	TargetPC int `json:"target_pc"`
	// VirtAddr is the address read from the immediate at FileOffset+4;
	// PhysAddr is VirtAddr + MM_PROGRAM_START, the value written.
	VirtAddr uint64 `json:"vaddr,omitempty"`
	PhysAddr uint64 `json:"paddr,omitempty"`
	// SymIndex and Symbol name the dynamic symbol of a type 10 relocation.
	SymIndex uint64 `json:"sym_index,omitempty"`
	Symbol   string `json:"symbol,omitempty"`
	// Key is the byte string that was hashed into Hash: the instruction
	// index as 8 little-endian bytes, or the symbol name.
	Key  Hex    `json:"key,omitempty"`
	Hash uint32 `json:"hash,omitempty"`
	// CallAdded is the call map entry this step added.
	CallAdded *CallEntry `json:"call_added,omitempty"`
	// Error is why a rejected step failed.
	Error *Error `json:"error,omitempty"`
}

// Log is the record of one load: the parsed headers, the checklist, the
// relocation steps and the error, if any.
type Log struct {
	// Info describes the input file; nil when it did not parse.
	Info   *Info   `json:"info,omitempty"`
	Checks []Check `json:"checks"`
	Steps  []Step  `json:"steps"`
	// Error is the error Load returned, nil on success.
	Error *Error `json:"error,omitempty"`
}

// pass, fail and skip append checklist lines; all are no-ops on a nil Log,
// so the loader runs the same code with and without a log.
func (l *Log) pass(name, want, got string) {
	if l != nil {
		l.Checks = append(l.Checks, Check{Name: name, Want: want, Got: got, Status: CheckPass})
	}
}

func (l *Log) fail(name, want, got string, err *Error) *Error {
	if l != nil {
		l.Checks = append(l.Checks, Check{Name: name, Want: want, Got: got, Status: CheckFail, Error: err})
		l.skipRest(name)
		l.Error = err
	}
	return err
}

// skipRest marks the checks after name as not run.
func (l *Log) skipRest(name string) {
	for i, n := range CheckNames {
		if n == name {
			for _, rest := range CheckNames[i+1:] {
				l.Checks = append(l.Checks, Check{Name: rest, Status: CheckSkipped})
			}
			return
		}
	}
}

func (l *Log) step(s Step) {
	if l != nil {
		l.Steps = append(l.Steps, s)
	}
}
