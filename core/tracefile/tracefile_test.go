package tracefile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// sumInput adds the input's bytes in a loop, calls a function and a
// syscall: jumps, lddw (a two-slot pc step), calls and stores.
const sumInput = `
    mov64 r0, 0
    ldxb r2, [r1+0]
    mov64 r3, 1
loop:
    jgt r3, r2, done
    ldxb r4, [r1+1]
    add64 r0, r4
    add64 r3, 1
    stxdw [r10-8], r0
    ja loop
done:
    lddw r5, 0x123456789abcdef
    call twice
    exit
twice:
    add64 r0, r0
    exit
`

// record runs spec on the interpreter with tracing and records it.
func record(t testing.TB, name string, spec *runspec.Spec) (*File, vm.Result) {
	t.Helper()
	spec.Trace = true
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := b.Prepare()
	vr := vm.Interpreter{}.Run(b.Exe, p.Options)
	res := b.Finish("interp", p, vr)
	f, err := New(Run{Name: name, Spec: spec, Result: res, Trace: vr.Trace})
	if err != nil {
		t.Fatal(err)
	}
	return f, vr
}

func asmSpec(input ...byte) *runspec.Spec {
	return &runspec.Spec{Kind: runspec.KindAsm, Program: []byte(sumInput), Input: input}
}

