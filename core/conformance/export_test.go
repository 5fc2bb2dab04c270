package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance/export"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// logInput logs the input's first three bytes (the default log binding)
// and returns the sum of bytes 0 and 1 divided by byte 2.
const logInput = `
    mov64 r6, r1
    mov64 r2, 3
    call log
    ldxb r0, [r6+0]
    ldxb r3, [r6+1]
    add64 r0, r3
    ldxb r4, [r6+2]
    div64 r0, r4
    exit
`

// exportAndLoad exports the run of spec into a folder and loads it back
// with the suite's own loader, failing the test unless the case passes.
func exportAndLoad(t *testing.T, x export.Run) string {
	t.Helper()
	x.Result = x.Spec.Run(vm.Interpreter{})
	text, suite, err := export.Case(x)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, x.Name+".txtar"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	if suite == export.SuiteVM {
		// The ELF section's path is relative to the repository root:
		// load from a folder inside the repository.
		if x.Spec.Kind == runspec.KindELF {
			dir = t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, x.Name+".txtar"), text, 0o644); err != nil {
				t.Fatal(err)
			}
			cases, err := Parse(filepath.Join(dir, x.Name+".txtar"), text)
			if err != nil {
				t.Fatal(err)
			}
			cases.ELFFile = filepath.Join(repoRoot("."), filepath.FromSlash(cases.ELFPath))
			checkVMCase(t, &cases, text)
			return string(text)
		}
		cases, err := Load(dir)
		if err != nil || len(cases) != 1 {
			t.Fatalf("load: %v (%d cases)\n%s", err, len(cases), text)
		}
		checkVMCase(t, &cases[0], text)
		return string(text)
	}
	cases, err := LoadRuntime(dir)
	if err != nil || len(cases) != 1 {
		t.Fatalf("load: %v (%d cases)\n%s", err, len(cases), text)
	}
	rs, err := cases[0].Run(vm.Interpreter{})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, text)
	}
	if d := cases[0].Mismatches(rs); len(d) > 0 {
		t.Fatalf("exported case fails: %v\n%s", d, text)
	}
	return string(text)
}

func checkVMCase(t *testing.T, c *Case, text []byte) {
	t.Helper()
	o, err := Execute(vm.Interpreter{}, c)
	if err != nil {
		t.Fatalf("execute: %v\n%s", err, text)
	}
	if d := c.Mismatches(o); len(d) > 0 {
		t.Fatalf("exported case fails: %v\n%s", d, text)
	}
}

