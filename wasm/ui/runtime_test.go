package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// runtimeSource logs a string, reads the first account's data length,
// writes the first byte of its data and returns r0 = 0; with 42 in the
// first byte of the instruction data it fails with Custom(42).
const runtimeSource = `.rodata msg "hello from the runtime"
entrypoint:
    mov64 r6, r1
    lddw r1, msg
    mov64 r2, 22
    call sol_log_
    ldxdw r2, [r6+0x58]
    stb [r6+0x60], 0x2a
    mov64 r0, 0
    exit
`

func buildFile(t *testing.T, src string) []byte {
	t.Helper()
	spec, err := elfbuild.FromAssembly(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	return f.Bytes
}

// runtimeApp loads the runtime test program as a dropped file, with the
// program-owned data account preset.
func runtimeApp(t *testing.T) (*App, *fakeHost) {
	t.Helper()
	h := &fakeHost{}
	a := NewApp(h)
	a.LoadFile("runtime.so", buildFile(t, runtimeSource))
	if a.Prog == nil || a.Prog.Err != nil || a.Debug.Mode != modeRuntime {
		t.Fatalf("load: %v, mode %q", a.Prog, a.Debug.Mode)
	}
	a.Ix.ApplyPreset("data")
	return a, h
}

// TestRuntimeRunMatchesCLI runs an instruction from the panel and checks
// the outcome against the run the CLI makes of the same document.
func TestRuntimeRunMatchesCLI(t *testing.T) {
	a, _ := runtimeApp(t)
	a.Debug.RunInstruction()
	if a.Debug.Err != "" || a.Debug.result == nil {
		t.Fatalf("Err %q, status %q", a.Debug.Err, a.Debug.Status)
	}
	ix, err := solana.Parse(a.Ix.Doc(true), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s := runspec.Spec{Kind: runspec.KindELF, Program: a.Prog.ELF, Instruction: ix}
	want := s.Run(vm.Interpreter{})
	got := *a.Debug.result
	if d := runspec.Difference(got, want); d != "" {
		t.Fatalf("page and CLI differ: %s\npage %+v\nCLI  %+v", d, got.Outcome, want.Outcome)
	}
	v := a.Debug.Results()
	if v.Verdict != "Success" || !strings.Contains(strings.Join(v.Logs, "\n"), "Program log: hello from the runtime") {
		t.Errorf("verdict %q, logs %q", v.Verdict, v.Logs)
	}
	if !strings.Contains(v.Units, " of 200\u202f000 compute units") {
		t.Errorf("units %q", v.Units)
	}
	if len(v.Accounts) != 1 || !v.Accounts[0].Changed || v.Accounts[0].Summary != "1 byte of data changed" {
		t.Fatalf("accounts %+v", v.Accounts)
	}
	if rows := string(v.Accounts[0].Rows); !strings.Contains(rows, `<span class="b chg" title="byte 0, was 00">2a</span>`) {
		t.Errorf("changed byte not marked: %s", rows)
	}
	if !strings.HasPrefix(a.Debug.Status, "exited: r0 = 0 (0x0)") || !strings.Contains(a.Debug.Status, "success") {
		t.Errorf("status %q", a.Debug.Status)
	}
}

// TestRuntimeProgramError: an account the program does not own cannot
// have its data changed, and the page names the error.
func TestRuntimeProgramError(t *testing.T) {
	a, _ := runtimeApp(t)
	a.Ix.SetAcct(0, "owner", "11111111111111111111111111111111")
	a.Debug.RunInstruction()
	v := a.Debug.Results()
	if v.Verdict != "Failed: ExternalAccountDataModified" || v.Class != "bad" || v.Accounts[0].Changed {
		t.Fatalf("%+v", v)
	}
}

// TestInputFieldNotes steps to the load of the data length and the store
// into the data and checks the listing's notes and the memory viewer.
func TestInputFieldNotes(t *testing.T) {
	a, _ := runtimeApp(t)
	a.Debug.FromEntrypoint()
	for a.Debug.vm.PC() != 5 { // ldxdw r2, [r6+0x58] (the lddw takes slots 1 and 2)
		a.Debug.Step()
	}
	if n := a.Debug.AccessNote(5); n != "; accounts[0].data_len" {
		t.Errorf("note before the load %q", n)
	}
	a.Debug.Step()
	if n := a.Debug.AccessNote(5); n != "; read accounts[0].data_len" {
		t.Errorf("note after the load %q", n)
	}
	if n := a.Debug.AccessNote(6); n != "; accounts[0].data[0..1]" {
		t.Errorf("note before the store %q", n)
	}
	a.Debug.Step()
	if got := a.Debug.LastAccess(); !strings.Contains(got, "stored 1 bytes at 0x400000060: accounts[0].data[0..1]") {
		t.Errorf("last access %q", got)
	}
	var found bool
	for _, r := range a.Debug.InputRows() {
		for _, c := range r.Cells {
			if strings.Contains(c.Title, "accounts[0].data byte 0 of 64") {
				found = strings.Contains(c.Class, "f-data") && strings.Contains(c.Class, "chg") && strings.Contains(c.Class, "acc")
			}
		}
	}
	if !found {
		t.Error("the changed data byte is not marked in the memory viewer")
	}
	rows := a.List.DisasmRows()
	if rows[5].Note != "; wrote accounts[0].data[0..1]" {
		t.Errorf("listing note %q", rows[5].Note)
	}
}

// TestBareModeIsTheCLI: a bare run is `rbpf run --input` with rbpf's
// helpers bound by name.
func TestBareModeIsTheCLI(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.OpenExample("syscalls")
	if a.Debug.Mode != modeBare {
		t.Fatalf("example in mode %q", a.Debug.Mode)
	}
	a.Debug.RunInstruction()
	r := a.Debug.result
	if r == nil || r.Outcome != nil || r.Error != nil || !strings.Contains(strings.Join(r.Log, "\n"), "Hello from rbpf") {
		t.Fatalf("%+v", r)
	}
	a.Debug.SetMode(modeRuntime)
	a.Debug.RunInstruction()
	if v := a.Debug.Results(); v.Verdict != "Failed: ProgramFailedToComplete" || !strings.Contains(v.Detail, "Unresolved symbol (log)") {
		t.Errorf("the syscalls example in the runtime: %+v", v)
	}
}

// TestFormDocumentRoundTrip: what the form writes Parse reads, and
// importing it gives the same form.
func TestFormDocumentRoundTrip(t *testing.T) {
	a, _ := runtimeApp(t)
	a.Ix.ApplyPreset("signer")
	a.Ix.AddAccount()
	a.Ix.SetAcct(1, "data_enc", "hex")
	a.Ix.SetAcct(1, "data", "01 02 03")
	a.Ix.SetField("data_enc", "text")
	a.Ix.SetField("data", "hi")
	a.Ix.SetField("sysvars.clock.slot", "77")
	a.Ix.SetField("features.memory_ops_syscalls", "true")
	a.Ix.SetField("compute_units", "5000")
	doc := a.Ix.Doc(true)
	ix, err := solana.Parse(doc, solana.DefaultLimits)
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	if len(ix.Accounts) != 2 || !ix.Accounts[0].IsSigner || !bytes.Equal(ix.Accounts[1].Data, []byte{1, 2, 3}) ||
		string(ix.Data) != "hi" || ix.Sysvars.Clock == nil || ix.Sysvars.Clock.Slot != 77 || !ix.Features.MemoryOpsSyscalls || ix.ComputeUnits != 5000 {
		t.Fatalf("parsed %+v from\n%s", ix, doc)
	}
	b := NewApp(&fakeHost{})
	b.Ix.ImportInstruction(doc)
	if got := b.Ix.Doc(true); !bytes.Equal(got, doc) {
		t.Errorf("import changed the document:\n%s\nwant\n%s", got, doc)
	}
	a.Ix.SetField("data_enc", "hex")
	if a.Ix.Data != "6869" {
		t.Errorf("text to hex: %q", a.Ix.Data)
	}
	a.Ix.SetField("data_enc", "base58")
	if a.Ix.Data != "8wr" {
		t.Errorf("to base58: %q", a.Ix.Data)
	}
}

// TestFormErrorNamesField: a bad pubkey stops the run and marks its input.
func TestFormErrorNamesField(t *testing.T) {
	a, _ := runtimeApp(t)
	a.Ix.SetAcct(0, "pubkey", "not-a-key")
	a.Debug.RunInstruction()
	if !strings.Contains(a.Debug.Err, "accounts[0].pubkey") || a.Ix.ErrPath != "accounts[0].pubkey" {
		t.Fatalf("Err %q, path %q", a.Debug.Err, a.Ix.ErrPath)
	}
	if c := a.Ix.FieldClass("accounts[0].pubkey", "key"); c != "key bad" {
		t.Errorf("class %q", c)
	}
}

// TestCLIExampleDocument: the CLI's examples import unchanged in meaning.
func TestCLIExampleDocument(t *testing.T) {
	doc := []byte(`{"program_id": "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",
 "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_signer": false, "lamports": 1000000},
   {"pubkey": "SysvarRent111111111111111111111111111111111"}],
 "data_utf8": "hello from rbpfgo"}`)
	a := NewApp(&fakeHost{})
	a.Ix.ImportInstruction(doc)
	want, err := solana.Parse(doc, solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Ix.Instruction()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if !bytes.Equal(w, g) {
		t.Errorf("imported\n%s\nwant\n%s", g, w)
	}
}

// TestLinkCarriesInstruction: the link restores the instruction, the
// mode and the step; a v1 link still opens.
func TestLinkCarriesInstruction(t *testing.T) {
	a, h := runtimeApp(t)
	a.Ix.SetField("data", "0a0b")
	a.Debug.FromEntrypoint()
	a.Debug.Step()
	a.Debug.Step()
	b := NewApp(&fakeHost{})
	b.Start(h.frag)
	if b.Err != "" || b.Prog == nil || b.Debug.Mode != modeRuntime || b.Ix.Data != "0a0b" || len(b.Ix.Accounts) != 1 {
		t.Fatalf("Err %q, mode %q, ix %+v", b.Err, b.Debug.Mode, b.Ix)
	}
	if b.Debug.vm == nil || b.Debug.vm.Executed() != 2 || b.View != "debug" {
		t.Fatalf("restored at %v, view %q", b.Debug.vm, b.View)
	}
	if !strings.HasPrefix(h.frag, "v2.") || strings.Count(h.frag, ".") != 2 {
		t.Errorf("a small file travels beside the state: %.40s", h.frag)
	}
	old, err := encodeV1(linkState{Name: "x.so", ELF: a.Prog.ELF, Input: "01"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewApp(&fakeHost{})
	c.Start(old)
	if c.Err != "" || c.Prog == nil || c.Prog.SHA() != a.Prog.SHA() || c.Debug.InputHex != "01" {
		t.Fatalf("v1 link: %q %v", c.Err, c.Prog)
	}
}

// encodeV1 writes a link as the page wrote them before v2.
func encodeV1(s linkState) (string, error) {
	js, err := json.Marshal(s)
	return linkPrefix + deflate64(js), err
}

// historyFake records pushes apart from replacements.
type historyFake struct {
	fakeHost
	pushed []string
}

func (h *historyFake) PushFragment(f string) { h.pushed = append(h.pushed, f); h.frag = f }

// TestLargeFileLink: a file above MaxLinkedELF is named, not carried; the
// link asks for it, shows no other program meanwhile, and continues when
// the file is dropped. Back and forward find it again.
func TestLargeFileLink(t *testing.T) {
	big := buildFile(t, bigProgram(7000))
	if len(big) <= MaxLinkedELF {
		t.Fatalf("the big program is only %d bytes", len(big))
	}
	h := &historyFake{}
	a := NewApp(h)
	a.LoadFile("big.so", big)
	a.Debug.ToggleBreakpoint(3)
	a.Show("debug")
	a.Debug.Step()
	link := h.frag
	if strings.Count(link, ".") != 1 {
		t.Fatalf("the link carries the big file: %d bytes", len(link))
	}
	s, err := decodeLink(link)
	if err != nil || s.SHA != shaHex(big) || s.Size != len(big) || s.Name != "big.so" {
		t.Fatalf("link %+v, %v", s, err)
	}

	b := NewApp(&fakeHost{})
	b.LoadFile("other.so", buildFile(t, runtimeSource))
	b.Navigate(link)
	if b.Prog != nil || b.Pending == nil || !strings.Contains(b.Pending.Text(), "big.so") || !strings.Contains(b.Pending.Text(), s.SHA) {
		t.Fatalf("the link shows %v, pending %+v", b.Prog, b.Pending)
	}
	b.LoadFile("renamed.so", buildFile(t, runtimeSource))
	if b.Pending != nil || !strings.Contains(b.Notice, "not the file the link names") || b.Debug.Breakpoints[3] {
		t.Fatalf("a different file: notice %q", b.Notice)
	}
	b.Navigate(link)
	b.LoadFile("big.so", big)
	if b.Prog == nil || b.Pending != nil || !b.Debug.Breakpoints[3] || b.Debug.vm == nil || b.Debug.vm.Executed() != 1 || b.View != "debug" {
		t.Fatalf("after the drop: %v pending %v bps %v", b.Prog, b.Pending, b.Debug.Breakpoints)
	}

	// back to an example and forward again: the big file is remembered
	a.OpenExample("noop")
	if len(h.pushed) == 0 {
		t.Fatal("a new program made no history entry")
	}
	a.Navigate(link)
	if a.Prog == nil || a.Prog.SHA() != shaHex(big) || a.Pending != nil || a.Debug.vm.Executed() != 1 {
		t.Fatalf("back to the big file: %v", a.Prog)
	}
}

// TestRealProgram runs SPL Token's InitializeMint when the real program is
// at hand (RBPF_REALPROGS, never committed).
func TestRealProgram(t *testing.T) {
	dir := os.Getenv("RBPF_REALPROGS")
	if dir == "" {
		t.Skip("RBPF_REALPROGS not set")
	}
	elf, err := os.ReadFile(dir + "/spl_token-3.1.0.so")
	if err != nil {
		t.Skip(err)
	}
	a := NewApp(&fakeHost{})
	a.LoadFile("spl_token-3.1.0.so", elf)
	a.Ix.ImportInstruction([]byte(`{"program_id": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
 "accounts": [{"pubkey": "So11111111111111111111111111111111111111112", "is_writable": true, "lamports": 1461600,
   "owner": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "data_len": 82},
  {"pubkey": "SysvarRent111111111111111111111111111111111"}],
 "data_hex": "0009abababababababababababababababababababababababababababababababab00"}`))
	a.Debug.RunInstruction()
	v := a.Debug.Results()
	if v.Verdict != "Success" || !strings.HasPrefix(v.Units, "2834 of") || v.Accounts[0].Summary != "35 bytes of data changed" {
		t.Fatalf("%+v", v)
	}
}

// TestLoaderVerifierDecides: in a runtime run the loader's verifier
// refuses a program as v1.6.9 did (InvalidAccountData, its error in the
// log), as `rbpf run --instruction` does; "run anyway" runs it, also
// after a step back.
func TestLoaderVerifierDecides(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.LoadFile("divzero.so", buildFile(t, "entrypoint:\n  mov64 r0, 0\n  ja +1\n  div64 r0, 0\n  exit\n"))
	a.Debug.RunInstruction()
	v := a.Debug.Results()
	if v.Verdict != "Failed: InvalidAccountData" || len(v.Logs) != 1 || !strings.Contains(v.Logs[0], "division by 0 (insn #31)") || !a.Debug.Rejected {
		t.Fatalf("%+v", v)
	}
	if !strings.Contains(a.Debug.DeployText(), "rejects this program (division by 0 (insn #31))") {
		t.Errorf("deploy text %q", a.Debug.DeployText())
	}
	a.Debug.RunAnyway()
	a.Debug.RunInstruction()
	if v := a.Debug.Results(); v.Verdict != "Success" || !strings.Contains(a.Debug.RunCommand(), "--run-anyway") {
		t.Fatalf("run anyway: %+v", v)
	}
	a.Debug.Reset()
	a.Debug.Step()
	a.Debug.Back()
	if a.Debug.vm == nil || a.Debug.Err != "" {
		t.Fatalf("step back after run anyway: %q", a.Debug.Err)
	}
	a.Ix.SetField("data", "01")
	a.Debug.RunInstruction()
	if v := a.Debug.Results(); v.Verdict != "Failed: InvalidAccountData" {
		t.Fatalf("a new instruction is verified again: %+v", v)
	}
}

// TestSysvarDefaults: the form's default sysvar values are core/solana's.
func TestSysvarDefaults(t *testing.T) {
	doc := []byte(`{"program_id": "11111111111111111111111111111111", "accounts": []}`)
	a := NewApp(&fakeHost{})
	a.Ix.ImportInstruction(doc)
	for _, n := range []string{"clock", "rent", "epoch_schedule", "fees"} {
		a.Ix.SetField("sysvars."+n+".set", "true")
	}
	ix, err := a.Ix.Instruction()
	if err != nil {
		t.Fatal(err)
	}
	s := ix.Sysvars
	if *s.Rent != solana.DefaultRent || *s.EpochSchedule != solana.DefaultEpochSchedule || *s.Clock != (solana.Clock{}) || *s.Fees != (solana.Fees{}) {
		t.Errorf("defaults %+v %+v %+v %+v", *s.Rent, *s.EpochSchedule, *s.Clock, *s.Fees)
	}
}

// TestCarryAccounts runs a counter twice, the second run on the accounts
// the first left (the "next instruction" button): the data byte counts 1
// then 2, the form holds the carried state, and an account the run did
// not change keeps its form.
func TestCarryAccounts(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	a.LoadFile("counter.so", buildFile(t, `entrypoint:
    ldxb r2, [r1+0x60]
    add64 r2, 1
    stxb [r1+0x60], r2
    mov64 r0, 0
    exit
`))
	a.Ix.ApplyPreset("data")
	a.Ix.AddAccount()
	sizeBefore := a.Ix.Accounts[1]
	a.Debug.RunInstruction()
	if v := a.Debug.Results(); v.Verdict != "Success" || !v.Carry {
		t.Fatalf("first run: %+v", v)
	}
	a.Act("do:carry")
	if got := a.Ix.Accounts[0]; got.DataEnc != "hex" || !strings.HasPrefix(got.Data, "01000000") {
		t.Fatalf("carried account: %s %q", got.DataEnc, got.Data)
	}
	if got := a.Ix.Accounts[1]; got.DataEnc != sizeBefore.DataEnc || got.Data != sizeBefore.Data || got.Lamports != sizeBefore.Lamports {
		t.Errorf("an unchanged account was rewritten: %+v", a.Ix.Accounts[1])
	}
	if !strings.Contains(a.Notice, "as run 1 left them") {
		t.Errorf("notice %q", a.Notice)
	}
	a.Debug.RunInstruction()
	v := a.Debug.Results()
	if v.Verdict != "Success" || !strings.Contains(string(v.Accounts[0].Rows), `title="byte 0, was 01">02</span>`) {
		t.Fatalf("second run: %s %s", v.Verdict, v.Accounts[0].Rows)
	}
	a.Ix.SetAcct(0, "owner", "11111111111111111111111111111111")
	if a.Debug.Results().Carry {
		t.Error("an edited form still offers to carry the old run's accounts")
	}
	a.Act("do:carry")
	if a.Ix.Accounts[0].Owner != "11111111111111111111111111111111" || a.Err != "" {
		t.Errorf("carrying after an edit: owner %s, err %q", a.Ix.Accounts[0].Owner, a.Err)
	}
}
