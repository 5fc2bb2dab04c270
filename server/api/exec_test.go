package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// TestWorkAllowance checks that with Config.WorkRate the time limit holds
// as an instruction count, as in a Worker whose clock stands still.
func TestWorkAllowance(t *testing.T) {
	h := newTestHandler(Config{Timeout: time.Second, WorkRate: 1e6, MaxBudget: 1 << 40})
	rec := serve(h, "POST", "/api/run", `{"asm": "ja -1", "budget": 1000000000}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "counted as 1000000 instructions") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	// The allowance is per request and shared by the repetitions: 10 runs
	// of 300 000 instructions stop after the third.
	rec = serve(h, "POST", "/api/run", `{"asm": "ja -1", "budget": 299999, "repeat": 10}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"repeat":3,`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// TestWorkAllowanceChargesSyscalls checks that under Config.WorkRate a
// syscall costs its memory traffic: 100 calls of bpf_mem_frob over a 1 MiB
// input are 503 instructions, but 100 × (64 + 131 072) instruction
// equivalents: after eight calls the allowance of 1 000 000 is spent, and
// the ninth call, the 45th instruction, ends the run at the time limit. Without the charge, the Worker's standing clock would let such a
// program run until the platform killed it.
func TestWorkAllowanceChargesSyscalls(t *testing.T) {
	// An allowance of 1 000 000 over a deadline far enough away that only
	// the allowance can stop the run, even under the race detector.
	h := newTestHandler(Config{Timeout: 50 * time.Second, WorkRate: 20_000, MaxBudget: 1 << 40})
	frob := `"syscalls": [{"key": "frob", "name": "bpf_mem_frob"}]`
	loop := `mov r6, 100\nmov r7, r1\nloop:\nmov r1, r7\nmov r2, 0x100000\ncall frob\nsub r6, 1\njne r6, 0, loop\nexit`
	input := strings.Repeat("00", 1<<20)
	rec := serve(h, "POST", "/api/run", `{"asm": "`+loop+`", "input": "`+input+`", `+frob+`}`)
	var e struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 422 || !strings.Contains(e.Error, "time limit") {
		t.Fatalf("%d %.300s", rec.Code, rec.Body)
	}
	t.Log(e.Error)
	var n int
	if _, err := fmt.Sscanf(e.Error[strings.Index(e.Error, "after "):], "after %d instructions", &n); err != nil || n != 2+8*5+3 {
		t.Errorf("stopped after %d instructions (%v), want 45: at the ninth call", n, err)
	}
	// The same loop over 64 bytes costs 100 × (64 + 8): it completes.
	small := strings.Replace(loop, "0x100000", "64", 1)
	rec = serve(h, "POST", "/api/run", `{"asm": "`+small+`", "input": "`+input[:128]+`", `+frob+`}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"instruction_count":503`) {
		t.Errorf("%d %.300s", rec.Code, rec.Body)
	}
}

// executableMappings counts the process's executable anonymous mappings:
// where the JIT's machine code lives.
func executableMappings(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	n := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		f := strings.Fields(string(line))
		if len(f) == 5 && strings.Contains(f[1], "x") { // no path: anonymous
			n++
		}
	}
	return n
}

// TestJITMemoryReleased runs the JIT many times, concurrently, and checks
// that no executable mapping is left behind.
func TestJITMemoryReleased(t *testing.T) {
	h := newTestHandler(Config{})
	if !h.JITAvailable() {
		t.Skip("no JIT here:", h.jitUnavailable())
	}
	body := `{"asm": "mov r0, 3\nmul r0, 7\nexit", "engines": ["jit"], "repeat": 5}`
	serve(h, "POST", "/api/run", body) // warm up whatever the runtime maps once
	runtime.GC()
	before := executableMappings(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				if rec := serve(h, "POST", "/api/run", body); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"result":21,`) {
					t.Errorf("%d %s", rec.Code, rec.Body)
					return
				}
			}
		})
	}
	wg.Wait()
	if after := executableMappings(t); after > before {
		t.Errorf("executable anonymous mappings: %d before 500 JIT runs, %d after", before, after)
	}
}

// TestSyscallHeavyLoopStops runs an endless loop that logs 4 MiB per
// syscall. Between two looks at the deadline the interpreter would run
// thousands of such calls, and the JIT leaves its code only for them: the
// guarded syscalls are what stop both engines near the deadline.
func TestSyscallHeavyLoopStops(t *testing.T) {
	h := newTestHandler(Config{Timeout: 300 * time.Millisecond, MaxBudget: 1 << 60})
	engines := []string{EngineInterp}
	if h.JITAvailable() {
		engines = append(engines, EngineJIT)
	}
	const prog = `lddw r6, 0x300000000\nloop:\nmov r1, r6\nmov r2, 4194304\ncall log\nja loop`
	for _, eng := range engines {
		start := time.Now()
		body := `{"asm": "` + prog + `", "heap": 4194304, "budget": 1000000000000, "engines": ["` + eng + `"]}`
		rec := serve(h, "POST", "/api/run", body)
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "time limit: the "+eng) {
			t.Errorf("%s: %d %.300s", eng, rec.Code, rec.Body)
		}
		// Generous for loaded machines; unguarded, this takes minutes.
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: stopped after %v", eng, d)
		}
	}
}

// TestResponseLimit checks an answer over MaxResponseBytes becomes a 422.
func TestResponseLimit(t *testing.T) {
	h := newTestHandler(Config{MaxResponseBytes: 4096})
	body := `{"asm": "` + strings.Repeat(`add r0, 1\n`, 200) + `exit"}`
	rec := serve(h, "POST", "/api/jit", body)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "over this server's limit of 4096") {
		t.Errorf("%d %.300s", rec.Code, rec.Body)
	}
	if rec := serve(h, "POST", "/api/jit", `{"asm": "exit"}`); rec.Code != 200 {
		t.Errorf("small listing: %d %.300s", rec.Code, rec.Body)
	}
}

