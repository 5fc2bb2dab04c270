package inspect

import (
	"errors"
	"sort"
	"strconv"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// Document is everything `rbpf elf` reports about one file.
type Document struct {
	// Size is the file's length in bytes.
	Size int `json:"size"`
	// OK is set when the loader accepted the file.
	OK bool `json:"ok"`
	// Error is the load error as rbpf displays it ("ELF error: ..."), nil
	// when the file loaded.
	Error *string `json:"error"`
	// ErrorKind is rbpf's ElfError variant name, e.g. "WrongMachine".
	ErrorKind string `json:"error_kind,omitempty"`
	// ELF is the parsed file; nil when it did not parse.
	ELF *elf.Info `json:"elf"`
	// Checks is the loader's checklist: passed, failed (at most one) and
	// skipped checks, in the order the loader makes them.
	Checks []elf.Check `json:"checks"`
	// Relocations is the relocation log, up to the failing step.
	Relocations []elf.Step `json:"relocation_log"`

	// The rest describes a loaded program and is empty otherwise.

	// Entrypoint is the instruction index execution starts at.
	Entrypoint *int `json:"entrypoint"`
	// TextVaddr and TextOffset place .text in the VM and in the file.
	TextVaddr  uint64 `json:"text_vaddr,omitempty"`
	TextOffset uint64 `json:"text_offset,omitempty"`
	// Calls is the call map: every hash a `call imm` can resolve to a function.
	Calls []Call `json:"calls"`
	// Syscalls are the symbols the file imports, by hash.
	Syscalls []Syscall `json:"syscalls"`
	// Functions are the function symbols rbpf reports (get_symbols).
	Functions []Function `json:"functions"`
	// ROSections are the read-only sections mapped into the program region.
	ROSections []ROSection `json:"ro_sections"`
	// Text is the relocated .text, one line per instruction.
	Text []TextLine `json:"text"`
}

// Call is an entry of the call map.
type Call struct {
	Hash uint32 `json:"hash"`
	PC   int    `json:"pc"`
	Name string `json:"name"`
	// Demangled is the name demangled (symname.Demangled); empty, and left
	// out of the JSON, when the name is not mangled.
	Demangled string `json:"demangled,omitempty"`
}

// Syscall is an imported symbol and the hash calls to it carry.
type Syscall struct {
	Hash      uint32 `json:"hash"`
	Name      string `json:"name"`
	Demangled string `json:"demangled,omitempty"` // as in Call
}

// Function is a function symbol as rbpf's get_symbols reports it.
type Function struct {
	// PC is rbpf's index for the symbol, st_value/8 - 29, which is the
	// instruction index only when .text starts at file offset 0xe8.
	PC        int    `json:"pc"`
	Name      string `json:"name"`
	Demangled string `json:"demangled,omitempty"` // as in Call
	Size      int    `json:"size"`
	// TextPC is the symbol's real instruction index in .text, nil when
	// st_value does not point at an instruction of .text.
	TextPC *int `json:"text_pc"`
}

// ROSection is a read-only section as the VM maps it.
type ROSection struct {
	Name   string  `json:"name"`
	Vaddr  uint64  `json:"vaddr"`
	Offset uint64  `json:"offset"`
	Size   int     `json:"size"`
	Bytes  elf.Hex `json:"bytes"`
}

// TextLine is one instruction of the relocated .text.
type TextLine struct {
	// PC is the slot index; Insn is PC + 29, as rbpf's errors number it.
	PC   int `json:"pc"`
	Insn int `json:"insn"`
	// Offset is the instruction's offset in the file.
	Offset uint64 `json:"offset"`
	// Bytes are the instruction's slots (16 bytes for lddw).
	Bytes elf.Hex `json:"bytes"`
	// Asm is rbpf's disassembly of the instruction.
	Asm string `json:"asm"`
	// Label names the function starting here, if any: its raw symbol name.
	Label string `json:"label,omitempty"`
	// Note names a call's target or a jump's destination, for people: the
	// names in it are demangled.
	Note string `json:"note,omitempty"`
	// Relocated is set when the relocation log changed this instruction.
	Relocated bool `json:"relocated,omitempty"`
}

// Build loads data with core/elf's logging loader and describes the result.
func Build(data []byte) *Document {
	prog, log, err := elf.LoadWithLog(data)
	d := &Document{Size: len(data), Checks: []elf.Check{}, Relocations: []elf.Step{},
		Calls: []Call{}, Syscalls: []Syscall{}, Functions: []Function{}, ROSections: []ROSection{}, Text: []TextLine{}}
	if log != nil {
		d.ELF = log.Info
		d.Checks = append(d.Checks, log.Checks...)
		d.Relocations = append(d.Relocations, log.Steps...)
	}
	if err != nil {
		msg := "ELF error: " + err.Error()
		d.Error = &msg
		var ee *elf.Error
		if errors.As(err, &ee) {
			d.ErrorKind = ee.Kind.String()
		}
		return d
	}
	d.OK = true
	d.describe(prog)
	return d
}

// describe fills in the loaded program's part of the document.
func (d *Document) describe(p *elf.Program) {
	ep := p.Entrypoint
	d.Entrypoint = &ep
	d.TextVaddr, d.TextOffset = p.TextVaddr, p.TextOffset
	syscalls, fns := p.Symbols()
	names := map[int]string{}
	for pc, f := range fns {
		d.Functions = append(d.Functions, Function{PC: pc, Name: f.Name, Demangled: symname.Demangled(f.Name), Size: f.Size})
	}
	sort.Slice(d.Functions, func(i, j int) bool { return d.Functions[i].PC < d.Functions[j].PC })
	d.placeFunctions(len(p.Text) / ebpf.InsnSize)
	for _, f := range d.Functions {
		if f.TextPC != nil {
			names[*f.TextPC] = f.Name
		}
	}
	if _, ok := names[ep]; !ok {
		names[ep] = "entrypoint"
	}
	for h, pc := range p.Calls {
		if _, ok := names[pc]; !ok {
			names[pc] = functionName(pc)
		}
		d.Calls = append(d.Calls, Call{Hash: h, PC: pc})
	}
	for i := range d.Calls {
		d.Calls[i].Name = names[d.Calls[i].PC]
		d.Calls[i].Demangled = symname.Demangled(d.Calls[i].Name)
	}
	sort.Slice(d.Calls, func(i, j int) bool {
		a, b := d.Calls[i], d.Calls[j]
		return a.PC < b.PC || a.PC == b.PC && a.Hash < b.Hash
	})
	for h, n := range syscalls {
		d.Syscalls = append(d.Syscalls, Syscall{Hash: h, Name: n, Demangled: symname.Demangled(n)})
	}
	sort.Slice(d.Syscalls, func(i, j int) bool { return d.Syscalls[i].Name < d.Syscalls[j].Name })
	for _, s := range p.ROSections {
		d.ROSections = append(d.ROSections, ROSection{Name: s.Name, Vaddr: s.Vaddr, Offset: s.Offset,
			Size: len(s.Data), Bytes: append(elf.Hex{}, s.Data...)})
	}
	d.Text = textLines(p, names, syscalls, d.Relocations)
}

// placeFunctions finds each function symbol's instruction in .text from
// the symbol table, since rbpf's own index assumes one fixed layout.
func (d *Document) placeFunctions(slots int) {
	if d.ELF == nil {
		return
	}
	var text *elf.SectionInfo
	for i := range d.ELF.Sections {
		if d.ELF.Sections[i].Name == ".text" {
			text = &d.ELF.Sections[i]
			break
		}
	}
	if text == nil {
		return
	}
	at := map[string]int{}
	for _, s := range d.ELF.Symbols {
		if !s.IsFunction() || s.Value < text.Addr || (s.Value-text.Addr)%ebpf.InsnSize != 0 {
			continue
		}
		if pc := (s.Value - text.Addr) / ebpf.InsnSize; pc < uint64(slots) {
			at[s.Name] = int(pc)
		}
	}
	for i := range d.Functions {
		if pc, ok := at[d.Functions[i].Name]; ok {
			d.Functions[i].TextPC = &pc
		}
	}
}

// Labels names the instructions that start functions: function symbols at
// their place in .text, the entrypoint, and call-map targets without a
// symbol (rbpf's CLI names those function_<pc>).
func (d *Document) Labels() map[int]string {
	labels := map[int]string{}
	for _, t := range d.Text {
		if t.Label != "" {
			labels[t.PC] = t.Label
		}
	}
	return labels
}

// functionName is what rbpf's CLI calls a function known only by its pc.
func functionName(pc int) string {
	return "function_" + strconv.Itoa(pc)
}

// textLines disassembles the relocated text with labels and call names.
func textLines(p *elf.Program, labels map[int]string, syscalls map[uint32]string, steps []elf.Step) []TextLine {
	relocated := map[int]bool{}
	for _, s := range steps {
		if s.Insn >= 0 {
			relocated[s.Insn] = true
		}
	}
	lines := asm.DisassembleInsns(p.Text)
	out := make([]TextLine, 0, len(lines))
	for _, l := range lines {
		end := min((l.Ptr+l.Slots)*ebpf.InsnSize, len(p.Text))
		t := TextLine{PC: l.Ptr, Insn: l.Ptr + ebpf.ElfInsnDumpOffset, Asm: l.Desc,
			Offset: p.TextOffset + uint64(l.Ptr*ebpf.InsnSize), Label: labels[l.Ptr],
			Bytes:     append(elf.Hex{}, p.Text[l.Ptr*ebpf.InsnSize:end]...),
			Relocated: relocated[l.Ptr]}
		switch {
		case l.Opc == ebpf.CallImm:
			h := uint32(l.Insn.Imm)
			if pc, ok := p.Calls[h]; ok {
				t.Note = "function " + symname.Display(labels[pc])
			} else if n, ok := syscalls[h]; ok {
				t.Note = "syscall " + symname.Display(n)
			} else {
				t.Note = "unresolved"
			}
		case l.Opc.IsJump():
			target := ebpf.JumpTarget(l.Ptr, l.Insn.Off)
			if n, ok := labels[target]; ok {
				t.Note = "-> " + symname.Display(n)
			} else {
				t.Note = "-> pc " + strconv.Itoa(target)
			}
		}
		out = append(out, t)
	}
	return out
}