// roundTrip encodes and decodes f.
func roundTrip(t testing.TB, f *File) *File {
	t.Helper()
	data, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// checkSteps requires f's steps to be log, read every way the API reads
// them.
func checkSteps(t *testing.T, f *File, log []vm.TraceEntry) {
	t.Helper()
	if f.Len() != len(log) {
		t.Fatalf("%d steps, want %d", f.Len(), len(log))
	}
	for i, want := range log {
		if e, ok := f.Entry(i); !ok || e != want {
			t.Fatalf("Entry(%d) = %v %v, want %v", i, e, ok, want)
		}
	}
	c := f.Cursor()
	for i := 0; c.Next(); i++ {
		if c.Step() != i || c.Entry() != log[i] {
			t.Fatalf("cursor step %d: %v, want %v", c.Step(), c.Entry(), log[i])
		}
	}
	for _, from := range []int{0, 1, checkpointEvery - 1, checkpointEvery, len(log) - 3} {
		got := f.Entries(from, from+5)
		lo, hi := max(from, 0), min(from+5, len(log))
		var want []vm.TraceEntry
		if lo < hi {
			want = log[lo:hi]
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Entries(%d, %d) = %v, want %v", from, from+5, got, want)
		}
	}
	if _, ok := f.Entry(len(log)); ok {
		t.Error("Entry past the end reported a step")
	}
	if _, ok := f.Entry(-1); ok {
		t.Error("Entry(-1) reported a step")
	}
}

func TestRoundTripAssembly(t *testing.T) {
	spec := asmSpec(200, 3)
	f, vr := record(t, "sum.s", spec)
	if vr.Err != nil || vr.Value != 2*3*200 {
		t.Fatalf("run: %v %d", vr.Err, vr.Value)
	}
	if len(vr.Trace.Log) < 2*checkpointEvery {
		t.Fatalf("only %d steps: the test wants several checkpoints", len(vr.Trace.Log))
	}
	g := roundTrip(t, f)
	checkSteps(t, g, vr.Trace.Log)
	if g.Program.Name != "sum.s" || g.Program.Kind != runspec.KindAsm || g.Program.Size != len(sumInput) {
		t.Errorf("program %+v", g.Program)
	}
	if err := g.CheckProgram([]byte(sumInput)); err != nil {
		t.Error(err)
	}
	if err := g.CheckProgram([]byte(sumInput + " ")); err == nil {
		t.Error("a different program passed CheckProgram")
	}
	if g.Result.Value == nil || *g.Result.Value != vr.Value || g.Result.InstructionCount != vr.InstructionCount {
		t.Errorf("result %+v", g.Result)
	}

	// The run request read back runs again to the same trace.
	again, err := g.RunSpec(nil)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := record(t, "sum.s", again)
	if d := Compare(g, h); !d.Identical || len(d.Spec) != 0 || !d.SameProgram {
		t.Errorf("rerun differs: %+v", d)
	}
}

func TestRoundTripBytesAndRuntime(t *testing.T) {
	prog := []byte{0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0} // mov64 r0, 7; exit
	f, vr := record(t, "p.bin", &runspec.Spec{Kind: runspec.KindBytes, Program: prog})
	g := roundTrip(t, f)
	checkSteps(t, g, vr.Trace.Log)
	if s, err := g.RunSpec(nil); err != nil || !bytes.Equal(s.Program, prog) {
		t.Errorf("RunSpec: %v", err)
	}

	// A runtime run: the instruction document travels in the header.
	ix, err := solana.Parse([]byte(`{"program_id": "Prog111111111111111111111111111111111111111", "data_hex": "0102"}`), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	src := "entrypoint:\n ldxdw r0, [r1+0]\n mov64 r0, 0\n exit"
	f, vr = record(t, "ix.s", &runspec.Spec{Kind: runspec.KindAsm, Source: src, Instruction: ix})
	g = roundTrip(t, f)
	checkSteps(t, g, vr.Trace.Log)
	if g.Spec.Instruction == nil || !bytes.Equal(g.Spec.Instruction.Data, []byte{1, 2}) {
		t.Fatalf("instruction %+v", g.Spec.Instruction)
	}
	if g.Result.Outcome == nil || g.Result.Outcome.ComputeUnitsConsumed != 3 {
		t.Errorf("outcome %+v", g.Result.Outcome)
	}
}

func TestTwoInputsDiverge(t *testing.T) {
	// Input byte 1 is added each time round: with 3 and 4 the runs part
	// at the first add64 r0, r4 — the state after it, at step 6.
	a, _ := record(t, "sum.s", asmSpec(5, 3))
	b, _ := record(t, "sum.s", asmSpec(5, 4))
	d := Compare(roundTrip(t, a), roundTrip(t, b))
	if d.Identical || d.Diverge == nil {
		t.Fatalf("no divergence: %+v", d)
	}
	v := d.Diverge
	// steps: 0 mov64, 1 ldxb, 2 mov64, 3 jgt, 4 ldxb r4 (r4 differs at 5).
	if v.Step != 5 || v.PCDiffers || v.PrevPC != 4 || len(v.Registers) != 1 || v.Registers[0] != (RegisterDiff{Reg: 4, A: 3, B: 4}) {
		t.Errorf("divergence %+v", v)
	}
	if !reflect.DeepEqual(d.Spec, []string{"input"}) || !d.SameProgram || d.Result == "" {
		t.Errorf("spec %v, same program %v, result %q", d.Spec, d.SameProgram, d.Result)
	}
	text := d.Summary(nil)
	for _, want := range []string{"first divergence at step 5", "r4  a 0x0000000000000003  b 0x0000000000000004", "after step 4 at pc 4 (insn #33)", "run requests differ in: [input]"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	// Two programs that part at a jump: the pc differs, the registers not.
	c, _ := record(t, "a.s", &runspec.Spec{Kind: runspec.KindAsm, Source: "mov64 r0, 1\nja +1\nmov64 r0, 2\nexit"})
	e, _ := record(t, "b.s", &runspec.Spec{Kind: runspec.KindAsm, Source: "mov64 r0, 1\nja +0\nmov64 r0, 2\nexit"})
	d = Compare(c, e)
	if v := d.Diverge; v == nil || !v.PCDiffers || v.PC != [2]uint64{3, 2} || v.Step != 2 || len(v.Registers) != 0 || d.SameProgram {
		t.Errorf("jump divergence %+v", d)
	}
}

func TestPrefix(t *testing.T) {
	spec := asmSpec(50, 1)
	full, _ := record(t, "sum.s", spec)
	budget := uint64(40)
	spec = asmSpec(50, 1)
	spec.Budget = &budget
	short, vr := record(t, "sum.s", spec)
	if vr.Err == nil {
		t.Fatal("the short run did not run out of budget")
	}
	d := Compare(short, full)
	if d.Diverge != nil || d.Prefix != "a" || d.Identical || d.Steps != [2]int{short.Len(), full.Len()} {
		t.Errorf("%+v", d)
	}
	if d2 := Compare(full, short); d2.Prefix != "b" {
		t.Errorf("reversed: %+v", d2)
	}
	if !strings.Contains(d.Summary(nil), "is a prefix of the other") {
		t.Error(d.Summary(nil))
	}
}

func TestTruncatedTraceKept(t *testing.T) {
	spec := asmSpec(100, 1)
	spec.Trace = true
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	b.MaxTraceEntries = 10
	p := b.Prepare()
	vr := vm.Interpreter{}.Run(b.Exe, p.Options)
	f, err := New(Run{Spec: spec, Result: b.Finish("interp", p, vr), Trace: vr.Trace})
	if err != nil {
		t.Fatal(err)
	}
	g := roundTrip(t, f)
	if g.Len() != 10 || !g.Truncated || g.Result.InstructionCount <= 10 {
		t.Errorf("steps %d truncated %v count %d", g.Len(), g.Truncated, g.Result.InstructionCount)
	}
}

// encodeBody writes a file around a hand-made decompressed body.
func encodeBody(body []byte) []byte {
	var b bytes.Buffer
	b.WriteString(Magic)
	z := gzip.NewWriter(&b)
	z.Write(body)
	z.Close()
	return b.Bytes()
}

func headerBody(t *testing.T, h Header, records []byte) []byte {
	t.Helper()
	j, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return append(append(binary.AppendUvarint(nil, uint64(len(j))), j...), records...)
}

func TestDecodeHostile(t *testing.T) {
	f, _ := record(t, "sum.s", asmSpec(3, 1))
	good, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	h := f.Header
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "not an rbpf trace file"},
		{"other magic", "PK\x03\x04xxxxxxxx", "not an rbpf trace file"},
		{"later version", "RBPFTRC\x02", "format version 2"},
		{"no gzip", Magic + "junk", "trace file: "},
		{"truncated", string(good[:len(good)-9]), "trace file: "},
		{"no header", string(encodeBody(nil)), "damaged header length"},
		{"header longer than body", string(encodeBody([]byte{0xff, 0xff, 0x03, '{'})), "damaged header length"},
		{"header not JSON", string(encodeBody(headerBody(t, h, nil)[:30])), "damaged header length"},
	}
	huge := h
	huge.Steps = 1 << 40
	tests = append(tests, struct{ name, data, want string }{"huge step count", string(encodeBody(headerBody(t, huge, nil))), "more than the"})
	many := h
	many.Steps = 1000
	tests = append(tests, struct{ name, data, want string }{"more steps than bytes", string(encodeBody(headerBody(t, many, []byte{0, 0}))), "1000 steps in 2 bytes"})
	short := h
	short.Steps = 2
	tests = append(tests, struct{ name, data, want string }{"bytes after the steps", string(encodeBody(headerBody(t, short, []byte{0, 0, 0}))), "1 bytes after the last of 2 steps"})
	tests = append(tests, struct{ name, data, want string }{"bad record", string(encodeBody(headerBody(t, short, []byte{0xff, 0xff, 0xff, 0x7f}))), "step 0: damaged step record"})
	tests = append(tests, struct{ name, data, want string }{"register varint cut", string(encodeBody(headerBody(t, short, []byte{2, 0x80}))), "damaged step record"})
	h.Steps = 0 // the header variants below carry no records
	other := h
	other.Program.SHA256 = strings.Repeat("00", 32)
	tests = append(tests, struct{ name, data, want string }{"program not the one hashed", string(encodeBody(headerBody(t, other, nil))), "the program it holds"})
	kind := h
	kind.Program.Kind = "wasm"
	tests = append(tests, struct{ name, data, want string }{"unknown kind", string(encodeBody(headerBody(t, kind, nil))), "unknown program kind"})
	format := h
	format.Format = "other"
	tests = append(tests, struct{ name, data, want string }{"other format", string(encodeBody(headerBody(t, format, nil))), "format \"other\""})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.data), DefaultLimits)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	// A bomb: a small file whose contents exceed the limit.
	bomb := encodeBody(make([]byte, 1<<20))
	if _, err := Decode(bomb, Limits{MaxBytes: 1 << 16, MaxSteps: 10}); err == nil || !strings.Contains(err.Error(), "more than 65536 bytes") {
		t.Errorf("bomb: %v", err)
	}
	// A bad instruction document in the header is core/solana's error.
	j, _ := json.Marshal(h)
	ixDoc := strings.Replace(string(j), `"spec":{`, `"spec":{"instruction":{"program_id":"x"},`, 1)
	body := append(binary.AppendUvarint(nil, uint64(len(ixDoc))), ixDoc...)
	if _, err := Decode(encodeBody(body), DefaultLimits); err == nil || !strings.Contains(err.Error(), "program_id") {
		t.Errorf("bad instruction: %v", err)
	}
	// The instruction's limits are the caller's: an account's data_len
	// allocates without bytes in the file.
	bigDoc := strings.Replace(string(j), `"spec":{`, `"spec":{"instruction":{"program_id":"Prog111111111111111111111111111111111111111","accounts":[{"pubkey":"Acct111111111111111111111111111111111111111","data_len":1000000}]},`, 1)
	big := encodeBody(append(binary.AppendUvarint(nil, uint64(len(bigDoc))), bigDoc...))
	small := DefaultLimits
	small.Instruction.MaxAccountData = 1 << 10
	if _, err := Decode(big, small); err == nil || !strings.Contains(err.Error(), "instruction: accounts[0].data_len") {
		t.Errorf("instruction over the limits: %v", err)
	}
	if g, err := Decode(big, DefaultLimits); err != nil || len(g.Spec.Instruction.Accounts[0].Data) != 1000000 {
		t.Errorf("instruction within the limits: %v", err)
	}
}

