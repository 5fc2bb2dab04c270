package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestInsnRefs checks how each kind of error's instruction number maps to
// the pc: runtime errors say pc + 29, the verifier the bare pc, an
// unresolved symbol pc + 29 + .text's file offset / 8.
func TestInsnRefs(t *testing.T) {
	for _, c := range []struct {
		err  error
		off  uint64
		pc   int
		said string
		why  string
	}{
		{&vm.Error{Kind: vm.DivideByZero, PC: 37}, 0xe8, 8, "instruction #37", "#37 is pc 8"},
		{&vm.Error{Kind: vm.AccessViolation, PC: 29, Section: "input"}, 0xe8, 0, "instruction #29", "pc + 29"},
		{&vm.Error{Kind: vm.ElfError, Err: &elf.Error{Kind: elf.UnresolvedSymbol, Detail: "x", Insn: 59, Offset: 0xf0}}, 0xe8, 1, "instruction #59",
			"file offset 0xf0 / 8 + 29 = #59; .text starts at file offset 0xe8 (29 slots), so #59 is pc 1, which its runtime errors would call #30"},
		{&elf.Error{Kind: elf.RelativeJumpOutOfBounds, Insn: 43}, 0, 14, "instruction #43", "#43 is pc 14"},
		{&verifier.UserError{Err: &verifier.Error{Kind: verifier.DivisionByZero, PC: 8}}, 0, 8, "insn #8", "insn #8 is pc 8 (insn #37)"},
	} {
		r, ok := insnRefOf(c.err, c.off)
		if !ok || r.PC != c.pc || r.Said != c.said || !strings.Contains(r.Why, c.why) {
			t.Errorf("%v: %+v, %v; want pc %d, %q, why with %q", c.err, r, ok, c.pc, c.said, c.why)
		}
		if r.Ref() != fmt.Sprintf("pc %d (insn #%d)", c.pc, c.pc+29) {
			t.Errorf("%v: ref %q", c.err, r.Ref())
		}
	}
	for _, err := range []error{errors.New("plain"), &vm.Error{Kind: vm.ExitRootCallFrame}, &verifier.Error{Kind: verifier.NoProgram},
		&elf.Error{Kind: elf.WrongMachine}} {
		if r, ok := insnRefOf(err, 0); ok {
			t.Errorf("%v names an instruction: %+v", err, r)
		}
	}
}

// TestListErrorsAndShowInsn runs the unresolved-symbol example to its
// error: the listing names the instruction and ShowInsn centres it.
func TestListErrorsAndShowInsn(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("unresolved")
	a.Show("debug")
	a.Debug.Mode = modeBare
	a.Debug.Run()
	errs := a.List.Errors()
	if len(errs) != 1 || errs[0].PC != 1 || errs[0].Said != "instruction #542" || !strings.HasPrefix(errs[0].Text, "ELF error: Unresolved symbol") {
		t.Fatalf("errors %+v", errs)
	}
	a.Show("inspect")
	a.List.ShowInsn(errs[0].PC)
	if a.View != "disasm" || a.Debug.Cursor != 1 || a.ScrollTo != "pc-1" || !a.ScrollCenter {
		t.Errorf("show: view %s, cursor %d, scroll %q %v", a.View, a.Debug.Cursor, a.ScrollTo, a.ScrollCenter)
	}
}

