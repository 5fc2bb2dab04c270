package ui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// DisLine is one instruction of the disassembly view. Names are shown
// demangled (symname.Display); the raw ones stay beside them.
type DisLine struct {
	PC int
	// Insn is rbpf's number for the instruction, "#37" (pc + 29); made
	// when the line is first drawn, like Bytes.
	Insn  string
	Label string // function or block label starting here, demangled
	// RawLabel is the label's symbol name when it differs from Label (the
	// label's tooltip), else "".
	RawLabel string
	Bytes    string // the first slot's bytes in hex, made when first drawn
	Text     string
	Note     string // the call's or jump's target, by name
	Target   int    // jump target, -1 if none
	Call     bool   // a `call imm`: clicking it opens the hashing panel
	// Callee is the raw name a call's note shows, the bytes its hash may
	// come from.
	Callee string
	Imm    int32
	Class  string // set per render: cur, bp, err, cursor (the machine code's too)
	Heat   string // set per render: inline style of the heat margin
	Count  string // set per render: execution count
}

// disasmLines disassembles the current program with function labels, block
// labels at jump targets and call targets by name.
func (p *Loaded) disasmLines() []DisLine {
	if p == nil || p.Prog == nil {
		return nil
	}
	if p.lines != nil {
		return p.lines
	}
	prog := p.Prog
	imports, _ := prog.Symbols() // names the file imports, resolved or not
	functions := p.functionNames()
	syscalls := syscallNames()
	fnName := func(pc int) string {
		if f, ok := functions[pc]; ok {
			return f
		}
		if pc == prog.Entrypoint {
			return "entrypoint"
		}
		return fmt.Sprintf("fn_%d", pc)
	}
	labels := map[int]string{prog.Entrypoint: fnName(prog.Entrypoint)}
	for _, pc := range prog.Calls {
		labels[pc] = fnName(pc)
	}
	for pc, f := range functions {
		labels[pc] = f
	}
	// The labels of the assembly the program was built from name the
	// places no function symbol names (a typed `loop:` stays `loop`).
	for pc, name := range sourceLabels(p.Source) {
		if labels[pc] == "" || strings.HasPrefix(labels[pc], "fn_") {
			labels[pc] = name
		}
	}
	insns := asm.DisassembleInsns(prog.Text)
	for _, l := range insns {
		if l.Opc.IsJump() {
			if t := ebpf.JumpTarget(l.Ptr, l.Insn.Off); labels[t] == "" {
				labels[t] = fmt.Sprintf("lbb_%d", t)
			}
		}
	}
	lines := make([]DisLine, 0, len(insns))
	for _, l := range insns {
		d := DisLine{PC: l.Ptr, Text: l.Desc, Target: -1, Imm: l.Insn.Imm}
		if name := labels[l.Ptr]; name != "" {
			d.Label, d.RawLabel = symname.Display(name), rawIfMangled(name)
		}
		switch {
		case l.Opc == ebpf.CallImm:
			d.Call = true
			h := uint32(l.Insn.Imm)
			if pc, ok := prog.Calls[h]; ok {
				d.Callee, d.Target = fnName(pc), pc
				d.Note = "→ " + symname.Display(d.Callee)
			} else if n, ok := syscalls[h]; ok {
				d.Callee, d.Note = n, "syscall "+n
			} else if n, ok := imports[h]; ok {
				d.Callee, d.Note = n, "unresolved "+symname.Display(n)
			} else {
				d.Note = "unresolved"
			}
		case l.Opc.IsJump():
			d.Target = ebpf.JumpTarget(l.Ptr, l.Insn.Off)
			d.Note = "→ " + symname.Display(labels[d.Target])
		}
		lines = append(lines, d)
	}
	p.lines = lines
	return lines
}

// sourceLabels maps the slots of assembly source to its labels (the
// first in name order where several name one slot); nil when src is
// empty or does not assemble. The ELF builder's directives (lines of their
// own starting with '.') are blanked first, as the builder removes them.
func sourceLabels(src string) map[int]string {
	if src == "" {
		return nil
	}
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), ".") {
			lines[i] = ""
		}
	}
	p, err := asm.AssembleProgram(strings.Join(lines, "\n"))
	if err != nil {
		return nil
	}
	out := map[int]string{}
	for name, pc := range p.Labels {
		if old, ok := out[pc]; !ok || name < old {
			out[pc] = name
		}
	}
	return out
}

// rawIfMangled is name when the listing shows it demangled, else "".
func rawIfMangled(name string) string {
	if symname.Demangled(name) != "" {
		return name
	}
	return ""
}