// TestRealProgram records SPL Token 3.1.0's InitializeMint (the case of
// testdata/realprograms) when SOLANA_ELF_DIR holds the binary, and checks
// the round trip and the size per step.
func TestRealProgram(t *testing.T) {
	dir := conformance.RealProgramDir()
	data, err := os.ReadFile(filepath.Join(dir, "spl_token-3.1.0.so"))
	if dir == "" || err != nil {
		t.Skip("set SOLANA_ELF_DIR to a folder holding spl_token-3.1.0.so")
	}
	cases, err := conformance.LoadRuntime(conformance.RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	var ix *solana.Instruction
	for _, c := range cases {
		if c.Name == "spl_token_initialize_mint" {
			ix, err = solana.Parse(c.Steps[0].Instruction, solana.DefaultLimits)
		}
	}
	if ix == nil || err != nil {
		t.Fatalf("instruction: %v", err)
	}
	f, vr := record(t, "spl_token-3.1.0.so", &runspec.Spec{Kind: runspec.KindELF, Program: data, Instruction: ix})
	enc, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(enc, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	checkSteps(t, g, vr.Trace.Log)
	// 2 834 units: 2 807 instructions and the log syscall's 27 bytes.
	if g.Result.Outcome == nil || g.Result.Outcome.ComputeUnitsConsumed != 2834 || g.Len() != 2807 || g.Truncated {
		t.Fatalf("%d steps, outcome %+v", g.Len(), g.Result.Outcome)
	}
	if _, err := g.RunSpec(nil); err == nil {
		t.Error("RunSpec of an ELF trace ran without the ELF file")
	}
	again, err := g.RunSpec(data)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := record(t, "spl_token-3.1.0.so", again)
	if d := Compare(g, h); !d.Identical {
		t.Errorf("rerun differs: %s", d.Summary(nil))
	}
	empty, err := New(Run{Name: "spl_token-3.1.0.so", Spec: again, Result: g.Result})
	if err != nil {
		t.Fatal(err)
	}
	head, err := empty.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d steps: %d bytes of records (%.2f/step), file %d bytes, of which %d without the steps (%.2f/step for the steps)",
		g.Len(), g.EncodedSize(), float64(g.EncodedSize())/float64(g.Len()), len(enc), len(head), float64(len(enc)-len(head))/float64(g.Len()))
}

// seedRuns are the runs FuzzDecode's seeds record.
func seedRuns() []*runspec.Spec {
	budget := uint64(30)
	ix, _ := solana.Parse([]byte(`{"program_id": "Prog111111111111111111111111111111111111111", "data_hex": "01"}`), solana.DefaultLimits)
	return []*runspec.Spec{
		asmSpec(3, 7),
		{Kind: runspec.KindAsm, Source: sumInput, Input: []byte{50, 1}, Budget: &budget},
		{Kind: runspec.KindBytes, Program: []byte{0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}},
		{Kind: runspec.KindAsm, Source: "entrypoint:\n ldxb r0, [r1+0]\n exit", Instruction: ix},
	}
}
