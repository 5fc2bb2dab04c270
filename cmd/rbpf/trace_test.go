package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// sumDocs writes sum.s and two instruction documents whose data differ
// in the second byte.
func sumDocs(t *testing.T) (dir string) {
	dir = t.TempDir()
	for _, name := range []string{"sum.s", "sum.json"} {
		b, err := os.ReadFile(filepath.Join("testdata/docs", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), b)
		if name == "sum.json" {
			writeFile(t, filepath.Join(dir, "sum2.json"), []byte(strings.Replace(string(b), "010203", "010503", 1)))
		}
	}
	return dir
}

func TestTraceSaveShowDiff(t *testing.T) {
	dir := sumDocs(t)
	p := func(name string) string { return filepath.Join(dir, name) }
	code, out, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum.json"), "--save-trace", p("a.trace"))
	if code != 0 || !strings.Contains(out, "interp: 59 steps saved to ") {
		t.Fatalf("run: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum2.json"), "--save-trace", p("b.trace")); code != 0 {
		t.Fatal(errOut)
	}

	code, out, _ = cli(t, "trace", "show", p("a.trace"), "--list", "19:21")
	for _, want := range []string{
		"program: sum.s (asm, 962 bytes, sha256 ",
		"run: instruction to Sum1111111111111111111111111111111111111111 with 0 accounts and 3 bytes of data\n",
		"interp: success, 162 of 200000 compute units\n",
		"  Program log: 0x6, 0x0, 0x0, 0x0, 0x0\n",
		"59 steps\n",
		"   19 [0000000000000001, 0000000400000001, ",
		"    36: ldxb r1, [r1+0x10]\n   20 [",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("trace show: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	if n := strings.Count(out, "\n   "); n != 2 {
		t.Errorf("--list 19:21 printed %d steps:\n%s", n, out)
	}

	// Two inputs part at step 20: r1 holds data[1], 2 vs 5.
	code, out, _ = cli(t, "trace", "diff", p("a.trace"), p("b.trace"))
	for _, want := range []string{
		"the run requests differ in: [instruction]\n",
		"first divergence at step 20 of 59 vs 59:\n",
		"  both at pc 8 (insn #37): mov64 r2, r9\n",
		"  r1  a 0x0000000000000002  b 0x0000000000000005\n",
		"  after step 19 at pc 7 (insn #36): ldxb r1, [r1+0x10]\n",
		"results differ: logs\n",
	} {
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("trace diff: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	code, out, _ = cli(t, "trace", "diff", p("a.trace"), p("b.trace"), "--json")
	var d tracefile.Difference
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 2 || d.Diverge == nil || d.Diverge.Step != 20 {
		t.Errorf("diff --json: %d %v %s", code, err, out)
	}
	if code, out, _ := cli(t, "trace", "diff", p("a.trace"), p("a.trace")); code != 0 || !strings.Contains(out, "traces identical (59 steps)\nresults agree\n") {
		t.Errorf("diff with itself: %d\n%s", code, out)
	}

	// The JIT records the same trace.
	if !jit.Supported() {
		return
	}
	if code, out, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum.json"), "--engine", "both", "--save-trace", p("both.trace")); code != 0 ||
		!strings.Contains(out, "jit: 59 steps saved to "+p("both.jit.trace")) {
		t.Fatalf("run both: %d %s %s", code, out, errOut)
	}
	code, out, _ = cli(t, "trace", "diff", p("both.interp.trace"), p("both.jit.trace"))
	if code != 0 || !strings.Contains(out, "engines: interp vs jit\ntraces identical (59 steps)\nresults agree\n") {
		t.Errorf("interp vs jit: %d\n%s", code, out)
	}
}

func TestTraceErrors(t *testing.T) {
	dir := sumDocs(t)
	p := func(name string) string { return filepath.Join(dir, name) }
	if code, _, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum.json"), "--save-trace", p("a.trace")); code != 0 {
		t.Fatal(errOut)
	}
	good, err := os.ReadFile(p("a.trace"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, p("cut.trace"), good[:len(good)/2])
	writeFile(t, p("junk.trace"), []byte("RBPFTRC\x01junk"))
	wantFail(t, "cut.trace: trace file: unexpected EOF", "trace", "show", p("cut.trace"))
	wantFail(t, "junk.trace: trace file: ", "trace", "diff", p("a.trace"), p("junk.trace"))
	wantFail(t, "not an rbpf trace file", "trace", "show", p("sum.s"))
	wantFail(t, "--program: program of 3 bytes", "trace", "show", p("a.trace"), "--program", writeTemp(t, "x", []byte("abc")))
	wantFail(t, "--list: \"9:2\" is not all, N or FROM:TO", "trace", "show", p("a.trace"), "--list", "9:2")
	wantFail(t, "want two trace files", "trace", "diff", p("a.trace"))
	wantFail(t, "--program: program of 3 bytes", "trace", "diff", p("a.trace"), p("a.trace"), "--program", writeTemp(t, "y", []byte("xyz")))
	wantFail(t, "read trace: frob: no such file", "trace", "frob")
	wantFail(t, "record one run, not a sequence", "run", p("sum.s"), "--instruction", p("sum.json"), "--instruction", p("sum.json"), "--save-trace", p("x.trace"))
	wantFail(t, "--case-name needs --export-case", "run", p("sum.s"), "--case-name", "x")
}

func TestExportCaseCLI(t *testing.T) {
	dir := sumDocs(t)
	p := func(name string) string { return filepath.Join(dir, name) }
	loop := writeTemp(t, "loop.s", []byte("mov r0, 0\nadd r0, 1\nja -2\nexit\n"))
	// A failing run becomes a VM-suite case with the error text.
	code, out, errOut := cli(t, "run", loop, "--budget", "7", "--export-case", p("loop.txtar"), "--case-name", "loop_budget")
	if code != 2 || !strings.Contains(out, "case loop_budget written to "+p("loop.txtar")+": a testdata/conformance case, passes on the interpreter\n") {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	cases, err := conformance.Load(dir)
	if err != nil || len(cases) != 1 || cases[0].Name != "loop_budget" ||
		cases[0].Expect.Error != "exceeded maximum number of instructions allowed (7) at instruction #32" || cases[0].Expect.Count != 7 {
		t.Fatalf("loaded %+v, %v", cases, err)
	}
	// A case that would not reproduce the run is not written.
	later := writeTemp(t, "later.s", []byte("mov64 r0, 1\nentrypoint:\nexit\n"))
	if code, _, errOut := cli(t, "run", later, "--instruction", p("sum.json"), "--export-case", p("later.txtar")); code != 1 ||
		!strings.Contains(errOut, "does not reproduce the run (a runtime case builds program.s into an ELF file entered at its entrypoint label") {
		t.Errorf("entry mismatch: %d %q", code, errOut)
	}
	if _, err := os.Stat(p("later.txtar")); err == nil {
		t.Error("a case that does not reproduce the run was written")
	}
	// A runtime run becomes a runtime case, from the run or from its trace.
	if code, _, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum2.json"), "--export-case", p("rt/sum2.txtar")); code != 1 || !strings.Contains(errOut, "write case") {
		t.Errorf("missing folder: %d %q", code, errOut)
	}
	if err := os.Mkdir(p("rt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "run", p("sum.s"), "--instruction", p("sum2.json"), "--export-case", p("rt/sum2.txtar"), "--save-trace", p("sum2.trace")); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := cli(t, "trace", "case", p("sum2.trace"), "-o", p("rt/from_trace.txtar")); code != 0 || !strings.Contains(out, "a testdata/runtime case, passes") {
		t.Fatalf("trace case: %d %q %q", code, out, errOut)
	}
	rt, err := conformance.LoadRuntime(p("rt"))
	if err != nil || len(rt) != 2 {
		t.Fatalf("loaded %d, %v", len(rt), err)
	}
	for _, c := range rt {
		rs, err := c.Run(vm.Interpreter{})
		if err != nil {
			t.Fatal(err)
		}
		if d := c.Mismatches(rs); len(d) > 0 {
			t.Errorf("%s: %v", c.Name, d)
		}
		if !strings.Contains(string(c.Steps[0].Instruction), "010503") {
			t.Errorf("%s: instruction %s", c.Name, c.Steps[0].Instruction)
		}
	}
}

// TestTraceRealProgram records SPL Token 3.1.0's InitializeMint on both
// engines (when SOLANA_ELF_DIR holds the binary): the traces are
// identical, the file shows the instructions given the ELF file, and the
// run exports as a real-program case that passes.
func TestTraceRealProgram(t *testing.T) {
	elfDir := conformance.RealProgramDir()
	so := filepath.Join(elfDir, "spl_token-3.1.0.so")
	if _, err := os.Stat(so); elfDir == "" || err != nil {
		t.Skip("set SOLANA_ELF_DIR to a folder holding spl_token-3.1.0.so")
	}
	cases, err := conformance.LoadRuntime(filepath.Join("..", "..", "testdata", "realprograms"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix := filepath.Join(dir, "init_mint.json")
	for _, c := range cases {
		if c.Name == "spl_token_initialize_mint" {
			writeFile(t, ix, c.Steps[0].Instruction)
		}
	}
	engine := "interp"
	if jit.Supported() {
		engine = "both"
	}
	tr := filepath.Join(dir, "mint.trace")
	code, out, errOut := cli(t, "run", so, "--instruction", ix, "--engine", engine, "--save-trace", tr, "--export-case", filepath.Join(dir, "mint.txtar"))
	if code != 0 || !strings.Contains(out, "2807 steps saved") || !strings.Contains(out, "a testdata/realprograms (put the ELF file in $SOLANA_ELF_DIR) case, passes") {
		t.Fatalf("run: %d %s %s", code, out, errOut)
	}
	if engine == "both" {
		code, out, _ := cli(t, "trace", "diff", filepath.Join(dir, "mint.interp.trace"), filepath.Join(dir, "mint.jit.trace"), "--program", so)
		if code != 0 || !strings.Contains(out, "traces identical (2807 steps)\nresults agree\n") {
			t.Errorf("interp vs jit: %d\n%s", code, out)
		}
		tr = filepath.Join(dir, "mint.interp.trace")
	}
	code, out, _ = cli(t, "trace", "show", tr, "--program", so, "--list", "2806")
	if code != 0 || !strings.Contains(out, " 2806 [") || !strings.HasSuffix(out, ": exit\n") {
		t.Errorf("show: %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, "trace", "case", tr, "-o", filepath.Join(dir, "x.txtar")); code != 1 || !strings.Contains(errOut, "give that file") {
		t.Errorf("case without the ELF: %d %q", code, errOut)
	}
}