// ListWindow is how many instructions the listing draws at once: about
// three screens of the listing's box. A step into a far function draws
// them all anew, and opening the debugger draws them first; with 300
// rows those took 110-120 ms and 400-460 ms on Serum DEX (31 449
// instructions), with 120 rows 65-70 ms and 240-290 ms, with 80 no less
// within the noise (TestRuntimeSpeed, builds served alternately).
const ListWindow = 120

// listState is the part of the program the listing shows: lines
// [start, start+ListWindow) of the disassembly. pc and cursor are the
// debugger's position and the cursor when the window last looked, view
// the view it was drawn in.
type listState struct {
	hub   hub
	debug *DebugState // whose position and cursor the listing shows

	start, pc, cursor int
	view              string
	// GotoErr says why the last "go to" found nothing.
	GotoErr string
}

// reset opens the listing anew, for a newly loaded program.
func (w *listState) reset() {
	*w = listState{hub: w.hub, debug: w.debug, pc: -1, cursor: -1}
}

// listRange is the window of lines to draw. When the debugger's position
// or the cursor has moved out of it since the last look, the window moves
// to show it (the position wins when both moved); otherwise it stays where
// it was, so the earlier and later buttons can page away. A listing shown
// anew (another view, another program) opens on its focus (listFocus),
// centred.
func (w *listState) listRange(lines []DisLine) (lo, hi int) {
	n := len(lines)
	s := w.hub.screen()
	focus := -1
	if c := w.debug.Cursor; c != w.cursor {
		w.cursor, focus = c, c
	}
	if pc := w.debug.curPC(); pc != w.pc {
		w.pc, focus = pc, pc
	}
	if w.view != s.View {
		w.view, focus = s.View, w.listFocus()
		if focus >= 0 && s.ScrollTo == "" {
			s.scrollTo(fmt.Sprintf("pc-%d", focus), true)
		}
	}
	if n <= ListWindow {
		return 0, n
	}
	if focus >= 0 {
		i := lineIndex(lines, focus)
		if i < w.start || i >= w.start+ListWindow {
			w.start = i - ListWindow/3
		}
	}
	w.start = max(0, min(w.start, n-ListWindow))
	return w.start, w.start + ListWindow
}

// listFocus is the instruction a listing opens on: in the debugger its
// position, else the cursor, else the entrypoint; elsewhere the cursor
// first. -1 without a program.
func (w *listState) listFocus() int {
	p := w.hub.program()
	if p == nil || p.Prog == nil {
		return -1
	}
	pc, cur := w.debug.curPC(), w.debug.Cursor
	if w.hub.screen().View != "debug" {
		pc, cur = cur, pc
	}
	switch {
	case pc >= 0:
		return pc
	case cur >= 0:
		return cur
	}
	return p.Prog.Entrypoint
}

// Above and Below count the instructions outside the listing's window,
// for its paging buttons.
func (w *listState) Above() int {
	lo, _ := w.listRange(w.hub.program().disasmLines())
	return lo
}

func (w *listState) Below() int {
	lines := w.hub.program().disasmLines()
	_, hi := w.listRange(lines)
	return len(lines) - hi
}

// GoTo puts the cursor, and so the listing's window, on an instruction
// given by its pc (decimal or 0x hex, "pc 8" too), by rbpf's number for it
// as errors give it ("#37", pc + 29) or by a label the listing shows (a
// function's name, demangled or raw, lbb_N), and centres it.
func (w *listState) GoTo(where string) {
	defer w.hub.Recover("go to")
	where = strings.TrimSuffix(strings.TrimSpace(where), ":")
	w.GotoErr = ""
	if where == "" {
		return
	}
	lines := w.hub.program().disasmLines()
	pc := -1
	num, off := strings.TrimSpace(strings.TrimPrefix(where, "pc")), 0
	if strings.HasPrefix(where, "#") {
		num, off = where[1:], ebpf.ElfInsnDumpOffset
	}
	if n, err := strconv.ParseInt(num, 0, 64); err == nil {
		n -= int64(off)
		if i, ok := lineAt(lines, int(n)); ok {
			pc = lines[i].PC
		}
	} else {
		for _, l := range lines {
			if l.Label == where || l.RawLabel == where {
				pc = l.PC
				break
			}
		}
	}
	if pc < 0 {
		w.GotoErr = fmt.Sprintf("no instruction or label %q", where)
		return
	}
	w.debug.Cursor = pc
	w.hub.screen().scrollTo(fmt.Sprintf("pc-%d", pc), true)
}

