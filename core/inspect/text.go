package inspect

import (
	stdelf "debug/elf"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// WriteText renders the document for people: the verdict first, then the
// headers, the checklist, the relocation log and the loaded program.
// Symbol and function names are shown demangled (symname.Display), except
// in the relocation log, which quotes the bytes each hash is computed from;
// a label of the relocated text gives the raw name after it as a comment.
func (d *Document) WriteText(w io.Writer) error {
	var bw strings.Builder
	if d.OK {
		fmt.Fprintf(&bw, "ELF file, %d bytes: loaded\n", d.Size)
	} else {
		fmt.Fprintf(&bw, "ELF file, %d bytes: rejected: %s\n", d.Size, *d.Error)
	}
	if d.ELF != nil {
		writeHeader(&bw, d.ELF)
		writeSegments(&bw, d.ELF)
		writeSections(&bw, d.ELF)
		writeSymbols(&bw, "Dynamic symbols", d.ELF.DynamicSymbols)
		writeSymbols(&bw, "Symbols", d.ELF.Symbols)
		writeRelocs(&bw, d.ELF)
	}
	d.writeChecks(&bw)
	d.writeSteps(&bw)
	if d.OK {
		d.writeProgram(&bw)
	}
	lines := strings.Split(bw.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func title(w io.Writer, s string) { fmt.Fprintf(w, "\n%s\n", s) }

// table returns a tabwriter whose columns are separated by two spaces.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func writeHeader(w io.Writer, in *elf.Info) {
	h := in.Header
	title(w, "Header")
	t := table(w)
	fmt.Fprintf(t, "  class\t%s\tdata\t%s\tosabi\t%s\n", ClassName(h.Ident[4]), DataName(h.Ident[5]), OSABIName(h.Ident[7]))
	fmt.Fprintf(t, "  type\t%s\tmachine\t%s\tversion\t%d\n", TypeName(h.Type), MachineName(h.Machine), h.Version)
	fmt.Fprintf(t, "  entry\t%#x\tflags\t%#x\tehsize\t%d\n", h.Entry, h.Flags, h.Ehsize)
	fmt.Fprintf(t, "  phoff\t%#x\tphentsize\t%d\tphnum\t%d\n", h.Phoff, h.Phentsize, h.Phnum)
	fmt.Fprintf(t, "  shoff\t%#x\tshentsize\t%d\tshnum\t%d\n", h.Shoff, h.Shentsize, h.Shnum)
	fmt.Fprintf(t, "  shstrndx\t%d\t\t\t\t\n", h.Shstrndx)
	t.Flush()
	if h.Machine != uint16(stdelf.EM_BPF) {
		fmt.Fprintf(w, "  machine %s (%d): %s\n", MachineName(h.Machine), h.Machine, MachineMeaning(h.Machine))
	}
	if h.Flags != 0 {
		fmt.Fprintf(w, "  flags %#x: %s\n", h.Flags, FlagsMeaning(h.Flags))
	}
}

func writeSegments(w io.Writer, in *elf.Info) {
	title(w, fmt.Sprintf("Program headers (%d)", len(in.ProgramHeaders)))
	t := table(w)
	fmt.Fprintln(t, "  type\tflags\toffset\tvaddr\tfilesz\tmemsz\talign")
	for _, p := range in.ProgramHeaders {
		fmt.Fprintf(t, "  %s\t%s\t%#x\t%#x\t%#x\t%#x\t%#x\n", SegmentTypeName(p.Type), SegmentFlags(p.Flags),
			p.Offset, p.Vaddr, p.Filesz, p.Memsz, p.Align)
	}
	t.Flush()
	if len(in.Dynamic) > 0 {
		title(w, "Dynamic segment")
		t = table(w)
		for _, e := range in.Dynamic {
			fmt.Fprintf(t, "  %s\t%#x\n", DynTagName(e.Tag), e.Val)
		}
		t.Flush()
	}
}

func writeSections(w io.Writer, in *elf.Info) {
	title(w, fmt.Sprintf("Sections (%d)", len(in.Sections)))
	t := table(w)
	fmt.Fprintln(t, "  [nr]\tname\ttype\tflags\taddr\toffset\tsize\tlink\tinfo\talign\tentsize")
	for _, s := range in.Sections {
		fmt.Fprintf(t, "  [%2d]\t%s\t%s\t%s\t%#x\t%#x\t%#x\t%d\t%d\t%d\t%d\n", s.Index, s.Name,
			SectionTypeName(s.Type), SectionFlags(s.Flags), s.Addr, s.Offset, s.Size, s.Link, s.Info, s.Addralign, s.Entsize)
	}
	t.Flush()
}

func writeSymbols(w io.Writer, name string, syms []elf.SymbolInfo) {
	if len(syms) == 0 {
		return
	}
	title(w, fmt.Sprintf("%s (%d)", name, len(syms)))
	t := table(w)
	fmt.Fprintln(t, "  nr\tvalue\tsize\tkind\tshndx\tname")
	for _, s := range syms {
		fmt.Fprintf(t, "  %d\t%#x\t%d\t%s\t%d\t%s\n", s.Index, s.Value, s.Size, SymbolKindName(s.Info), s.Shndx, symname.Display(s.Name))
	}
	t.Flush()
}

func writeRelocs(w io.Writer, in *elf.Info) {
	if len(in.Relocations) == 0 {
		return
	}
	title(w, fmt.Sprintf("Dynamic relocations (%d)", len(in.Relocations)))
	t := table(w)
	fmt.Fprintln(t, "  offset\ttype\tsym\tname")
	for _, r := range in.Relocations {
		fmt.Fprintf(t, "  %#x\t%s\t%d\t%s\n", r.Offset, RelocTypeName(r.Type), r.Sym, symname.Display(r.SymbolName))
	}
	t.Flush()
}

func (d *Document) writeChecks(w io.Writer) {
	title(w, "Loader checks")
	t := table(w)
	for _, c := range d.Checks {
		line := fmt.Sprintf("  %s\t%s", c.Status, c.Name)
		if c.Status != elf.CheckSkipped {
			line += fmt.Sprintf("\twant %s, got %s", c.Want, c.Got)
		}
		if e := CheckError(c); e != "" {
			line += " -> " + e
		}
		fmt.Fprintln(t, line)
	}
	t.Flush()
}

func (d *Document) writeSteps(w io.Writer) {
	if len(d.Relocations) == 0 {
		return
	}
	title(w, fmt.Sprintf("Relocation log (%d steps)", len(d.Relocations)))
	for i, s := range d.Relocations {
		fmt.Fprintf(w, "  %2d. %s\n", i+1, stepText(s))
		if len(s.Before) > 0 || len(s.After) > 0 {
			fmt.Fprintf(w, "      at %#x: %s -> %s\n", s.FileOffset, spaced(s.Before), spaced(s.After))
		}
	}
}

// stepText describes one relocation step on a line.
func stepText(s elf.Step) string {
	where := "outside .text"
	if s.Insn >= 0 {
		where = ebpf.PCRef(s.Insn)
	}
	switch s.Kind {
	case elf.StepRelativeCall:
		return fmt.Sprintf("relative call at %s: imm %d -> pc %d, hash(pc %d) = %#08x", where, s.Imm, s.TargetPC, s.Insn, s.Hash)
	case elf.StepRelativeText:
		return fmt.Sprintf("%s #%d: lddw at %s: %#x + MM_PROGRAM_START = %#x", RelocTypeName(s.RelocType), s.Reloc, where, s.VirtAddr, s.PhysAddr)
	case elf.StepRelativeData:
		return fmt.Sprintf("%s #%d: data word %s: %#x + MM_PROGRAM_START = %#x", RelocTypeName(s.RelocType), s.Reloc, where, s.VirtAddr, s.PhysAddr)
	case elf.StepSymbolCall:
		return fmt.Sprintf("%s #%d: call at %s: symbol %q -> imm %#08x", RelocTypeName(s.RelocType), s.Reloc, where, s.Symbol, s.Hash)
	case elf.StepRejected:
		msg := "rejected"
		if s.Attempted != "" {
			msg += " " + string(s.Attempted)
		}
		if s.Reloc >= 0 {
			msg += fmt.Sprintf(" (relocation #%d, %s)", s.Reloc, RelocTypeName(s.RelocType))
		}
		if s.Error != nil {
			msg += ": " + s.Error.Error()
		}
		return msg + " at " + where
	}
	return string(s.Kind) + " at " + where
}

// spaced prints bytes as hex pairs separated by spaces.
func spaced(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts, " ")
}

func (d *Document) writeProgram(w io.Writer) {
	title(w, "Program")
	fmt.Fprintf(w, "  entrypoint: %s\n", ebpf.PCRef(*d.Entrypoint))
	fmt.Fprintf(w, "  .text: file offset %#x, vaddr %#x, %d instructions\n", d.TextOffset, d.TextVaddr, len(d.Text))
	if len(d.Calls) > 0 {
		title(w, "Call map")
		t := table(w)
		for _, c := range d.Calls {
			fmt.Fprintf(t, "  %#08x\t-> %s\t%s\n", c.Hash, ebpf.PCRef(c.PC), symname.Display(c.Name))
		}
		t.Flush()
	}
	if len(d.Functions) > 0 {
		title(w, "Function symbols")
		t := table(w)
		fmt.Fprintln(t, "  name\tpc in .text\trbpf's index\tsize")
		for _, f := range d.Functions {
			at := "-"
			if f.TextPC != nil {
				at = fmt.Sprint(*f.TextPC)
			}
			fmt.Fprintf(t, "  %s\t%s\t%d\t%d\n", symname.Display(f.Name), at, f.PC, f.Size)
		}
		t.Flush()
		fmt.Fprintln(w, "  (rbpf indexes a symbol as st_value/8 - 29, right only when .text is at file offset 0xe8)")
	}
	if len(d.Syscalls) > 0 {
		title(w, "Imported syscalls")
		t := table(w)
		for _, s := range d.Syscalls {
			fmt.Fprintf(t, "  %#08x\t%s\n", s.Hash, symname.Display(s.Name))
		}
		t.Flush()
	}
	if len(d.ROSections) > 0 {
		title(w, "Read-only sections")
		for _, s := range d.ROSections {
			fmt.Fprintf(w, "  %s: vaddr %#x, file offset %#x, %d bytes\n", s.Name, s.Vaddr, s.Offset, s.Size)
			writeHexdump(w, s.Vaddr, s.Bytes, 256)
		}
	}
	title(w, "Relocated .text")
	for _, l := range d.Text {
		if l.Label != "" {
			fmt.Fprintln(w, asm.LabelLine(l.Label))
		}
		mark := " "
		if l.Relocated {
			mark = "*"
		}
		note := ""
		if l.Note != "" {
			note = " ; " + l.Note
		}
		fmt.Fprintf(w, "  %s %s %s  %s%s\n", asm.SlotNumbers(l.PC), mark, spaced(l.Bytes[:min(8, len(l.Bytes))]), l.Asm, note)
		if len(l.Bytes) > 8 {
			fmt.Fprintf(w, "  %s %s %s\n", asm.SlotNumbers(l.PC+1), mark, spaced(l.Bytes[8:]))
		}
	}
	fmt.Fprintln(w, "  (* = changed by relocation)")
}

// writeHexdump prints up to limit bytes, 16 per line, with printable text.
func writeHexdump(w io.Writer, addr uint64, b []byte, limit int) {
	shown := b[:min(len(b), limit)]
	for i := 0; i < len(shown); i += 16 {
		row := shown[i:min(i+16, len(shown))]
		text := make([]byte, len(row))
		for j, c := range row {
			text[j] = '.'
			if c >= 0x20 && c < 0x7f {
				text[j] = c
			}
		}
		fmt.Fprintf(w, "    %#x  %-47s  %s\n", addr+uint64(i), spaced(row), text)
	}
	if len(b) > limit {
		fmt.Fprintf(w, "    ... %d more bytes\n", len(b)-limit)
	}
}
