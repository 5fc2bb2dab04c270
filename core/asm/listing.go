package asm

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// ListingOptions adds names to a Listing. The names are symbol names as the
// file has them; the listing shows them demangled (symname.Display).
type ListingOptions struct {
	// Labels names slots (usually function symbols: slot index -> name). A
	// named slot gets a "name:" line, and jumps to it show the name.
	Labels map[int]string
	// CallNames names call immediates (hash -> name), such as the syscalls
	// and functions an ELF registers; a `call` whose imm is known shows it.
	CallNames map[uint32]string
	// HideBytes leaves the raw instruction bytes out.
	HideBytes bool
}

// Listing formats prog for reading: each slot's index (its pc) and rbpf's
// number for it, the one its errors report (#pc+29, see SlotNumbers), its
// eight bytes in hexadecimal, and rbpf's description, with labels and the
// targets of jumps and calls added as comments. The second slot of an lddw
// gets a line of its own with its bytes only.
//
// Names are shown demangled. The listing is for reading, not for the
// assembler (its lines start with numbers and bytes), so a label line reads
// "spl_token::processor::Processor::process:" and gives the symbol's raw
// name after it as a comment ("; _ZN9spl_token…E"), the name call hashes
// and the ELF's symbol table use.
func Listing(prog []byte, opts ListingOptions) string {
	var b strings.Builder
	n := len(prog) / ebpf.InsnSize
	for _, l := range DisassembleInsns(prog) {
		if name, ok := opts.Labels[l.Ptr]; ok {
			b.WriteString(LabelLine(name) + "\n")
		}
		writeSlot(&b, prog, l.Ptr, opts.HideBytes)
		b.WriteString(l.Desc)
		if note := annotate(l, opts); note != "" {
			b.WriteString(" ; ")
			b.WriteString(note)
		}
		b.WriteByte('\n')
		if l.Slots == 2 && l.Ptr+1 < n {
			writeSlot(&b, prog, l.Ptr+1, opts.HideBytes)
			b.WriteString("\n")
		}
	}
	return trimLines(b.String())
}

// LabelLine is the line that names a function in a listing: "name:", or
// for a mangled symbol the demangled name and the raw one as a comment,
// "log::logger: ; _RNvCsaljjC7ZTCQu_3log6logger".
func LabelLine(name string) string {
	if d := symname.Demangled(name); d != "" {
		return d + ": ; " + name
	}
	return name + ":"
}

// trimLines drops the spaces at the ends of lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// SlotNumbers is how a listing numbers slot pc: the pc, then rbpf's
// number for it (pc + 29, the number its errors give), "    8 #37   ".
// Labels, jump notes and the playground use the same pair (ebpf.PCRef).
func SlotNumbers(pc int) string {
	return fmt.Sprintf("%5d #%-5d", pc, ebpf.InsnNumber(pc))
}

func writeSlot(b *strings.Builder, prog []byte, pc int, hide bool) {
	b.WriteString(SlotNumbers(pc) + "  ")
	if hide {
		return
	}
	slot := prog[pc*ebpf.InsnSize : (pc+1)*ebpf.InsnSize]
	for _, c := range slot {
		fmt.Fprintf(b, "%02x ", c)
	}
	b.WriteByte(' ')
}

// annotate returns the comment for a jump (its target) or a call (the name
// of its immediate, when known).
func annotate(l Line, opts ListingOptions) string {
	switch {
	case l.Opc == ebpf.CallImm:
		return symname.Display(opts.CallNames[uint32(l.Insn.Imm)])
	case l.Opc.IsJump():
		target := ebpf.JumpTarget(l.Ptr, l.Insn.Off)
		if name, ok := opts.Labels[target]; ok {
			return "-> " + symname.Display(name)
		}
		return fmt.Sprintf("-> pc %d", target)
	}
	return ""
}