// TestJITEndlessLoopStopsAtTimeLimit runs an endless loop with a huge
// budget on the JIT: the executor's interrupt hook stops it once the
// deadline has passed, with the documented 422. The lower bound is exact
// (nothing stops it before the deadline); the upper one is generous, for
// loaded machines: without the hook the loop runs for years.
func TestJITEndlessLoopStopsAtTimeLimit(t *testing.T) {
	const limit = 400 * time.Millisecond
	h := newTestHandler(Config{Timeout: limit, MaxBudget: 1 << 62})
	if !h.JITAvailable() {
		t.Skip("no JIT here:", h.jitUnavailable())
	}
	for _, repeat := range []int{1, 3} {
		start := time.Now()
		body := fmt.Sprintf(`{"asm": "mov r0, 1\nloop:\nadd r0, 1\nja loop", "budget": %d, "engines": ["jit"], "repeat": %d}`, uint64(1)<<62, repeat)
		rec := serve(h, "POST", "/api/run", body)
		took := time.Since(start)
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 422 {
			t.Fatalf("repeat %d: %d %.300s", repeat, rec.Code, rec.Body)
		}
		var n uint64
		var allowed string
		if _, err := fmt.Sscanf(e.Error, "time limit: the jit run was stopped after %d instructions; this server allows %s of work per request", &n, &allowed); err != nil || n == 0 || allowed != "400ms" {
			t.Errorf("repeat %d: error %q (%v)", repeat, e.Error, err)
		}
		if took < limit || took > 10*limit {
			t.Errorf("repeat %d: stopped after %v; the limit is %v", repeat, took, limit)
		}
		t.Logf("repeat %d: stopped after %v, %d instructions", repeat, took, n)
	}
}

// TestRepetitionsStartAfresh runs a program that changes its input, heap
// and stack and returns what it found there: every repetition on the
// shared VM, on both engines, must find the same initial state.
func TestRepetitionsStartAfresh(t *testing.T) {
	const src = `
		ldxb r0, [r1]
		add r0, 1
		stxb [r1], r0
		lddw r2, 0x300000000
		ldxb r3, [r2+100]
		add r3, 10
		stxb [r2+100], r3
		add r0, r3
		ldxdw r4, [r10-8]
		add r4, 100
		stxdw [r10-8], r4
		add r0, r4
		exit`
	budget := uint64(100)
	spec := runspec.Spec{Kind: runspec.KindAsm, Source: src, Input: []byte{5}, Heap: 4096, Budget: &budget}
	built, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	const want = 6 + 10 + 100
	var mc machine
	for i := range 3 {
		m, _, err := mc.prepare(built, budget)
		if err != nil {
			t.Fatal(err)
		}
		if r := m.Run(); r.Err != nil || r.Value != want || r.InstructionCount != 13 {
			t.Errorf("interpreter, repetition %d: %d, %v, %d instructions", i, r.Value, r.Err, r.InstructionCount)
		}
	}
	if !jit.Supported() {
		return
	}
	p, err := jit.Compile(built.Exe, jit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := range 3 {
		m, _, err := mc.prepare(built, budget)
		if err != nil {
			t.Fatal(err)
		}
		if r := p.RunVM(m); r.Err != nil || r.Value != want || r.InstructionCount != 13 {
			t.Errorf("jit, repetition %d: %d, %v, %d instructions", i, r.Value, r.Err, r.InstructionCount)
		}
	}
	if in := mc.prep.InputRegion(); in[0] != 6 || built.Input[0] != 5 {
		t.Errorf("input region %d, request's input %d", in[0], built.Input[0])
	}
}

// TestDescribeLimit checks that /api/elf and /api/jit refuse a program over
// MaxDescribeBytes with a 413 before describing it, and describe one under.
func TestDescribeLimit(t *testing.T) {
	h := newTestHandler(Config{MaxDescribeBytes: 512})
	elf := make([]byte, 513)
	copy(elf, "\x7fELF")
	rec := serve(h, "POST", "/api/elf", `{"elf": "`+base64.StdEncoding.EncodeToString(elf)+`"}`)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "the ELF file is 513 bytes; /api/elf describes programs of at most 512 bytes") {
		t.Errorf("/api/elf: %d %.300s", rec.Code, rec.Body)
	}
	// 512 bytes pass the limit and reach the loader, which rejects them.
	rec = serve(h, "POST", "/api/elf", `{"elf": "`+base64.StdEncoding.EncodeToString(elf[:512])+`"}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"ok":false`) {
		t.Errorf("/api/elf at the limit: %d %.300s", rec.Code, rec.Body)
	}

	long := `{"asm": "` + strings.Repeat(`add r0, 1\n`, 64) + `exit"}` // 65 slots, 520 bytes
	rec = serve(h, "POST", "/api/jit", long)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "the program's text is 520 bytes; /api/jit describes programs of at most 512 bytes") {
		t.Errorf("/api/jit: %d %.300s", rec.Code, rec.Body)
	}
	short := `{"asm": "` + strings.Repeat(`add r0, 1\n`, 63) + `exit"}` // 64 slots, 512 bytes
	if rec := serve(h, "POST", "/api/jit", short); rec.Code != http.StatusOK {
		t.Errorf("/api/jit at the limit: %d %.300s", rec.Code, rec.Body)
	}
}
