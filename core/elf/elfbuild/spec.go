package elfbuild

import (
	"fmt"
	"sort"
)

// Layout chooses where the builder places sections.
type Layout int

const (
	// Paged is ld.lld's default layout, as in most rbpf v0.2.8 fixtures:
	// the dynamic tables and .rodata in a read-only segment after the
	// program headers, .text on the next 4 KiB page and .dynamic on the page
	// after it; every section's address equals its file offset.
	Paged Layout = iota
	// Compact is the layout of v0.2.8's linker script tests/elfs/elf.ld
	// (noro.so): .text right after the headers at 0xe8, then .rodata, and the
	// dynamic tables in the PT_DYNAMIC segment; no page alignment.
	Compact
)

// Spec describes a program to package as an ET_DYN EM_BPF ELF64 shared
// object. Text holds the instructions; the builder patches the immediates
// of the calls and loads listed here.
type Spec struct {
	// Text is the instruction bytes, a multiple of 8 long.
	Text []byte
	// ROData is the .rodata section. nil means no .rodata section; an empty
	// non-nil slice gives an empty SHT_NOBITS .rodata, as elf.ld produces.
	ROData []byte
	// Entry names the function execution starts at.
	Entry string
	// Functions are the functions defined in Text.
	Functions []Function
	// Calls are the `call` instructions to patch.
	Calls []Call
	// Loads are the lddw instructions that take the address of .rodata data.
	Loads []Load
	// Source is the name of the FILE symbol, like a C file name.
	Source string
	Layout Layout

	// ExtraSections are appended after .rodata in the first segment (Paged)
	// or after .text (Compact). They exist to build malformed files.
	ExtraSections []RawSection
	// ExtraRelocs are appended to .rel.dyn as they are.
	ExtraRelocs []RawReloc
}

// Function is a function defined in Text.
type Function struct {
	Name string
	// PC is the index of the function's first instruction slot.
	PC int
	// Slots is the function's length in slots; 0 means up to the next
	// function or the end of Text.
	Slots int
	// Local makes the function static: a LOCAL symbol of .symtab only,
	// callable only with relative calls.
	Local bool
}

// Call is a `call imm` at slot PC to Name.
type Call struct {
	PC   int
	Name string
	// Relocate makes a call to a global function of this program go
	// through an R_BPF_64_32 relocation, as ld.lld emits for calls between
	// object files, instead of a relative call. Calls to names that are not
	// functions of the program always use a relocation.
	Relocate bool
}

// Load is an lddw at slot PC that loads the address of .rodata + Offset,
// through an R_BPF_64_RELATIVE relocation.
type Load struct {
	PC     int
	Offset uint64
}

// RawSection is a section added verbatim.
type RawSection struct {
	Name  string
	Type  uint32
	Flags uint64
	Data  []byte
	// Size is the section size for SHT_NOBITS sections.
	Size uint64
}

// RawReloc is a REL relocation added verbatim: r_offset and r_info.
type RawReloc struct {
	Offset uint64
	Info   uint64
}

// function is a Function with its size resolved.
type function struct {
	Function
	slots int
}

// check validates a spec and resolves function sizes.
func (s *Spec) check() ([]function, error) {
	if len(s.Text)%8 != 0 {
		return nil, fmt.Errorf("elfbuild: text is %d bytes, not a multiple of 8", len(s.Text))
	}
	n := len(s.Text) / 8
	fns := make([]function, len(s.Functions))
	byName := map[string]bool{}
	for i, f := range s.Functions {
		if f.PC < 0 || f.PC >= n {
			return nil, fmt.Errorf("elfbuild: function %q at slot %d outside the text's %d slots", f.Name, f.PC, n)
		}
		if f.Name == "" || byName[f.Name] {
			return nil, fmt.Errorf("elfbuild: function name %q empty or defined twice", f.Name)
		}
		byName[f.Name] = true
		fns[i] = function{Function: f, slots: f.Slots}
	}
	order := make([]int, len(fns))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return fns[order[a]].PC < fns[order[b]].PC })
	for k, i := range order {
		if fns[i].slots != 0 {
			continue
		}
		end := n
		if k+1 < len(order) {
			end = fns[order[k+1]].PC
		}
		fns[i].slots = end - fns[i].PC
	}
	if !byName[s.Entry] {
		return nil, fmt.Errorf("elfbuild: entry %q is not a function", s.Entry)
	}
	return fns, s.checkSites(n)
}

func (s *Spec) checkSites(n int) error {
	for _, c := range s.Calls {
		if c.PC < 0 || c.PC >= n || s.Text[c.PC*8] != 0x85 {
			return fmt.Errorf("elfbuild: call to %q at slot %d is not a call instruction", c.Name, c.PC)
		}
		if f, ok := s.function(c.Name); ok && f.Local && c.Relocate {
			return fmt.Errorf("elfbuild: call to static function %q cannot be relocated", c.Name)
		}
	}
	for _, l := range s.Loads {
		if l.PC < 0 || l.PC+1 >= n || s.Text[l.PC*8] != 0x18 {
			return fmt.Errorf("elfbuild: load at slot %d is not an lddw", l.PC)
		}
		if s.ROData == nil || l.Offset > uint64(len(s.ROData)) {
			return fmt.Errorf("elfbuild: load at slot %d refers past .rodata", l.PC)
		}
	}
	return nil
}

func (s *Spec) function(name string) (Function, bool) {
	for _, f := range s.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}