// TestListingOpensOnFocus checks where a listing opens: the debugger on its
// position or the entrypoint, the other views on the cursor first; a
// listing shown anew asks to be centred there.
func TestListingOpensOnFocus(t *testing.T) {
	a := NewApp(&fakeHost{})
	var src strings.Builder
	src.WriteString("f:\n  exit\n")
	for range 2000 {
		src.WriteString("  mov64 r0, 1\n")
	}
	src.WriteString("entrypoint:\n  call f\n  exit\n")
	a.Source = src.String()
	a.BuildSource() // opens the debugger
	entry := a.Prog.Prog.Entrypoint
	rows := a.List.DisasmRows()
	if !hasPC(rows, entry) || a.ScrollTo != fmt.Sprintf("pc-%d", entry) || !a.ScrollCenter {
		t.Fatalf("the debugger opened on rows %d-%d, scroll %q", rows[0].PC, rows[len(rows)-1].PC, a.ScrollTo)
	}
	a.ScrollTo = ""
	a.List.DisasmRows()
	if a.ScrollTo != "" {
		t.Error("a listing already shown asks to scroll again")
	}
	a.Debug.SetCursor(100)
	a.Show("jit")
	if rows = a.List.DisasmRows(); !hasPC(rows, 100) || a.ScrollTo != "pc-100" {
		t.Errorf("the machine-code view opened away from the cursor: scroll %q", a.ScrollTo)
	}
	// The listing re-opens when its component appears again.
	a.ScrollTo = ""
	(&Listing{App: a}).Init()
	a.List.DisasmRows()
	if a.ScrollTo != "pc-100" {
		t.Errorf("a listing that appears again: scroll %q", a.ScrollTo)
	}
	a.List.MoveCursor(1)
	if a.Debug.Cursor != 101 || a.ScrollCenter {
		t.Errorf("j: cursor %d, centred %v", a.Debug.Cursor, a.ScrollCenter)
	}
	a.Show("debug")
	a.Key("j")
	a.Key("k")
	a.Key("k")
	if a.Debug.Cursor != 100 {
		t.Errorf("j k k: cursor %d", a.Debug.Cursor)
	}
}

// TestGoToNumbers checks the go-to field's ways of naming an instruction.
func TestGoToNumbers(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = bigProgram(1000)
	a.BuildSource()
	for where, pc := range map[string]int{"500": 500, "pc 500": 500, "#529": 500, "0x10": 16, "far": 1002, "#29": 0} {
		a.Debug.Cursor = -1
		a.List.GoTo(where)
		if a.Debug.Cursor != pc || a.List.GotoErr != "" || !a.ScrollCenter {
			t.Errorf("go to %q: cursor %d, %q", where, a.Debug.Cursor, a.List.GotoErr)
		}
	}
	a.List.GoTo("#5")
	if a.List.GotoErr == "" {
		t.Error("#5 (pc -24) found an instruction")
	}
}

// TestListingNumbers checks the listing's numbers and typed labels.
func TestListingNumbers(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = ".rodata s \"x\"\nentrypoint:\n  mov64 r0, 3\nloop:\n  sub64 r0, 1\n  jne r0, 0, loop\n  lddw r1, s\n  exit\n"
	a.BuildSource()
	rows := a.List.DisasmRows()
	if rows[1].Label != "loop" || rows[2].Note != "→ loop" || rows[1].Insn != "#30" {
		t.Errorf("rows %+v", rows[:3])
	}
}

// realLikeELF builds fns functions that each load an address, call a
// syscall now and then, and call the next function: three kinds of
// relocation step.
func realLikeELF(t *testing.T, fns int) []byte {
	t.Helper()
	var src strings.Builder
	src.WriteString(".rodata msg \"hello\"\nentrypoint:\n")
	for i := range fns {
		fmt.Fprintf(&src, "f%d:\n  lddw r1, msg\n", i)
		if i%4 == 0 {
			src.WriteString("  call sol_log_\n")
		}
		if i+1 < fns {
			fmt.Fprintf(&src, "  call f%d\n", i+1)
		}
		src.WriteString("  exit\n")
	}
	spec, err := elfbuild.FromAssembly(src.String())
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	return f.Bytes
}

