package apitest

import (
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RunResult mirrors one entry of POST /api/run's "results".
type RunResult struct {
	Engine           string   `json:"engine"`
	Result           *uint64  `json:"result"`
	ResultHex        *string  `json:"result_hex"`
	Error            *string  `json:"error"`
	InstructionCount uint64   `json:"instruction_count"`
	Log              []string `json:"log"`
	LogTruncated     bool     `json:"log_truncated"`
	Trace            string   `json:"trace"`
	TraceTruncated   bool     `json:"trace_truncated"`
	// The runtime's outcome, for a run with an instruction.
	ProgramError         *string         `json:"program_error"`
	ProgramErrorText     string          `json:"program_error_text"`
	ComputeUnitsConsumed *uint64         `json:"compute_units_consumed"`
	ComputeUnitsBudget   uint64          `json:"compute_units_budget"`
	Logs                 []string        `json:"logs"`
	LogsTruncated        bool            `json:"logs_truncated"`
	Accounts             []AccountResult `json:"accounts"`
	Timing               struct {
		Repeat  int      `json:"repeat"`
		Load    *Stat    `json:"load"`
		Compile *Stat    `json:"compile"`
		Run     *Stat    `json:"run"`
		IPS     *float64 `json:"insn_per_sec"`
	} `json:"timing"`
}

// AccountResult mirrors one of a runtime run's "accounts".
type AccountResult struct {
	Pubkey  string   `json:"pubkey"`
	DataHex string   `json:"data_hex"`
	Changed []string `json:"changed"`
}

// Stat mirrors a timing summary.
type Stat struct {
	MedianNS int64 `json:"median_ns"`
	MinNS    int64 `json:"min_ns"`
	MaxNS    int64 `json:"max_ns"`
}

// RunAnswer mirrors a successful POST /api/run.
type RunAnswer struct {
	Results []RunResult `json:"results"`
	Machine struct {
		Go   string `json:"go"`
		OS   string `json:"os"`
		Arch string `json:"arch"`
	} `json:"machine"`
}

// engines lists the engines the target runs.
func (tg Target) engines() []string {
	if tg.JIT {
		return []string{"interp", "jit"}
	}
	return []string{"interp"}
}

// Run posts a run request and decodes the answer, failing unless it is 200
// with one result per engine asked for.
func (tg Target) Run(t testing.TB, req map[string]any) RunAnswer {
	t.Helper()
	resp := tg.Do(t, http.MethodPost, "/api/run", req)
	if resp.Status != http.StatusOK {
		t.Fatalf("run %v: status %d: %.500s", req, resp.Status, resp.Body)
	}
	var a RunAnswer
	resp.JSON(t, &a)
	if want, _ := req["engines"].([]string); len(want) != 0 && len(a.Results) != len(want) {
		t.Fatalf("run: %d results for engines %v", len(a.Results), want)
	}
	if a.Machine.Go == "" || a.Machine.OS == "" {
		t.Errorf("run: machine not described: %+v", a.Machine)
	}
	return a
}

// expect checks every result for the value (nil: expect failure with
// errText), instruction count and, when log is not nil, the log.
func expect(t *testing.T, a RunAnswer, value *uint64, errText string, count uint64, log []string) {
	t.Helper()
	for _, r := range a.Results {
		switch {
		case value != nil && (r.Result == nil || *r.Result != *value || r.Error != nil):
			t.Errorf("%s: result %v error %v, want %d", r.Engine, ptr(r.Result), ptr(r.Error), *value)
		case value == nil && (r.Result != nil || r.Error == nil || *r.Error != errText):
			t.Errorf("%s: result %v error %v, want error %q", r.Engine, ptr(r.Result), ptr(r.Error), errText)
		}
		if r.InstructionCount != count {
			t.Errorf("%s: instruction_count %d, want %d", r.Engine, r.InstructionCount, count)
		}
		if log != nil && strings.Join(r.Log, "\n") != strings.Join(log, "\n") {
			t.Errorf("%s: log %q, want %q", r.Engine, r.Log, log)
		}
		if r.Log == nil {
			t.Errorf("%s: log is null, want an array", r.Engine)
		}
	}
}

func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func u64(v uint64) *uint64 { return &v }

func programCases() []testCase {
	return []testCase{
		{"run asm", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 42\nexit", "engines": tg.engines()})
			expect(t, a, u64(42), "", 2, []string{})
			for _, r := range a.Results {
				if r.ResultHex == nil || *r.ResultHex != "0x2a" {
					t.Errorf("%s: result_hex %v", r.Engine, ptr(r.ResultHex))
				}
			}
		}},
		{"run bytes with input", func(t *testing.T, tg Target, _ Limits) {
			// ldxb r0, [r1]; exit
			prog := []byte{0x71, 0x10, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}
			a := tg.Run(t, map[string]any{"bytes": base64.StdEncoding.EncodeToString(prog), "input": "2a ff", "engines": tg.engines()})
			expect(t, a, u64(42), "", 2, nil)
		}},
		{"default engine", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 7\nexit"})
			if len(a.Results) != 1 || a.Results[0].Engine != "interp" {
				t.Fatalf("default engines: %+v", a.Results)
			}
		}},
		{"runtime error", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 1\nmov r1, 0\ndiv r0, r1\nexit", "engines": tg.engines()})
			expect(t, a, nil, "divide by zero at instruction 31", 3, nil)
		}},
		{"syscall log", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r1, 1\nmov r2, 2\nmov r3, 3\nmov r4, 4\nmov r5, 5\ncall log_64\nexit", "engines": tg.engines()})
			expect(t, a, u64(0), "", 7, []string{"dump_64: 0x1, 0x2, 0x3, 0x4, 0x5, <memory mapping>"})
		}},
		{"syscall bindings", func(t *testing.T, tg Target, _ Limits) {
			// bpf_mem_frob XORs len bytes at addr with 0b101010.
			a := tg.Run(t, map[string]any{"asm": "mov r6, r1\nmov r2, 1\ncall bpf_mem_frob\nldxb r0, [r6]\nexit",
				"input": "00", "syscalls": []map[string]string{{"key": "bpf_mem_frob", "name": "bpf_mem_frob"}}, "engines": tg.engines()})
			expect(t, a, u64(42), "", 5, nil)
			expectError(t, tg, http.MethodPost, "/api/run", map[string]any{"asm": "exit",
				"syscalls": []map[string]string{{"key": "x", "name": "nope"}}}, http.StatusUnprocessableEntity, `unknown syscall "nope"`)
		}},
		{"budget exceeded", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "ja -1", "budget": 1000, "engines": tg.engines()})
			expect(t, a, nil, "exceeded maximum number of instructions allowed (1000) at instruction #30", 1000, nil)
		}},
		{"deep recursion", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "f:\ncall f\nexit", "engines": tg.engines()})
			expect(t, a, nil, "exceeded max BPF to BPF call depth of 20 at instruction #29", 20, nil)
		}},
		{"repeat and timing", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 1\nexit", "repeat": 3, "engines": tg.engines()})
			for _, r := range a.Results {
				tm := r.Timing
				// A Worker's clock stands still while it computes: its
				// durations are 0 and insn_per_sec is then null.
				if tm.Repeat != 3 || tm.Load == nil || tm.Run == nil || (tm.IPS == nil) != (tm.Run.MedianNS == 0) {
					t.Fatalf("%s: timing %+v", r.Engine, tm)
				}
				for _, s := range []*Stat{tm.Load, tm.Run, tm.Compile} {
					if s != nil && !(s.MinNS <= s.MedianNS && s.MedianNS <= s.MaxNS) {
						t.Errorf("%s: stat out of order %+v", r.Engine, *s)
					}
				}
				if (tm.Compile != nil) != (r.Engine == "jit") {
					t.Errorf("%s: compile timing %v", r.Engine, tm.Compile)
				}
			}
		}},
		{"trace", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 1\nexit", "trace": true, "engines": tg.engines()})
			for _, r := range a.Results {
				if !strings.Contains(r.Trace, "29: mov64 r0, 0x1\n") || !strings.Contains(r.Trace, "30: exit\n") {
					t.Errorf("%s: trace %q", r.Engine, r.Trace)
				}
			}
		}},
		{"log truncated", func(t *testing.T, tg Target, _ Limits) {
			// 40 000 lines of log_64 pass the VM's 1 MiB of log.
			prog := "mov r6, 40000\nloop:\ncall log_64\nsub r6, 1\njne r6, 0, loop\nexit"
			a := tg.Run(t, map[string]any{"asm": prog, "engines": tg.engines()})
			expect(t, a, u64(0), "", 2+3*40000, nil)
			for _, r := range a.Results {
				if !r.LogTruncated || len(r.Log) == 0 || len(r.Log) >= 40000 {
					t.Errorf("%s: log_truncated %v with %d lines", r.Engine, r.LogTruncated, len(r.Log))
				}
			}
			short := tg.Run(t, map[string]any{"asm": "call log_64\nexit"})
			if r := short.Results[0]; r.LogTruncated || len(r.Log) != 1 {
				t.Errorf("one line: log_truncated %v, log %q", r.LogTruncated, r.Log)
			}
		}},
		{"trace limit", func(t *testing.T, tg Target, lim Limits) {
			body := map[string]any{"asm": "ja -1", "trace": true, "budget": lim.MaxTraceInsns + 1}
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "trace limit")
		}},
		{"assembler error", func(t *testing.T, tg Target, _ Limits) {
			expectError(t, tg, http.MethodPost, "/api/run", map[string]any{"asm": "bogus r0"}, http.StatusUnprocessableEntity, `Invalid instruction "bogus"`)
		}},
		{"verifier", func(t *testing.T, tg Target, _ Limits) {
			body := map[string]any{"asm": "mov r0, 1\ndiv r0, 0\nexit", "verify": true}
			resp := expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusUnprocessableEntity, "VerifierError")
			var e struct{ Detail string }
			resp.JSON(t, &e)
			if !strings.Contains(e.Detail, "division by 0") {
				t.Errorf("verifier detail %q", e.Detail)
			}
			// Without the verifier the same program loads and fails when run.
			a := tg.Run(t, map[string]any{"asm": "mov r0, 1\ndiv r0, 0\nexit", "engines": tg.engines()})
			expect(t, a, nil, "divide by zero at instruction 30", 2, nil)
		}},
		{"endless loop stops at the time limit", func(t *testing.T, tg Target, lim Limits) {
			start := time.Now()
			for _, eng := range tg.engines() {
				body := map[string]any{"asm": "ja -1", "budget": lim.MaxBudget, "engines": []string{eng}}
				expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusUnprocessableEntity, "time limit: the "+eng+" run was stopped")
			}
			limit := time.Duration(lim.TimeoutMS) * time.Millisecond * time.Duration(len(tg.engines()))
			// Generous, for loaded machines: without the limit these
			// loops run for many minutes.
			if d := time.Since(start); d > 10*limit+10*time.Second {
				t.Errorf("endless loops took %v, the limit is %v", d, limit)
			}
		}},
		{"jit availability", func(t *testing.T, tg Target, _ Limits) {
			if tg.JIT {
				tg.Run(t, map[string]any{"asm": "exit", "engines": []string{"jit"}})
				return
			}
			resp := expectError(t, tg, http.MethodPost, "/api/run", map[string]any{"asm": "exit", "engines": []string{"interp", "jit"}},
				http.StatusNotImplemented, "the jit engine is not available here: ")
			if msg := resp.ErrorText(t); len(msg) < len("the jit engine is not available here: ")+20 {
				t.Errorf("501 without an explanation: %q", msg)
			}
		}},
		{"ELF fixture", func(t *testing.T, tg Target, _ Limits) {
			data := readTestdata(t, "elfs/relative_call.so")
			a := tg.Run(t, map[string]any{"elf": base64.StdEncoding.EncodeToString(data), "input": "01", "engines": tg.engines()})
			expect(t, a, u64(2), "", 14, nil)
			for _, r := range a.Results {
				if len(r.Log) != 2 {
					t.Errorf("%s: log %q, want two lines", r.Engine, r.Log)
				}
			}
		}},
		{"hostile ELFs", func(t *testing.T, tg Target, _ Limits) {
			files, _ := filepath.Glob(filepath.Join(testdataDir(t), "elf", "hostile", "*.so"))
			if len(files) < 10 {
				t.Fatalf("only %d hostile ELF fixtures found", len(files))
			}
			for _, f := range files {
				data, _ := os.ReadFile(f)
				want, _ := os.ReadFile(strings.TrimSuffix(f, ".so") + ".err")
				body := map[string]any{"elf": base64.StdEncoding.EncodeToString(data), "engines": tg.engines()}
				resp := tg.Do(t, http.MethodPost, "/api/run", body)
				if resp.Status != http.StatusUnprocessableEntity && resp.Status != http.StatusBadRequest {
					t.Errorf("%s: status %d: %.300s", filepath.Base(f), resp.Status, resp.Body)
					continue
				}
				if msg, w := resp.ErrorText(t), strings.TrimSpace(string(want)); !strings.Contains(msg, w) {
					t.Errorf("%s: error %q, want it to contain %q", filepath.Base(f), msg, w)
				}
			}
			tg.Run(t, map[string]any{"asm": "exit"}) // still serving
		}},
	}
}

// testdataDir finds the repository's testdata folder from the test's
// working directory (a package folder).
func testdataDir(t testing.TB) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdataDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
