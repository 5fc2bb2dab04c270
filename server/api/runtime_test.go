package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

const testProgramID = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"

// allocTwice allocates 64 bytes from the runtime's bump allocator, logs,
// and returns the allocation's offset in the heap: 0 when the run starts
// with a fresh allocator.
const allocTwice = `
	mov r1, 64
	mov r2, 0
	call sol_alloc_free_
	mov r6, r0
	mov r1, 1
	call sol_log_64_
	lddw r1, 0x300000000
	mov r0, r6
	sub r0, r1
	exit`

func runtimeSpec(t *testing.T, src string) *runspec.Built {
	t.Helper()
	ix, err := solana.Parse([]byte(`{"program_id": "`+testProgramID+`"}`), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b, err := (&runspec.Spec{Kind: runspec.KindAsm, Source: src, Instruction: ix}).Build()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRuntimeRepetitionsStartAfresh runs a runtime program three times on
// one machine, on both engines: each repetition must get its own VM and
// syscall state (a fresh allocator, a log collector holding only its own
// lines), and Finish of each run must see that run's own state.
func TestRuntimeRepetitionsStartAfresh(t *testing.T) {
	built := runtimeSpec(t, allocTwice)
	var prog *jit.Program
	if jit.Supported() {
		var err error
		if prog, err = jit.Compile(built.Exe, jit.Options{}); err != nil {
			t.Fatal(err)
		}
		defer prog.Close()
	}
	var mc machine
	var first runspec.Result
	for i := range 6 {
		m, p, err := mc.prepare(built, built.Budget)
		if err != nil {
			t.Fatal(err)
		}
		engine := EngineInterp
		var r vm.Result
		if i%2 == 1 && prog != nil {
			engine, r = EngineJIT, prog.RunVM(m)
		} else {
			r = m.Run()
		}
		res := built.Finish(engine, p, r)
		if res.Value == nil || *res.Value != 0 || res.ProgramError != nil || len(res.Logs) != 4 {
			t.Errorf("repetition %d (%s): value %v, program_error %v, logs %q", i, engine, res.Value, res.ProgramError, res.Logs)
		}
		if i == 0 {
			first = res
		} else if d := runspec.Difference(first, res); d != "" {
			t.Errorf("repetition %d (%s) differs from the first: %s", i, engine, d)
		}
	}
}

// TestRuntimeTraceLimit checks that a traced runtime run keeps its compute
// budget (its syscalls read and charge it, so it is not clipped as a plain
// run's budget is): one whose compute units exceed the trace limit is
// refused before it runs, one within it is traced on both engines alike.
func TestRuntimeTraceLimit(t *testing.T) {
	h := newTestHandler(Config{MaxTraceInsns: 20})
	engines := `["interp"]`
	if h.JITAvailable() {
		engines = `["interp", "jit"]`
	}
	src := "mov r0, 0\n" + strings.Repeat("add r0, 1\n", 9) + "sub r0, 9\ncall sol_log_compute_units_\nexit"
	asm, _ := json.Marshal(src)
	body := `{"asm": ` + string(asm) + `, "trace": true, "engines": ` + engines + `, "instruction": {"program_id": "` + testProgramID + `"}}`
	rec := serve(h, "POST", "/api/run", body)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "trace limit: a traced run may execute at most 20 instructions on this server, and a runtime run may use all of its 200000 compute units") {
		t.Errorf("default compute units: %d %.300s", rec.Code, rec.Body)
	}
	body = strings.Replace(body, `"program_id"`, `"compute_units": 20, "program_id"`, 1)
	rec = serve(h, "POST", "/api/run", body)
	var resp struct{ Results []EngineResult }
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != 200 {
		t.Fatalf("%d %.500s", rec.Code, rec.Body)
	}
	for _, r := range resp.Results {
		lines := strings.Count(r.Trace, "\n")
		if r.TraceTruncated || lines != 13 || r.Outcome == nil || r.ProgramError != nil || r.ComputeUnitsConsumed != 13 {
			t.Errorf("%s: trace_truncated %v with %d lines, outcome %+v", r.Engine, r.TraceTruncated, lines, r.Outcome)
			continue
		}
		// 12 instructions ran before the syscall, the call included.
		if want := "Program consumption: 8 units remaining"; r.Logs[1] != want {
			t.Errorf("%s: logs %q, want %q second", r.Engine, r.Logs, want)
		}
	}
	if len(resp.Results) == 2 {
		if d := runspec.Difference(resp.Results[0].Result, resp.Results[1].Result); d != "" || resp.Results[0].Trace != resp.Results[1].Trace {
			t.Errorf("engines disagree: %q", d)
		}
	}
}

// TestWorkAllowanceChargesRuntimeSyscalls checks that a runtime run's own
// syscall objects (bound per run, outside the registry) are guarded like
// the registry's: sol_log_ of a 32 KiB heap in an endless loop is charged
// its memory traffic, and the allowance of 1 000 000 stops it after about
// 240 calls. Unguarded, it would run until its compute units (10^9) ran
// out, some 30 000 calls, and answer 200.
func TestWorkAllowanceChargesRuntimeSyscalls(t *testing.T) {
	h := newTestHandler(Config{Timeout: 50 * time.Second, WorkRate: 20_000})
	const loop = `lddw r6, 0x300000000\nloop:\nmov r1, r6\nmov r2, 32768\ncall sol_log_\nja loop`
	body := `{"asm": "` + loop + `", "instruction": {"program_id": "` + testProgramID + `", "compute_units": 1000000000}}`
	rec := serve(h, "POST", "/api/run", body)
	var e struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 422 || !strings.Contains(e.Error, "time limit") {
		t.Fatalf("%d %.300s", rec.Code, rec.Body)
	}
	var n int
	if _, err := fmt.Sscanf(e.Error[strings.Index(e.Error, "after "):], "after %d instructions", &n); err != nil || n > 4*300 {
		t.Errorf("stopped after %d instructions (%v), want about 4 × 240", n, err)
	}
}

// TestRuntimeDeadlineInSyscall checks the request's deadline reaches a
// runtime run's own syscalls: on a machine whose context is done, the
// first sol_log_ ends the run (which nothing else here interrupts) with
// errSyscallDeadline, on both engines.
func TestRuntimeDeadlineInSyscall(t *testing.T) {
	built := runtimeSpec(t, "mov r1, r10\nmov r2, 0\ncall sol_log_\nexit")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mc := machine{ctx: ctx}
	m, _, err := mc.prepare(built, built.Budget)
	if err != nil {
		t.Fatal(err)
	}
	if r := m.Run(); !errors.Is(r.Err, errSyscallDeadline) {
		t.Errorf("interpreter: %v", r.Err)
	}
	if !jit.Supported() {
		return
	}
	prog, err := jit.Compile(built.Exe, jit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	if m, _, err = mc.prepare(built, built.Budget); err != nil {
		t.Fatal(err)
	}
	if r := prog.RunVM(m); !errors.Is(r.Err, errSyscallDeadline) {
		t.Errorf("jit: %v", r.Err)
	}
}

// TestEngineResultJSON checks the answer's entry is the runspec document
// with the server's fields beside it.
func TestEngineResultJSON(t *testing.T) {
	v := uint64(42)
	hx := "0x2a"
	r := EngineResult{Result: runspec.Result{Engine: "interp", Value: &v, InstructionCount: 2, LogTruncated: true}, ResultHex: &hx}
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"engine":"interp","result":42,"error":null,"instruction_count":2,"log":[],"log_truncated":true,` +
		`"result_hex":"0x2a","timing":{"repeat":0,"load":{"median_ns":0,"min_ns":0,"max_ns":0},"run":{"median_ns":0,"min_ns":0,"max_ns":0},"insn_per_sec":null}}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	var back EngineResult
	if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back.Result, runspec.Result{Engine: "interp", Value: &v, InstructionCount: 2, Log: []string{}, LogTruncated: true}) || *back.ResultHex != hx {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
