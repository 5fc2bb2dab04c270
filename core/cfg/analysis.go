package cfg

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// Analysis reproduces the analysis that rbpf v0.2.8's command-line tool
// (cli/src/main.rs) runs before disassembling or profiling: labels for
// functions and branch destinations, the branch sources, and descriptions
// rewritten to name labels, syscalls and functions.
//
// Slots are unsigned there, so a jump before the start of the program
// names a label at a slot near 2^64; the Labels keys keep that.
type Analysis struct {
	// Insns are the instructions with the tool's descriptions.
	Insns []asm.Line
	// Labels maps destination slots to their labels.
	Labels map[uint64]Label
	// Sources maps each branching slot to where it may go: nothing for
	// exit and callx, the target for ja, the next slot and the target
	// for a conditional jump.
	Sources map[int][]uint64
	// Warnings are the lines the tool prints while analysing
	// ("WARNING: Invalid symbol ..."), in order.
	Warnings []string
}

// Label names a destination.
type Label struct {
	Name     string
	Function bool // a function (printed after an empty line), else a basic block
}

// Analyze runs the tool's analysis. It uses opts.Entry, opts.Functions
// (symbol names as the file has them), opts.CallTargets and opts.Syscalls.
// Function labels are demangled as the tool does it, with rustc-demangle's
// default form (symname.Rustc), which keeps a legacy Rust name's hash:
// `solana_program::log::sol_log::h4d8401486258f67d`.
func Analyze(prog []byte, opts Options) *Analysis {
	a := &Analysis{Insns: asm.DisassembleInsns(prog), Labels: map[uint64]Label{}, Sources: map[int][]uint64{}}
	for pc, name := range opts.Functions {
		a.Labels[uint64(pc)] = Label{Name: symname.Rustc(name), Function: true}
	}
	a.addLabel(uint64(opts.Entry), Label{Name: "entrypoint", Function: true})
	for _, l := range a.Insns {
		switch l.Opc {
		case ebpf.CallImm:
			if pc, ok := opts.CallTargets[uint32(l.Insn.Imm)]; ok {
				a.addLabel(uint64(pc), Label{Name: fmt.Sprintf("function_%d", uint64(pc)), Function: true})
			}
		case ebpf.CallReg, ebpf.Exit:
			a.Sources[l.Ptr] = []uint64{}
		}
	}
	a.addBranches()
	a.warnInvalid()
	a.rewrite(opts)
	return a
}

// addLabel adds a label unless the slot already has one.
func (a *Analysis) addLabel(pc uint64, l Label) {
	if _, ok := a.Labels[pc]; !ok {
		a.Labels[pc] = l
	}
}

func blockLabelAt(pc uint64) Label { return Label{Name: "lbb_" + strconv.FormatUint(pc, 10)} }

// target is the jump target as the tool computes it, on unsigned slots.
func target(l asm.Line) uint64 { return uint64(ebpf.JumpTarget(l.Ptr, l.Insn.Off)) }

func (a *Analysis) addBranches() {
	for _, l := range a.Insns {
		if !l.Opc.IsJump() {
			continue
		}
		t := target(l)
		if l.Opc == ebpf.Ja {
			a.Sources[l.Ptr] = []uint64{t}
		} else {
			next := uint64(l.Ptr + 1)
			a.Sources[l.Ptr] = []uint64{next, t}
			a.Labels[next] = blockLabelAt(next) // replaces a function label, as the tool does
		}
		a.addLabel(t, blockLabelAt(t))
	}
}

// warnInvalid reports labels that do not start an instruction, in slot
// order.
func (a *Analysis) warnInvalid() {
	starts := map[uint64]bool{}
	for _, l := range a.Insns {
		starts[uint64(l.Ptr)] = true
	}
	for _, pc := range a.labelSlots() {
		if !starts[pc] {
			a.Warnings = append(a.Warnings,
				fmt.Sprintf("WARNING: Invalid symbol %s, pc=%d", rustQuote(a.Labels[pc].Name), pc))
		}
	}
}

