package ui

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// fetchHost answers Fetch with a canned reply and keeps the request body.
type fetchHost struct {
	fakeHost
	body  []byte
	reply string
}

func (h *fetchHost) Fetch(_, _ string, body []byte) (int, []byte, error) {
	h.body = body
	return 200, []byte(h.reply), nil
}

// serverSpec is what the server makes of the speed panel's request: the
// same runspec.Spec /api/run builds, with the request's syscalls.
func serverSpec(t *testing.T, body []byte, src string) runspec.Spec {
	t.Helper()
	var req struct {
		Syscalls []runspec.Binding `json:"syscalls"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	return runspec.Spec{Kind: runspec.KindAsm, Source: src, Syscalls: req.Syscalls}
}

func names(reg *vm.SyscallRegistry) map[uint32]string {
	m := map[uint32]string{}
	for _, e := range reg.Entries() {
		m[e.Hash] = e.Func.Name
	}
	return m
}

// TestCompareSendsBrowserSyscalls checks that the server, given the speed
// panel's request, binds exactly the syscalls the browser run had, so that
// a program calling bpf_mem_frob runs there too instead of failing.
func TestCompareSendsBrowserSyscalls(t *testing.T) {
	h := &fetchHost{reply: `{"results": [{"engine": "interp", "result": 7, "instruction_count": 5,
		"timing": {"run": {"median_ns": 1000}, "insn_per_sec": 5000000}}]}`}
	a := NewApp(h)
	browser := playgroundSyscalls()
	rows, err := a.Speed.serverRun("AAAA", "01 02", 100, syscallBindings(browser), nil, 5)
	if err != nil || len(rows) != 1 || rows[0].Result != "r0 = 7" {
		t.Fatalf("rows %+v, err %v", rows, err)
	}
	var req map[string]any
	if err := json.Unmarshal(h.body, &req); err != nil || req["elf"] != "AAAA" || req["input"] != "0102" {
		t.Fatalf("request %s", h.body)
	}

	const prog = "mov r1, r10\nsub r1, 8\nmov r2, 8\ncall bpf_mem_frob\nmov r0, 7\nexit"
	spec := serverSpec(t, h.body, prog)
	built, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(built.Exe.Syscalls), names(browser); !maps.Equal(got, want) {
		t.Errorf("the server binds %v\nthe browser had %v", got, want)
	}
	if r := built.Run(vm.Interpreter{}); r.Error != nil || r.Value == nil || *r.Value != 7 {
		t.Errorf("bpf_mem_frob on the server: %+v", r)
	}
	// Without the bindings (as the panel sent before) the server's
	// defaults lack bpf_mem_frob: the two sides ran different programs.
	spec.Syscalls = nil
	built, err = spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	if r := built.Run(vm.Interpreter{}); r.Error == nil {
		t.Errorf("bpf_mem_frob ran without being bound: %+v", r)
	} else {
		t.Logf("without the bindings: %s", *r.Error)
	}
}

// tickHost is a host whose clock advances by tick ms at every reading.
type tickHost struct {
	fakeHost
	tick, now float64
	yields    int
}

func (h *tickHost) Now() float64 { h.now += h.tick; return h.now }
func (h *tickHost) Yield()       { h.yields++ }

// TestBrowserRunsMeasurable checks the browser's rows for a run too short
// to time alone: runs are repeated until a measurement lasts speedBatchMS,
// each row gives the time per run (never "0.00 ms") and the instructions a
// run executes, and the whole comparison stays within speedMaxMS.
func TestBrowserRunsMeasurable(t *testing.T) {
	exe := asmExecutable(t, "mov r0, 7\nexit")
	h := &tickHost{tick: 1}
	a := NewApp(h)
	var rows []SpeedRow
	a.Speed.timeRuns(interpTier, exe, nil, 100, nil, nil, func(r SpeedRow) { rows = append(rows, r) })
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	first, med := rows[0], rows[1]
	if first.kind != rowFirst || !strings.Contains(first.Where, "runs, timed together") || first.Insns != "2" || first.Result != "r0 = 7" {
		t.Errorf("first %+v", first)
	}
	if med.kind != rowMedian || !strings.HasPrefix(med.Where, "this browser (wasm), median of 5 measurements") || med.Insns != "2" {
		t.Errorf("median %+v", med)
	}
	for _, r := range rows {
		if r.ms <= 0 || r.ms > 1 || strings.HasPrefix(r.Run, "0.00") || r.rate <= 0 {
			t.Errorf("row %q: %v ms per run (%q), %v insn/s", r.Where, r.ms, r.Run, r.rate)
		}
	}
	if h.now > speedMaxMS+2*speedBatchMS {
		t.Errorf("the comparison took %v ms of clock", h.now)
	}
}

// TestBrowserRunsSlowPreparation times short runs whose VM takes much
// longer to make than to run (a runtime run of a large program): the time
// a run leaves the making out, and the comparison still stays within
// speedMaxMS of computing, the making counted.
func TestBrowserRunsSlowPreparation(t *testing.T) {
	exe := asmExecutable(t, "mov r0, 7\nexit")
	h := &tickHost{tick: 0.01}
	a := NewApp(h)
	fresh := func() (*vm.VM, error) {
		h.now += 3 // making the VM takes 3 ms
		return vm.New(exe, vm.RunOptions{Budget: 100})
	}
	var rows []SpeedRow
	a.Speed.timeRuns(interpTier, exe, nil, 100, fresh, nil, func(r SpeedRow) { rows = append(rows, r) })
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.ms <= 0 || r.ms > 0.5 || r.Result != "r0 = 7" {
			t.Errorf("row %q: %v ms per run, %s", r.Where, r.ms, r.Result)
		}
	}
	if h.now > 2*speedMaxMS {
		t.Errorf("the comparison took %v ms of clock", h.now)
	}
}

// TestBrowserRunsLong checks that a run longer than a measurement is timed
// alone: first run, then the median of single runs, and nothing repeated
// past speedMaxMS.
func TestBrowserRunsLong(t *testing.T) {
	exe := asmExecutable(t, "mov r1, 0\nadd r1, 1\njlt r1, 3000000, -2\nexit")
	h := &tickHost{tick: 30}
	a := NewApp(h)
	var rows []SpeedRow
	a.Speed.timeRuns(interpTier, exe, nil, 100_000_000, nil, nil, func(r SpeedRow) { rows = append(rows, r) })
	if len(rows) != 2 || rows[0].Where != "this browser (wasm), first run" || !strings.HasPrefix(rows[1].Where, "this browser (wasm), median of runs 2–") {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].Insns != "6000002" || h.yields == 0 {
		t.Errorf("first %+v, %d yields", rows[0], h.yields)
	}
	if h.now > 2*speedMaxMS {
		t.Errorf("the comparison took %v ms of clock", h.now)
	}
}

// interpAsCompiled stands in for the browser's compiled tier: it runs the
// module's program on the interpreter, and counts the runs.
type interpAsCompiled struct{ runs int }

func (t *interpAsCompiled) Load(m *wasmjit.Module) (CompiledRun, error) {
	return func(v *vm.VM) vm.Result {
		t.runs++
		for !v.Done() {
			v.Step(1 << 20)
		}
		return v.Result()
	}, nil
}

// TestCompiledRows checks the compiled tier's rows: compiled here, timed as
// the interpreter is (first run, then a median), named as the compiled
// tier with its compile and instantiate times, the same result, and a
// summary comparing the two browser tiers when there is no server.
func TestCompiledRows(t *testing.T) {
	exe := asmExecutable(t, "mov r1, 0\nadd r1, 1\njlt r1, 30000, -2\nmov r0, r1\nexit")
	h := &tickHost{tick: 1}
	a := NewApp(h)
	tier := &interpAsCompiled{}
	var rows []SpeedRow
	a.Speed.compiledRuns(tier, exe, nil, 1_000_000, nil, func(r SpeedRow) { rows = append(rows, r) })
	if len(rows) != 2 || tier.runs < 2 {
		t.Fatalf("%d runs, rows %+v", tier.runs, rows)
	}
	for i, kind := range []string{rowCompiledFirst, rowCompiledMedian} {
		r := rows[i]
		if r.kind != kind || r.Engine != "compiled to WebAssembly" || strings.Contains(r.Where, "(wasm)") || !strings.Contains(r.Compile, "instantiating") || r.Result != "r0 = 30000" || r.Insns != "60003" {
			t.Errorf("row %d: %+v", i, r)
		}
	}
	interp := SpeedRow{kind: rowMedian, rate: rows[1].rate / 4, ms: 12, Insns: "60003"}
	if got := speedSummary(append(rows, interp)); !strings.Contains(got, "runs 4.0× as fast as the interpreter here") {
		t.Errorf("summary without a server: %q", got)
	}
	interp.ms = 0.1
	if got := speedSummary(append(rows, interp)); !strings.Contains(got, "A run of 60003 instructions takes the interpreter here 100.0 µs: too short to compare") {
		t.Errorf("summary of a short run without a server: %q", got)
	}
	// A run too long to repeat has only its first row on each engine.
	long := []SpeedRow{{kind: rowFirst, rate: 1e6, ms: 900, Insns: "900000"}, {kind: rowCompiledFirst, rate: 4e6, ms: 225}}
	if got := speedSummary(long); !strings.Contains(got, "runs 4.0× as fast as the interpreter here") {
		t.Errorf("summary of first runs only, without a server: %q", got)
	}
}

func TestMsText(t *testing.T) {
	for ms, want := range map[float64]string{0.0042: "4.20 µs", 0.0123: "12.3 µs", 4.2: "4.20 ms", 123.4: "123.4 ms", 1500: "1.50 s", 0: "—"} {
		if got := msText(ms); got != want {
			t.Errorf("msText(%v) = %q, want %q", ms, got, want)
		}
	}
}

func TestServerRepeat(t *testing.T) {
	if n := serverRepeat(1500, 100); n != speedRepeat {
		t.Errorf("a long run: %d repeats", n)
	}
	if n := serverRepeat(0.005, 100); n != 100 {
		t.Errorf("a short run: %d repeats", n)
	}
	if n := serverRepeat(0.005, 3); n != 3 {
		t.Errorf("the server's limit: %d repeats", n)
	}
}

func TestSpeedSummary(t *testing.T) {
	native := []SpeedRow{{Engine: "interpreter", kind: rowInterp, rate: 40e6, ms: 25, Insns: "1000000"},
		{Engine: "JIT", kind: rowJIT, rate: 800e6, ms: 1.25}}
	got := speedSummary(append([]SpeedRow{{kind: rowFirst, rate: 4e6}, {kind: rowMedian, rate: 10e6}}, native...))
	if got != "The interpreter runs here at 25 % of its native speed (10 % on its first run). The JIT runs 20× as fast as the native interpreter." {
		t.Fatal(got)
	}
	got = speedSummary(append([]SpeedRow{{kind: rowFirst, rate: 4e6}}, native...))
	if got != "The interpreter runs here at 10 % of its native speed (one run). The JIT runs 20× as fast as the native interpreter." {
		t.Fatal(got)
	}
	if got := speedSummary([]SpeedRow{{kind: rowFirst, rate: 4e6}}); got != "" {
		t.Fatalf("summary without the server: %q", got)
	}
	// 333 instructions in 4 µs: no verdict on the engines.
	short := []SpeedRow{{kind: rowFirst, rate: 4e6}, {kind: rowInterp, rate: 80e6, ms: 0.004, Insns: "333"}, {kind: rowJIT, rate: 60e6, ms: 0.005}}
	if got := speedSummary(short); !strings.HasPrefix(got, "A run of 333 instructions takes the native interpreter 4.00 µs: too short to compare engines") || strings.Contains(got, "faster") {
		t.Fatal(got)
	}
}

// TestWarmUp checks that the warm-up loop runs to its end within its
// budget and the compiler's warm-up compiles, yielding to the browser
// between slices and compilations.
func TestWarmUp(t *testing.T) {
	h := &yieldCounter{}
	if !WarmUp(h) {
		t.Fatal("the warm-up loop did not run to its end, or a warm-up compilation failed")
	}
	if want := (warmUpInsns+9_999)/10_000 + warmUpCompiles; h.yields != want {
		t.Errorf("%d yields, want one per slice of 10 000 of %d instructions and one per compilation (%d)", h.yields, warmUpInsns, want)
	}
}

type yieldCounter struct {
	fakeHost
	yields int
}

func (h *yieldCounter) Yield() { h.yields++ }

// TestCompareSendsInstruction checks that a runtime run asks the server
// for the same instruction, not for input, budget and bindings.
func TestCompareSendsInstruction(t *testing.T) {
	h := &fetchHost{reply: `{"results": [{"engine": "interp", "result": 0, "instruction_count": 5,
		"timing": {"run": {"median_ns": 1000}, "insn_per_sec": 5000000}}]}`}
	a := NewApp(h)
	doc := json.RawMessage(`{"program_id":"Prog111111111111111111111111111111111111111"}`)
	if _, err := a.Speed.serverRun("AAAA", "", 0, nil, doc, 5); err != nil {
		t.Fatal(err)
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(h.body, &req); err != nil {
		t.Fatal(err)
	}
	if string(req["instruction"]) != string(doc) || req["input"] != nil || req["syscalls"] != nil || req["budget"] != nil {
		t.Errorf("request %s", h.body)
	}
}

// asmExecutable assembles src into an executable with no syscalls.
func asmExecutable(t *testing.T, src string) *vm.Executable {
	t.Helper()
	text, err := asm.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
