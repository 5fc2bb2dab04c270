package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/inspect"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// recording is the interpreter run under a Recorder: an engine, so that
// the suites check that recording changes nothing in a run (the Recorder
// steps it in pieces), and that every profile adds up to its run.
type recording struct{ failures *[]string }

func (recording) Name() string { return "recorded interpreter" }

func (e recording) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	m, err := vm.New(exe, opts)
	if err != nil {
		return vm.Result{Err: err}
	}
	rec, err := NewRecorder(m, nil)
	if err != nil {
		*e.failures = append(*e.failures, err.Error())
		return m.Run()
	}
	res := rec.Run()
	if err := consistent(rec.Profile(), res); err != nil {
		*e.failures = append(*e.failures, err.Error())
	}
	return res
}

func checkRecording(t *testing.T, failures []string) {
	t.Helper()
	for _, f := range failures {
		t.Error(f)
	}
}

// TestSuites runs rbpf's conformance suites and the runtime suite under a
// Recorder: the expectations hold, the results and traces are the
// interpreter's, and each profile adds up to its run's units.
func TestSuites(t *testing.T) {
	var failures []string
	e := recording{&failures}
	cases, err := conformance.Load("../../testdata/conformance")
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t, e, cases)
	conformance.CompareWith(t, vm.Interpreter{}, e, cases)
	rt, err := conformance.LoadRuntime(conformance.RuntimeDir)
	if err != nil {
		t.Fatal(err)
	}
	conformance.CompareRuntime(t, vm.Interpreter{}, e, rt)
	checkRecording(t, failures)
}

// TestRealPrograms profiles SPL Token 3.1.0's InitializeMint (the case of
// testdata/realprograms) when SOLANA_ELF_DIR holds the binary: the
// profile's total is the 2 834 units the runtime reports. The deployed
// binary is stripped (its only function symbols are entrypoint and
// custom_panic), so functions are named function_<pc>.
func TestRealPrograms(t *testing.T) {
	cases, err := conformance.LoadRuntime(conformance.RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	var failures []string
	conformance.CompareRuntime(t, vm.Interpreter{}, recording{&failures}, cases)
	checkRecording(t, failures)

	dir := conformance.RealProgramDir()
	data, err := os.ReadFile(filepath.Join(dir, "spl_token-3.1.0.so"))
	if dir == "" || err != nil {
		t.Skip("set SOLANA_ELF_DIR to a folder holding spl_token-3.1.0.so")
	}
	var ix []byte
	for _, c := range cases {
		if c.Name == "spl_token_initialize_mint" {
			ix = c.Steps[0].Instruction
		}
	}
	p, res := profileELF(t, data, ix)
	if res.InstructionCount != 2834 || p.Units != 2834 {
		t.Fatalf("units %d, the run consumed %d; want 2834", p.Units, res.InstructionCount)
	}
	var folded bytes.Buffer
	if err := p.Folded(&folded); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// msg!("Instruction: InitializeMint"): 27 bytes at one unit each.
		"entrypoint;function_6212;sol_log_ 27\n",
	} {
		if !strings.Contains(folded.String(), want) {
			t.Errorf("folded stacks lack %q:\n%s", want, folded.String())
		}
	}
	if sumFolded(folded.String()) != 2834 {
		t.Errorf("folded stacks add up to %d", sumFolded(folded.String()))
	}
	t.Logf("folded:\n%s", folded.String())
}

// profileELF runs an ELF program with an instruction document under a
// Recorder, its functions named as `rbpf elf` places their symbols.
func profileELF(t *testing.T, data, ixDoc []byte) (*Profile, vm.Result) {
	t.Helper()
	ix, err := solana.Parse(ixDoc, solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b, err := (&runspec.Spec{Kind: runspec.KindELF, Program: data, Instruction: ix}).Build()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := elf.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	imports, _ := prog.Symbols()
	g := cfg.Build(prog.Text, cfg.Options{Entry: prog.Entrypoint, Functions: inspect.Build(data).Labels(),
		CallTargets: prog.Calls, Syscalls: imports})
	m, err := vm.New(b.Exe, b.Prepare().Options)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewRecorder(m, g)
	if err != nil {
		t.Fatal(err)
	}
	res := rec.Run()
	p := rec.Profile()
	if err := consistent(p, res); err != nil {
		t.Fatal(err)
	}
	return p, res
}