func (a *Analysis) labelSlots() []uint64 {
	pcs := make([]uint64, 0, len(a.Labels))
	for pc := range a.Labels {
		pcs = append(pcs, pc)
	}
	sort.Slice(pcs, func(i, j int) bool { return pcs[i] < pcs[j] })
	return pcs
}

// resolve names a destination the way the tool does.
func (a *Analysis) resolve(pc uint64) string {
	if l, ok := a.Labels[pc]; ok {
		return l.Name
	}
	return fmt.Sprintf("%d # unresolved symbol", pc)
}

// rewrite replaces the descriptions of calls and jumps.
func (a *Analysis) rewrite(opts Options) {
	for i := range a.Insns {
		l := &a.Insns[i]
		switch {
		case l.Opc == ebpf.CallImm:
			a.rewriteCall(l, opts)
		case l.Opc == ebpf.Ja:
			l.Desc = fmt.Sprintf("%s %s", l.Name, a.resolve(target(*l)))
		case l.Opc.IsJump() && l.Opc.IsReg():
			l.Desc = fmt.Sprintf("%s r%d, r%d, %s", l.Name, l.Insn.Dst, l.Insn.Src, a.resolve(target(*l)))
		case l.Opc.IsJump():
			l.Desc = fmt.Sprintf("%s r%d, %#x, %s", l.Name, l.Insn.Dst, uint32(l.Insn.Imm), a.resolve(target(*l)))
		}
	}
}

func (a *Analysis) rewriteCall(l *asm.Line, opts Options) {
	hash := uint32(l.Insn.Imm)
	if name, ok := opts.Syscalls[hash]; ok {
		l.Desc = "syscall " + name
	} else if pc, ok := opts.CallTargets[hash]; ok {
		l.Desc = "call " + a.resolve(uint64(pc))
	} else {
		l.Desc = fmt.Sprintf("call %x # unresolved relocation", hash)
	}
}

// writeLabel writes the label at slot pc, if any, and reports whether it
// did; a function label follows an empty line.
func (a *Analysis) writeLabel(b *strings.Builder, pc int) bool {
	l, ok := a.Labels[uint64(pc)]
	if !ok {
		return false
	}
	if l.Function {
		b.WriteByte('\n')
	}
	b.WriteString(l.Name + ":\n")
	return true
}

// Disassembly is what the tool prints for `--use disassembler` after the
// analysis warnings (which it prints in every mode, so they are not part of
// this text): each instruction indented by four spaces under its label.
func (a *Analysis) Disassembly() string {
	var b strings.Builder
	for _, l := range a.Insns {
		a.writeLabel(&b, l.Ptr)
		b.WriteString("    " + l.Desc + "\n")
	}
	return b.String()
}

// Profile is what the tool prints after "Profile:" for `--prof`, given the
// slots executed in order: each label with how often its slot executed,
// and after each conditional jump how often it fell through and jumped.
// The tool cannot count a conditional jump that ends the trace (it panics
// there); this counts neither of its branches.
func (a *Analysis) Profile(trace []int) string {
	entered := map[uint64]int{}
	branches := map[int][2]int{}
	for i, pc := range trace {
		if _, ok := a.Labels[uint64(pc)]; ok {
			entered[uint64(pc)]++
		}
		dests := a.Sources[pc]
		if len(dests) != 2 || i+1 >= len(trace) {
			continue
		}
		c := branches[pc]
		if next := uint64(trace[i+1]); next == dests[0] {
			c[0]++
		} else if next == dests[1] {
			c[1]++
		}
		branches[pc] = c
	}
	var b strings.Builder
	for _, l := range a.Insns {
		if a.writeLabel(&b, l.Ptr) {
			fmt.Fprintf(&b, "    # Basic block executed: %d\n", entered[uint64(l.Ptr)])
		}
		b.WriteString("    " + l.Desc + "\n")
		if len(a.Sources[l.Ptr]) == 2 {
			c := branches[l.Ptr]
			fmt.Fprintf(&b, "    # Branch: %d fall through, %d jump\n", c[0], c[1])
		}
	}
	return b.String()
}

// rustQuote quotes s the way Rust's Debug output of a string does.
func rustQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			if unicode.IsPrint(r) {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, `\u{%x}`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