// TestRelocNavigation checks the replay's filter, neighbours, jump field,
// play ticks and "play to the next of this kind".
func TestRelocNavigation(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.LoadFile("real.so", realLikeELF(t, 400))
	r := &a.Reloc
	kinds := map[elf.StepKind]int{}
	for _, s := range r.steps {
		kinds[s.Kind]++
	}
	if kinds[elf.StepRelativeCall] != 399 || kinds[elf.StepRelativeText] != 400 || kinds[elf.StepSymbolCall] != 100 {
		t.Fatalf("steps by kind %v", kinds)
	}
	a.Reloc.Jump("700")
	if r.Pos != 699 || a.ScrollTo != "step-699" {
		t.Fatalf("jump to 700: pos %d, scroll %q", r.Pos, a.ScrollTo)
	}
	if items := r.StepList(); !hasStep(items, "step-699", "cur") || len(items) > stepWindow+2 {
		t.Errorf("the list around step 700: %d items", len(items))
	}
	added := 0
	for _, s := range r.steps[:700] {
		if s.CallAdded != nil {
			added++
		}
	}
	calls := r.CallsTable()
	if len(calls.Rows) != callsShown || calls.Hidden != added-callsShown || calls.Rows[callsShown-1].Cells[2] != fmt.Sprint(r.added[added-1]+1) {
		t.Errorf("calls map at step 700: %d rows, %d hidden (%d added)", len(calls.Rows), calls.Hidden, added)
	}
	calls.Expand()
	if calls = r.CallsTable(); len(calls.Rows) != added || calls.Hidden != 0 {
		t.Errorf("calls map shown in full: %d rows", len(calls.Rows))
	}
	a.Reloc.Filter(elf.StepSymbolCall)
	if s, _ := r.Cur(); s.Kind != elf.StepSymbolCall || r.Pos < 699 {
		t.Fatalf("the filter moved to step %d, a %s", r.Pos, s.Kind)
	}
	for _, it := range r.StepList() {
		if !strings.Contains(it.Class, "more") && !strings.Contains(it.Label, "sym call") {
			t.Fatalf("the filtered list shows %q", it.Label)
		}
	}
	from := r.Pos
	a.Reloc.Move(1)
	if s, _ := r.Cur(); s.Kind != elf.StepSymbolCall || r.Pos <= from {
		t.Errorf("next symbol call: step %d, a %s", r.Pos, s.Kind)
	}
	a.Reloc.Move(-1)
	if r.Pos != from {
		t.Errorf("previous symbol call: step %d, want %d", r.Pos, from)
	}
	a.Reloc.End(true)
	last := r.byKind[elf.StepSymbolCall][99]
	if r.Pos != last {
		t.Errorf("last symbol call: %d, want %d", r.Pos, last)
	}
	if _, ok := r.neighbour(1); ok {
		t.Error("a step after the last symbol call")
	}
	a.Reloc.Filter("")
	a.Reloc.Jump("pc 3")
	if s, _ := r.Cur(); s.Insn != 3 || r.JumpErr != "" {
		t.Errorf("jump to pc 3: step %+v, %q", s, r.JumpErr)
	}
	a.Reloc.Jump("#32")
	if s, _ := r.Cur(); s.Insn != 3 {
		t.Errorf("jump to #32: at pc %d", s.Insn)
	}
	for _, bad := range []string{"0", "100000", "pc 1", "soon"} {
		a.Reloc.Jump(bad)
		if r.JumpErr == "" {
			t.Errorf("jump to %q found a step", bad)
		}
	}

	// play to the next symbol call from one, a tick at a time
	a.Reloc.Jump(fmt.Sprint(r.byKind[elf.StepSymbolCall][3] + 1))
	r.Playing, r.playTo = true, elf.StepSymbolCall
	r.playGen++
	for ticks := 0; !a.Reloc.tick(r.playGen); ticks++ {
		if ticks > len(r.steps) {
			t.Fatal("play does not stop")
		}
	}
	if r.Pos != r.byKind[elf.StepSymbolCall][4] || r.Playing {
		t.Errorf("play to the next symbol call stopped at %d, playing %v", r.Pos, r.Playing)
	}
	// play to the next relative call from the first: ticks through the
	// others, stops on it
	a.Reloc.GoToStep(0)
	r.Playing, r.playTo = true, elf.StepRelativeCall
	r.playGen++
	if !a.Reloc.tick(r.playGen) || r.Pos != 1 {
		t.Errorf("play to the next relative call: at %d", r.Pos)
	}
	a.Reloc.SetSpeed("25")
	if !r.SpeedSelected(25) || r.SpeedSelected(DefaultRelocSpeed) {
		t.Error("speed not set")
	}
}