func TestExportVMRoundTrip(t *testing.T) {
	budget := uint64(1000)
	tests := []struct {
		name string
		spec *runspec.Spec
		want []string // lines the case must hold
	}{
		{"sum", &runspec.Spec{Kind: runspec.KindAsm, Program: []byte(logInput), Input: []byte("abc")},
			[]string{"syscall: sym:log log\n", "syscall: 5 bpf_time_getns\n", "expect.value: 0x1\n", "expect.count: 9\n", "-- input --\n61 62 63\n", "-- log --\n\"log: abc\"\n"}},
		{"divide_by_zero", &runspec.Spec{Kind: runspec.KindAsm, Program: []byte(logInput), Input: []byte("ab\x00"), Trace: true, Budget: &budget},
			[]string{"tracing: on\n", "budget: 1000\n", "expect.error: divide by zero at instruction 36\n", "expect.count: 8\n"}},
		{"out_of_budget", &runspec.Spec{Kind: runspec.KindAsm, Source: "mov64 r0, 0\nadd64 r0, 1\nja -2\nexit", Budget: &budget, NoDefaultSyscalls: true},
			[]string{"expect.error: exceeded maximum number of instructions allowed (1000) at instruction #31\n", "expect.count: 1000\n"}},
		{"bytes_heap_no_meter", &runspec.Spec{Kind: runspec.KindBytes, Heap: 64, NoMeter: true, Verify: true, MaxCallDepth: 5, StackFrameSize: 512,
			Syscalls: []runspec.Binding{{Key: "7", Name: "bpf_sqrti"}},
			Program:  []byte{0x18, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x72, 1, 0, 0, 9, 0, 0, 0, 0x71, 0x10, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}},
			[]string{"heap: 64\n", "meter: off\n", "verifier: check\n", "max_call_depth: 5\n", "stack_frame_size: 512\n", "syscall: 7 bpf_sqrti\n", "expect.value: 0x9\n", "-- bytes --\n18 01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := exportAndLoad(t, export.Run{Name: tc.name, Spec: tc.spec, Comment: []string{"exported by a test"}})
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("case lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestExportVMELF(t *testing.T) {
	root := repoRoot(".")
	data, err := os.ReadFile(filepath.Join(root, "testdata/elfs/relative_call.so"))
	if err != nil {
		t.Fatal(err)
	}
	text := exportAndLoad(t, export.Run{Name: "relative_call_exported", ProgramName: "testdata/elfs/relative_call.so",
		Spec: &runspec.Spec{Kind: runspec.KindELF, Program: data, Input: []byte{1}}})
	if !strings.Contains(text, "-- elf --\ntestdata/elfs/relative_call.so\n") || !strings.Contains(text, "expect.value: 0x2\n") {
		t.Errorf("case:\n%s", text)
	}
}

func TestExportRuntimeRoundTrip(t *testing.T) {
	ix := func(doc string) *solana.Instruction {
		t.Helper()
		i, err := solana.Parse([]byte(doc), solana.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	doc := `{"program_id": "Prog111111111111111111111111111111111111111",
 "accounts": [{"pubkey": "Acct111111111111111111111111111111111111111", "is_writable": true, "owner": "Prog111111111111111111111111111111111111111", "data_len": 4}],
 "data_hex": "2a"}`
	// Writes the instruction data's byte (at 10360 in the aligned layout)
	// into the account's data (at 96), then fails with Custom(7) when the
	// byte is 7.
	src := `entrypoint:
    ldxb r3, [r1+10360]
    stxb [r1+96], r3
    mov64 r0, 0
    jne r3, 7, +1
    mov64 r0, r3
    exit`
	ok := exportAndLoad(t, export.Run{Name: "write_data", Spec: &runspec.Spec{Kind: runspec.KindAsm, Source: src, Instruction: ix(doc)}, Instruction: []byte(doc)})
	if !strings.Contains(ok, "-- program.s --\nentrypoint:") || !strings.Contains(ok, `"data_hex": "2a000000"`) || !strings.Contains(ok, `"program_error": null`) {
		t.Errorf("case:\n%s", ok)
	}
	failing := strings.Replace(doc, `"2a"`, `"07"`, 1)
	bad := exportAndLoad(t, export.Run{Name: "custom_error", Spec: &runspec.Spec{Kind: runspec.KindAsm, Source: src, Instruction: ix(failing)}})
	if !strings.Contains(bad, `"program_error": "Custom(7)"`) || !strings.Contains(bad, `"changed": []`) {
		t.Errorf("case:\n%s", bad)
	}
	abort := exportAndLoad(t, export.Run{Name: "abort", Spec: &runspec.Spec{Kind: runspec.KindAsm, Source: "entrypoint:\n call abort\n exit", Instruction: ix(doc)}})
	if !strings.Contains(abort, `"error": "BPF program panicked"`) || !strings.Contains(abort, `"program_error": "ProgramFailedToComplete"`) {
		t.Errorf("case:\n%s", abort)
	}
}

// TestExportRealProgram exports SPL Token 3.1.0's InitializeMint, and the
// same instruction with an unknown instruction tag (a failing run), as
// testdata/realprograms cases when SOLANA_ELF_DIR holds the binary.
func TestExportRealProgram(t *testing.T) {
	dir := RealProgramDir()
	data, err := os.ReadFile(filepath.Join(dir, "spl_token-3.1.0.so"))
	if dir == "" || err != nil {
		t.Skip("set SOLANA_ELF_DIR to a folder holding spl_token-3.1.0.so")
	}
	cases, err := LoadRuntime(RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, c := range cases {
		if c.Name == "spl_token_initialize_mint" {
			doc = c.Steps[0].Instruction
		}
	}
	for _, tc := range []struct{ name, data, want string }{
		{"init_mint", "", `"compute_units_consumed": 2834`},
		{"unknown_tag", `"data_hex": "ff"`, `"program_error": "Custom(12)"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := string(doc)
			if tc.data != "" {
				d = strings.Replace(d, `"data_hex": "0009abababababababababababababababababababababababababababababababab00"`, tc.data, 1)
			}
			ix, err := solana.Parse([]byte(d), solana.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			text := exportAndLoad(t, export.Run{Name: tc.name, ProgramName: filepath.Join(dir, "spl_token-3.1.0.so"), Instruction: []byte(d),
				Spec: &runspec.Spec{Kind: runspec.KindELF, Program: data, Instruction: ix}})
			if !strings.Contains(text, "# elf: spl_token-3.1.0.so\n# sha256: a08296bee9223569c0c4be4f94eb6d26ddda00ffe33063eab3648b1926cc0eca\n") || !strings.Contains(text, tc.want) {
				t.Errorf("case:\n%s", text)
			}
			// CheckExport runs it with the bytes given, as the CLI does.
			x := export.Run{Name: tc.name, ProgramName: "spl_token-3.1.0.so", Spec: &runspec.Spec{Kind: runspec.KindELF, Program: data, Instruction: ix}}
			x.Result = x.Spec.Run(vm.Interpreter{})
			text2, suite, err := export.Case(x)
			if err != nil || suite != export.SuiteRealPrograms {
				t.Fatal(suite, err)
			}
			if d, err := CheckExport(text2, suite, data, vm.Interpreter{}); err != nil || len(d) > 0 {
				t.Errorf("CheckExport: %v %v", d, err)
			}
			if _, err := CheckExport(text2, suite, append([]byte{0}, data...), vm.Interpreter{}); err == nil || !strings.Contains(err.Error(), "sha256") {
				t.Errorf("another program passed: %v", err)
			}
		})
	}
}

func TestCheckExportFindsMismatch(t *testing.T) {
	x := export.Run{Name: "sum", Spec: &runspec.Spec{Kind: runspec.KindAsm, Program: []byte(logInput), Input: []byte("abc")}}
	x.Result = x.Spec.Run(vm.Interpreter{})
	text, suite, err := export.Case(x)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := CheckExport(text, suite, nil, vm.Interpreter{}); err != nil || len(d) != 0 {
		t.Fatalf("%v %v", d, err)
	}
	wrong := strings.Replace(string(text), "expect.count: 9", "expect.count: 10", 1)
	if d, err := CheckExport([]byte(wrong), suite, nil, vm.Interpreter{}); err != nil || len(d) != 1 || !strings.Contains(d[0], "instruction count 9, want 10") {
		t.Errorf("%v %v", d, err)
	}
}