// Earlier and Later page the listing's window by half its height
// (listRange keeps it within the program).
func (w *listState) Earlier() {
	defer w.hub.Recover("earlier instructions")
	w.start -= ListWindow / 2
}

func (w *listState) Later() {
	defer w.hub.Recover("later instructions")
	w.start += ListWindow / 2
}

// DisasmRows is the listing's window of the disassembly with the
// debugger's state applied.
func (w *listState) DisasmRows() []DisLine {
	p := w.hub.program()
	all := p.disasmLines()
	lo, hi := w.listRange(all)
	lines := all[lo:hi]
	out := make([]DisLine, len(lines))
	if len(lines) == 0 {
		return out
	}
	text := p.Prog.Text
	d := w.debug
	var maxCount uint64
	for _, c := range d.counts {
		maxCount = max(maxCount, c)
	}
	// After a clean exit there is no current instruction to show.
	cur := d.curPC()
	failed := cur >= 0 && d.vm.Done()
	// The machine-code view marks the instruction it shows even when
	// no cursor chose it.
	sel := -1
	if w.hub.screen().View == "jit" && d.Cursor < 0 {
		sel = p.jitPC(d)
	}
	for i := range lines {
		if lines[i].Bytes == "" { // static, made once per drawn line
			pc := lines[i].PC
			lines[i].Insn = "#" + strconv.Itoa(ebpf.InsnNumber(pc))
			lines[i].Bytes = hexBytes(text[pc*ebpf.InsnSize : pc*ebpf.InsnSize+ebpf.InsnSize])
		}
		l := lines[i]
		cls := "dl"
		if l.PC == cur {
			cls += " cur"
			if failed {
				cls += " err"
			}
		}
		if d.Breakpoints[l.PC] {
			cls += " bp"
		}
		if l.PC == d.Cursor || l.PC == sel {
			cls += " cursor"
		}
		l.Class = cls
		if n := d.AccessNote(l.PC); n != "" { // the input field a load or store touches
			l.Note = n
		}
		if l.PC < len(d.counts) && d.counts[l.PC] > 0 {
			c := d.counts[l.PC]
			alpha := 0.15 + 0.85*math.Log1p(float64(c))/math.Log1p(float64(maxCount))
			l.Heat = fmt.Sprintf("background: rgba(232, 89, 12, %.2f)", alpha)
			l.Count = fmt.Sprint(c)
		}
		out[i] = l
	}
	return out
}

// ToggleBreakpoint sets or clears a breakpoint.
func (d *DebugState) ToggleBreakpoint(pc int) {
	defer d.hub.Recover("breakpoint")
	if d.Breakpoints[pc] {
		delete(d.Breakpoints, pc)
	} else {
		d.Breakpoints[pc] = true
	}
	d.hub.Permalink()
}

// SetCursor selects an instruction (for run to cursor and the JIT view).
func (d *DebugState) SetCursor(pc int) {
	defer d.hub.Recover("select")
	d.Cursor = pc
}

// FollowJump moves the cursor to a jump's target.
func (w *listState) FollowJump(l DisLine) {
	defer w.hub.Recover("follow jump")
	if l.Target >= 0 {
		w.debug.Cursor = l.Target
		w.hub.screen().scrollTo(fmt.Sprintf("pc-%d", l.Target), true)
	}
}

// MoveCursor moves the cursor by delta instructions (the keys j and k),
// starting from the listing's focus when there is no cursor, and keeps it
// in sight.
func (w *listState) MoveCursor(delta int) {
	defer w.hub.Recover("move cursor")
	lines := w.hub.program().disasmLines()
	if len(lines) == 0 {
		return
	}
	from := w.debug.Cursor
	if from < 0 {
		from = w.listFocus()
	}
	i := min(max(lineIndex(lines, from)+delta, 0), len(lines)-1)
	w.debug.Cursor = lines[i].PC
	w.hub.screen().scrollTo(fmt.Sprintf("pc-%d", lines[i].PC), false)
}

// lineIndex is the index of the first line of lines (in pc order) at or
// after pc.
func lineIndex(lines []DisLine, pc int) int {
	return sort.Search(len(lines), func(i int) bool { return lines[i].PC >= pc })
}

// lineAt is the index of the line of the instruction at pc, if one starts
// there.
func lineAt(lines []DisLine, pc int) (int, bool) {
	i := lineIndex(lines, pc)
	return i, i < len(lines) && lines[i].PC == pc
}