func hasStep(items []StepItem, id, class string) bool {
	for _, it := range items {
		if it.ID == id && strings.Contains(it.Class, class) {
			return true
		}
	}
	return false
}

// TestRelocNone says why a file has no steps.
func TestRelocNone(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("noop")
	if got := a.Prog.RelocNone(); got != "This file needed no relocation steps." {
		t.Errorf("noop: %q", got)
	}
	b := append([]byte(nil), a.Prog.ELF...)
	b[18] = 62
	a.LoadFile("x86.so", b)
	if got := a.Prog.RelocNone(); !strings.Contains(got, `rejected this file before relocating anything: it failed the check "machine"`) {
		t.Errorf("x86: %q", got)
	}
}

// TestInspectNames checks that the inspector shows core/inspect's names
// and meanings: SHT_GNU_HASH, e_machine 263 and e_flags by meaning, and a
// failed check that does not repeat its error.
func TestInspectNames(t *testing.T) {
	a := NewApp(&fakeHost{})
	gnu := &Loaded{Log: &elf.Log{Info: &elf.Info{Sections: []elf.SectionInfo{{Name: ".gnu.hash", SectionHeader: elf.SectionHeader{Type: 0x6ffffff6, Flags: 2}}}}}}
	if !tableHas(gnu.Sections(), "SHT_GNU_HASH") || !tableHas(gnu.Sections(), "-A-") {
		t.Errorf("sections %+v", gnu.Sections().Rows)
	}

	a.OpenExample("noop")
	sbf := append([]byte(nil), a.Prog.ELF...)
	sbf[18], sbf[19] = 263&0xff, 263>>8 // e_machine = EM_SBPF
	sbf[48] = 3                         // e_flags = 3
	a.LoadFile("v3.so", sbf)
	h := a.Prog.HeaderTable()
	if !tableHas(h, "EM_SBPF: SBPF, the machine of SBPFv3 programs") || !tableHas(h, "rejects the file (WrongMachine)") || !tableHas(h, "SBPFv3 (static syscalls") {
		t.Errorf("header %+v", h.Rows)
	}
	for _, r := range a.Prog.Checklist().Rows {
		if r.Class == "fail" && strings.Count(r.Cells[3], "wrong machine") > 1 {
			t.Errorf("the check repeats its error: %q", r.Cells[3])
		}
	}
	v2 := append([]byte(nil), sbf...)
	v2[18], v2[19], v2[48] = 247, 0, 2
	a.LoadFile("v2.so", v2)
	if a.Prog.Err != nil || !tableHas(a.Prog.HeaderTable(), "rbpf v0.2.8 does not read e_flags and runs the file as v0") {
		t.Errorf("e_flags 2: %v %+v", a.Prog.Err, a.Prog.HeaderTable().Rows)
	}

	a.LoadFile("junk.so", []byte("this is not an ELF file at all"))
	for _, r := range a.Prog.Checklist().Rows {
		if r.Class == "fail" && strings.Count(r.Cells[3], "bad magic") != 1 {
			t.Errorf("the parse check repeats its error: %q", r.Cells[3])
		}
	}
}

func tableHas(t *DataTable, s string) bool {
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if strings.Contains(c, s) {
				return true
			}
		}
	}
	return false
}

