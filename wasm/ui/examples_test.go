package ui

import (
	"bytes"
	"strings"
	"testing"
)

// TestExamples builds, loads and runs every example and checks what the
// page would show: the relocation steps, r0 or the error.
func TestExamples(t *testing.T) {
	cases := []struct {
		id       string
		steps    int    // relocation steps
		rejected string // loader error, "" when it loads
		status   string // debugger status after running
	}{
		{"noop", 0, "", "exited: r0 = 0 (0x0), 2 instructions"},
		{"relative_calls", 2, "", "exited: r0 = 7 (0x7)"},
		{"syscalls", 5, "", "exited: r0 = 0 (0x0)"},
		{"deep_calls", 2, "", "exited: r0 = 120 (0x78)"},
		{"loop", 0, "", "exited: r0 = 44999850000"},
		{"byte_loop", 0, "", "exited: r0 = 97 (0x61), 800005 instructions"},
		{"unresolved", 1, "", "error: ELF error: Unresolved symbol (sol_missing_helper) at instruction #542 (ELF file offset 0x1008)"},
		{"rejected", 3, "ELF error: Relocation failed, unknown type 99", ""},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			a := NewApp(&fakeHost{})
			a.OpenExample(c.id)
			if a.Err != "" {
				t.Fatalf("Err = %q", a.Err)
			}
			p := a.Prog
			if c.rejected != "" {
				if p.Err == nil || p.Err.Error() != c.rejected {
					t.Fatalf("load error %v, want %q", p.Err, c.rejected)
				}
				if a.Reloc.Steps() != c.steps || a.Reloc.Pos != a.Reloc.Steps()-1 || a.Reloc.ErrorText() != c.rejected {
					t.Fatalf("replay not on the failing step: pos %d of %d, %q", a.Reloc.Pos, a.Reloc.Steps(), a.Reloc.ErrorText())
				}
				return
			}
			if p.Err != nil {
				t.Fatalf("load: %v", p.Err)
			}
			if got := a.Reloc.Steps(); got != c.steps {
				t.Errorf("%d relocation steps, want %d", got, c.steps)
			}
			a.Debug.Reset()
			a.Debug.Run()
			if !strings.HasPrefix(a.Debug.Status, c.status) {
				t.Errorf("status %q, want prefix %q", a.Debug.Status, c.status)
			}
		})
	}
}

// TestStepBackRestoresRegisters steps forward and back and checks the
// registers return to their earlier values.
func TestStepBackRestoresRegisters(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("relative_calls")
	a.Debug.Reset()
	var seen [][11]uint64
	for i := 0; i < 6; i++ {
		seen = append(seen, a.Debug.vm.Registers())
		a.Debug.Step()
	}
	for i := 5; i >= 0; i-- {
		a.Debug.Back()
		if got := a.Debug.vm.Registers(); got != seen[i] {
			t.Fatalf("after stepping back to %d: %v, want %v", i, got, seen[i])
		}
	}
}

// TestPermalinkRoundTrip encodes the state, opens it in a new page and
// checks what comes back.
func TestPermalinkRoundTrip(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.Source = "entrypoint:\n mov64 r0, 42\n add64 r0, 1\n exit\n"
	a.BuildSource()
	a.Debug.InputHex = "01 02"
	a.Debug.ToggleBreakpoint(2)
	a.Debug.Reset()
	a.Debug.Step()
	if h.frag == "" {
		t.Fatal("no fragment written")
	}
	b := NewApp(&fakeHost{})
	b.Start(h.frag)
	if b.Err != "" || b.Prog == nil || b.Source != a.Source {
		t.Fatalf("Err %q, source %q", b.Err, b.Source)
	}
	if !b.Debug.Breakpoints[2] || b.Debug.InputHex != "01 02" || b.Debug.vm == nil || b.Debug.vm.Executed() != 1 {
		t.Fatalf("restored %+v", b.Debug)
	}
	c := NewApp(&fakeHost{})
	c.Start("v1.garbage!!")
	if !strings.Contains(c.Err, "could not be opened") {
		t.Fatalf("bad link: Err %q", c.Err)
	}
}

// TestOpenCallFindsTheHashedKey clicks calls in the listing: a relative
// call opens the hash of its own index, a syscall the hash of its name.
func TestOpenCallFindsTheHashedKey(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("relative_calls")
	a.Hash.OpenCall(a.List.DisasmRows()[1])
	if a.View != "hash" || a.Hash.Mode != "pc" || a.Hash.Input != "1" || !strings.Contains(a.Hash.Lookup, "pc 5 (insn #34)") {
		t.Fatalf("relative call: %s %q %q", a.Hash.Mode, a.Hash.Input, a.Hash.Lookup)
	}
	a.OpenExample("syscalls")
	for _, l := range a.List.DisasmRows() {
		if l.Call {
			a.Hash.OpenCall(l)
			break
		}
	}
	if a.Hash.Mode != "name" || a.Hash.Input != "log" || !strings.Contains(a.Hash.Lookup, "syscall log") {
		t.Fatalf("syscall: %s %q %q", a.Hash.Mode, a.Hash.Input, a.Hash.Lookup)
	}
}

// TestTourVisitsEveryStop runs the tour's stops in order.
func TestTourVisitsEveryStop(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Tour.Start()
	for a.Tour.Active() {
		if a.Err != "" {
			t.Fatalf("stop %d: %s", a.Tour.Step, a.Err)
		}
		a.Tour.Next()
	}
	if a.Debug.vm == nil || a.Debug.vm.PC() != 5 {
		t.Fatalf("tour did not step into the call")
	}
}

