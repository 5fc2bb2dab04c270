package ui

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
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
	rows, err := a.serverRun("AAAA", "01 02", 100, syscallBindings(browser))
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

// clockHost is a host whose clock advances by the next of runs (in ms)
// across each timed slice: every run of a one-slice program takes the next
// duration.
type clockHost struct {
	fakeHost
	runs  []float64
	calls int
	now   float64
}

func (h *clockHost) Now() float64 {
	h.calls++
	if h.calls%2 == 0 {
		h.now += h.runs[min(h.calls/2-1, len(h.runs)-1)]
	}
	return h.now
}

// TestBrowserRunsMedian checks the browser's rows: the first run on its
// own, then the median of the runs after it, and no repeats when they
// would take too long.
func TestBrowserRunsMedian(t *testing.T) {
	text, err := asm.Assemble("mov r0, 7\nexit")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	collect := func(runs ...float64) []SpeedRow {
		a := NewApp(&clockHost{runs: runs})
		var rows []SpeedRow
		a.browserRuns(exe, nil, 100, func(r SpeedRow) { rows = append(rows, r) })
		return rows
	}

	// short runs: repeated until a second has passed, median of the last 5
	rows := collect(10, 4, 2, 3, 5, 1, 100)
	if len(rows) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].Where != whereFirst || rows[0].Run != "10.00 ms" || rows[0].InsnPerSec != "200 /s" || rows[0].Result != "r0 = 7" {
		t.Errorf("first run %+v", rows[0])
	}
	// 10+4+2+3+5+1 = 25 ms, then 100 ms runs: 10 of them pass 1000 ms,
	// so runs 2-16 ran and the last five took 100 ms each.
	if rows[1].Where != whereMedian+" of runs 12–16" || rows[1].Run != "100.00 ms" || rows[1].Result != "r0 = 7" {
		t.Errorf("median %+v", rows[1])
	}

	// a first run of a second: five more, median of those
	rows = collect(1000, 4, 2, 3, 5, 1, 1000)
	if len(rows) != 2 || rows[1].Where != whereMedian+" of runs 2–6" || rows[1].Run != "3.00 ms" {
		t.Errorf("median of five %+v", rows)
	}

	rows = collect(2000, 1)
	if len(rows) != 1 || rows[0].Run != "2000.00 ms" {
		t.Errorf("a 2 s first run was repeated: %+v", rows)
	}

	rows = collect(900, 900, 900, 900)
	if len(rows) != 2 || rows[1].Where != whereMedian+" of runs 2–3" {
		t.Errorf("repeats past %v ms: %+v", speedMaxMS, rows)
	}
}

// TestWarmUp checks that the warm-up loop runs to its end within its
// budget, yielding to the browser between slices.
func TestWarmUp(t *testing.T) {
	h := &yieldCounter{}
	if !NewApp(h).WarmUp() {
		t.Fatal("the warm-up loop did not run to its end")
	}
	if h.yields != (warmUpInsns+9_999)/10_000 {
		t.Errorf("%d yields for %d instructions in slices of 10 000", h.yields, warmUpInsns)
	}
}

type yieldCounter struct {
	fakeHost
	yields int
}

func (h *yieldCounter) Yield() { h.yields++ }