// TestMemoryMapLabels checks that placeLabels keeps neighbouring names
// apart and inside the map.
func TestMemoryMapLabels(t *testing.T) {
	ls := []mapLabel{{x: 800, text: ".rodata @ 0x1000453c0"}, {x: 805, text: ".eh_frame @ 0x100046f20"}, {x: 806, text: ".data.rel.ro @ 0x100046fe0"}, {x: 172, text: ".text @ 0x1000000e8"}}
	lanes := placeLabels(ls, 940)
	if lanes != 3 {
		t.Errorf("%d lanes", lanes)
	}
	for i, a := range ls {
		if a.x+float64(len(a.text))*charW > 940 {
			t.Errorf("%q runs out of the map", a.text)
		}
		for _, b := range ls[i+1:] {
			if a.lane == b.lane && a.x < b.x+float64(len(b.text))*charW && b.x < a.x+float64(len(a.text))*charW {
				t.Errorf("%q and %q overlap", a.text, b.text)
			}
		}
	}
}

// TestTourAsks checks that the tour asks before it replaces the visitor's
// program, and brings it back when it ends.
func TestTourAsks(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.LoadFile("mine.so", realLikeELF(t, 3))
	a.Tour.Start()
	if !a.Tour.Asking || a.Tour.Active() || a.Prog.Name != "mine.so" || !strings.Contains(a.Tour.AskText(), "in place of mine.so") {
		t.Fatalf("the tour did not ask: %+v", a.Tour)
	}
	a.Tour.Cancel()
	if a.Tour.Shown() || a.Prog.Name != "mine.so" {
		t.Fatal("cancel")
	}
	a.Tour.Start()
	a.Tour.Confirm()
	if a.Prog.Example != "relative_calls" || !a.Tour.Active() {
		t.Fatal("confirm did not start the tour")
	}
	a.Tour.Next()
	a.Tour.Close()
	if a.Prog.Name != "mine.so" || a.Prog.Prog == nil || a.Tour.Shown() {
		t.Errorf("after the tour: %s", a.Prog.Name)
	}
	// Over an example it starts at once.
	a.OpenExample("noop")
	a.Tour.Start()
	if !a.Tour.Active() {
		t.Error("the tour asked over an example")
	}
	if got := string(codeSpans("a `call 3` <b> and `x")); got != "a <code>call 3</code> &lt;b&gt; and `x" {
		t.Errorf("codeSpans: %q", got)
	}
}

// TestEveryFixtureNavigation draws this file's parts of every view over
// every fixture, as TestEveryFixtureEveryView does for the rest.
func TestEveryFixtureNavigation(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/elf/hostile/*.so")
	more, _ := filepath.Glob("../../testdata/elfs/*.so")
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := NewApp(&fakeHost{})
		a.LoadFile(filepath.Base(f), data)
		func() {
			defer a.Recover("drawing")
			p := a.Prog
			_, _ = p.LoadStatus(), p.LoadErrorWhy()
			_, _ = a.Prog.RelocNone(), a.List.Errors()
			r := &a.Reloc
			_, _, _, _ = r.StepList(), r.StepWhere(), r.ErrorWhy(), r.NextKindText()
			for _, k := range RelocKinds {
				a.Reloc.Filter(k.Kind)
				_ = r.StepList()
				a.Reloc.Move(1)
				a.Reloc.End(true)
			}
			if p.Prog != nil {
				for _, v := range []string{"disasm", "debug", "jit"} {
					a.Show(v)
					_ = a.List.DisasmRows()
					a.List.MoveCursor(3)
				}
			}
		}()
		if a.Err != "" {
			t.Errorf("%s: %s", f, a.Err)
		}
	}
}

// TestVerifierErrorRef checks that the verifier's rejection is named
// beside the listing with its instruction: the verifier's bare pc.
func TestVerifierErrorRef(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = "entrypoint:\n  mov64 r0, 0\n  ja -1\n  exit\n"
	a.BuildSource()
	errs := a.List.Errors()
	if len(errs) != 1 || errs[0].What != "rbpf v0.2.8's verifier" || errs[0].PC != 1 || errs[0].Said != "insn #1" || errs[0].Text != "infinite loop (insn #1)" {
		t.Fatalf("errors %+v", errs)
	}
}