// TestSyscallLogAndMemory runs the syscalls example and checks the log and
// the memory viewer show the .rodata strings.
func TestSyscallLogAndMemory(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("syscalls")
	a.Debug.Reset()
	a.Debug.Run()
	if log := a.Debug.LogText(); !strings.Contains(log, "Hello from rbpf in the browser!") || !strings.Contains(log, "Goodbye.") {
		t.Errorf("syscall log: %q", log)
	}
	if pos := a.Debug.Position(); !strings.HasPrefix(pos, "exited · ") {
		t.Errorf("position after the exit: %q", pos)
	}
	a.Debug.SetMemRegion("rodata")
	if dump := a.Debug.MemDump(); !strings.Contains(dump, "Hello from rbpf") {
		t.Errorf("rodata dump: %q", dump)
	}
}

// TestStarterSourceBuilds: the editor's initial program builds and runs.
func TestStarterSourceBuilds(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.BuildSource()
	if a.BuildErr != "" || a.Prog == nil || a.Prog.Err != nil {
		t.Fatalf("build: %q %v", a.BuildErr, a.Prog)
	}
	a.Debug.Run()
	if !strings.HasPrefix(a.Debug.Status, "exited: r0 = 36") || !strings.Contains(a.Debug.LogText(), "hello") {
		t.Fatalf("status %q log %q", a.Debug.Status, a.Debug.LogText())
	}
}

// TestVerifierErrorIsSpecific: the page says why the verifier refuses a
// program, runs it anyway by default as the CLI does (`rbpf run` without
// --verify), and with the verifier on refuses until "run anyway".
func TestVerifierErrorIsSpecific(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.Source = "entrypoint:\n add64 r0, 1\n ja entrypoint\n"
	a.BuildSource()
	if !a.Prog.VerifierRejects() || !strings.Contains(a.Prog.VerifierText(), "does not end with") {
		t.Fatalf("verdict %q", a.Prog.VerifierText())
	}
	a.Debug.Reset()
	if a.Debug.Err != "" || a.Debug.vm == nil {
		t.Fatalf("without --verify the run starts: Err = %q", a.Debug.Err)
	}
	a.Debug.SetVerify(true)
	a.Debug.Reset()
	if !strings.Contains(a.Debug.Err, "rbpf's verifier rejects this program: ") || strings.HasSuffix(a.Debug.Err, "VerifierError") || !a.Debug.Rejected {
		t.Fatalf("Err = %q, rejected %v", a.Debug.Err, a.Debug.Rejected)
	}
	if !strings.Contains(a.Debug.DeployText(), "accepts this program") { // the loader has no rule about the last exit
		t.Errorf("deploy text %q", a.Debug.DeployText())
	}
	a.Debug.RunAnyway()
	if a.Debug.Err != "" || a.Debug.vm == nil {
		t.Fatalf("run anyway: Err = %q", a.Debug.Err)
	}
}

// TestUnresolvedCallIsNamed: a call to an import no syscall provides says
// so, and clicking it hashes the name.
func TestUnresolvedCallIsNamed(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("unresolved")
	l := a.List.DisasmRows()[1]
	if l.Note != "unresolved sol_missing_helper" {
		t.Fatalf("note %q", l.Note)
	}
	a.Hash.OpenCall(l)
	if a.Hash.Input != "sol_missing_helper" || !strings.HasPrefix(a.Hash.Lookup, "unresolved") {
		t.Fatalf("hash panel %q %q", a.Hash.Input, a.Hash.Lookup)
	}
}

// TestDebuggerKeys drives the debugger from the keyboard: keys act only in
// the debugger view with a program loaded.
func TestDebuggerKeys(t *testing.T) {
	a := NewApp(&fakeHost{})
	if a.WantsKey("s") {
		t.Fatal("a key acts with no program loaded")
	}
	a.OpenExample("relative_calls")
	a.Show("load")
	if a.WantsKey("s") {
		t.Fatal("a key acts outside the debugger")
	}
	a.Show("debug")
	if a.WantsKey("x") || a.WantsKey("S") {
		t.Fatal("an unbound key acts")
	}
	a.Key("s")
	a.Key("s")
	if a.Debug.vm == nil || a.Debug.vm.Executed() != 2 {
		t.Fatalf("two presses of s: %v", a.Debug.vm)
	}
	a.Key("b")
	if a.Debug.vm.Executed() != 1 {
		t.Fatalf("b after two steps: %d executed", a.Debug.vm.Executed())
	}
	a.Key("r")
	if !a.Debug.vm.Done() {
		t.Fatal("r did not run to the end")
	}
	if got := keysHint(); got != "Keys: s step · b back · p previous watch hit · o step over · c run to cursor · r run · Esc stop · j/k move the cursor" {
		t.Errorf("hint %q", got)
	}
}

// TestDownloadELF offers the built example's bytes under its name.
func TestDownloadELF(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.DownloadELF() // nothing loaded: nothing offered
	a.OpenExample("relative_calls")
	a.DownloadELF()
	if len(h.downloads) != 1 || !strings.HasSuffix(h.downloads[0].name, ".so") || !bytes.Equal(h.downloads[0].data, a.Prog.ELF) || len(a.Prog.ELF) == 0 {
		t.Fatalf("downloads %v", h.downloads)
	}
}
