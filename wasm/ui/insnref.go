package ui

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// One numbering everywhere. The page names an instruction by its pc, the
// slot index in .text, and rbpf's number for it, pc + 29
// (ebpf.ElfInsnDumpOffset), the number rbpf's runtime errors give:
// "pc 8 (insn #37)" (ebpf.PCRef). rbpf's own texts stay exactly as rbpf
// writes them, and they count three ways: runtime errors give pc + 29, the
// verifier gives the bare pc, and an unresolved symbol is numbered from
// the start of the file rather than of .text. An InsnRef says which slot
// such a text means and how its number relates to the pc.

// InsnRef is an instruction an error names.
type InsnRef struct {
	// PC is the slot the number means; it may lie outside .text (an
	// overrun names the slot after the last).
	PC int
	// Said is the number as rbpf's text gives it ("instruction #37").
	Said string
	// Why relates Said to PC in a sentence.
	Why string
}

// Ref is the instruction as the page names it, "pc 8 (insn #37)".
func (r InsnRef) Ref() string { return ebpf.PCRef(r.PC) }

// runtimeRef is an instruction a runtime error numbers as pc + 29.
func runtimeRef(n uint64) InsnRef {
	pc := int(n) - ebpf.ElfInsnDumpOffset
	return InsnRef{PC: pc, Said: fmt.Sprintf("instruction #%d", n),
		Why: fmt.Sprintf("rbpf's runtime errors number an instruction pc + %d: #%d is pc %d", ebpf.ElfInsnDumpOffset, n, pc)}
}

// insnRefOf finds the instruction err names, if it names one. textOffset
// is the file offset of .text, which an unresolved symbol's number
// depends on.
func insnRefOf(err error, textOffset uint64) (InsnRef, bool) {
	var ve *verifier.Error
	if errors.As(err, &ve) {
		if !ve.HasPC() {
			return InsnRef{}, false
		}
		return InsnRef{PC: ve.PC, Said: fmt.Sprintf("insn #%d", ve.PC),
			Why: fmt.Sprintf("rbpf's verifier numbers instructions by pc, without the %d its runtime errors add: insn #%d is %s",
				ebpf.ElfInsnDumpOffset, ve.PC, ebpf.PCRef(ve.PC))}, true
	}
	var ee *elf.Error
	if errors.As(err, &ee) {
		switch ee.Kind {
		case elf.UnresolvedSymbol:
			// report_unresolved_symbol adds .text's file offset to the
			// pc before it divides by 8 and adds 29.
			pc := int((int64(ee.Offset) - int64(textOffset)) / ebpf.InsnSize)
			return InsnRef{PC: pc, Said: fmt.Sprintf("instruction #%d", ee.Insn),
				Why: fmt.Sprintf("rbpf numbers an unresolved symbol from the start of the file, not of .text: "+
					"file offset %#x / 8 + %d = #%d; .text starts at file offset %#x (%d slots), so #%d is pc %d, which its runtime errors would call #%d",
					ee.Offset, ebpf.ElfInsnDumpOffset, ee.Insn, textOffset, textOffset/ebpf.InsnSize, ee.Insn, pc, ebpf.InsnNumber(pc))}, true
		case elf.RelativeJumpOutOfBounds, elf.RelocationHashCollision:
			return runtimeRef(uint64(ee.Insn)), true
		}
		return InsnRef{}, false
	}
	var e *vm.Error
	if errors.As(err, &e) {
		switch e.Kind {
		case vm.CallDepthExceeded, vm.DivideByZero, vm.ExecutionOverrun, vm.CallOutsideTextSegment,
			vm.ExceededMaxInstructions, vm.AccessViolation, vm.StackAccessViolation, vm.InvalidInstruction,
			vm.UnsupportedInstruction, vm.ExhaustedTextSegment, vm.InvalidRegister, vm.IncompleteLddw:
			return runtimeRef(e.PC), true
		}
	}
	return InsnRef{}, false
}

// ErrorRef is an error shown beside the listing with the instruction it
// names.
type ErrorRef struct {
	What string // whose error: "The run's error", "rbpf v0.2.8's verifier"
	Text string // the error, exactly as rbpf words it
	InsnRef
}

// Errors are the errors that name an instruction of the program the
// listing shows: the debugger's run error and the verifier's rejection.
func (w *listState) Errors() []ErrorRef {
	p := w.hub.program()
	if p == nil || p.Prog == nil {
		return nil
	}
	off := p.Prog.TextOffset
	var out []ErrorRef
	if m := w.debug.vm; m != nil && m.Done() {
		if err := m.Result().Err; err != nil {
			if r, ok := insnRefOf(err, off); ok {
				out = append(out, ErrorRef{What: "The run's error", Text: err.Error(), InsnRef: r})
			}
		}
	}
	if err, _ := p.Verdict(); err != nil {
		if r, ok := insnRefOf(err, off); ok {
			out = append(out, ErrorRef{What: "rbpf v0.2.8's verifier", Text: err.Error(), InsnRef: r})
		}
	}
	return out
}

// ShowInsn puts the cursor on pc and centres it in the listing, switching
// to the disassembly unless a listing is shown.
func (w *listState) ShowInsn(pc int) {
	defer w.hub.Recover("show instruction")
	s := w.hub.screen()
	if !listingView(s.View) {
		s.View = "disasm"
	}
	w.debug.Cursor = pc
	s.scrollTo(fmt.Sprintf("pc-%d", pc), true)
}

// listingView reports whether view shows the listing.
func listingView(view string) bool { return view == "debug" || view == "disasm" || view == "jit" }
