package elf

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Section is a loaded section's name, its address in the VM and its bytes.
type Section struct {
	Name  string `json:"name"`
	Vaddr uint64 `json:"vaddr"`
	// Offset is the section's offset in the file the program was loaded from.
	Offset uint64 `json:"offset"`
	Data   []byte `json:"-"`
}

// FunctionSymbol names a function of the symbol table.
type FunctionSymbol struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

// Program is a loaded, validated and relocated program: rbpf's EBpfElf
// without the VM configuration and syscall registry, which belong to the VM.
// For a loaded file, Text and every ROSections[i].Data are slices of the
// relocated copy of the file (Image), as rbpf keeps ranges into its copy;
// they must not be modified.
type Program struct {
	// Text is the relocated .text section, mapped at TextVaddr.
	Text      []byte
	TextVaddr uint64
	// TextOffset is the file offset of .text (0 for programs made from bytes).
	TextOffset uint64
	// ROSections are the read-only sections mapped into the program region:
	// .rodata, .data.rel.ro and .eh_frame in section header order, each at
	// MM_PROGRAM_START + sh_addr.
	ROSections []Section
	// Entrypoint is the instruction index execution starts at.
	Entrypoint int
	// Calls maps call-immediate hashes to the instruction index of a function:
	// the hash of the caller's index for relative calls, the hash of the
	// symbol name for functions called through R_BPF_64_32 relocations.
	Calls map[uint32]int

	// file is the relocated ELF image, nil for programs made from bytes.
	file []byte
}

// FromText makes a Program of raw instruction bytes, as rbpf's
// `new_from_text_bytes`: text at MM_PROGRAM_START, entrypoint 0, no
// read-only data and no functions. text is copied.
func FromText(text []byte) *Program {
	return &Program{
		Text:      append([]byte(nil), text...),
		TextVaddr: ebpf.MMProgramStart,
		Calls:     map[uint32]int{},
	}
}

// RegisterFunction makes hash resolve to the function at instruction pc.
func (p *Program) RegisterFunction(hash uint32, pc int) {
	if p.Calls == nil {
		p.Calls = map[uint32]int{}
	}
	p.Calls[hash] = pc
}

// LookupFunction returns the instruction index registered under hash.
func (p *Program) LookupFunction(hash uint32) (pc int, ok bool) {
	pc, ok = p.Calls[hash]
	return pc, ok
}
