package ui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// SpeedState is the speed comparison: the browser's interpreter against
// the native server's interpreter and JIT.
type SpeedState struct {
	Checked bool // GET /api/health has answered (or failed)
	Server  bool // a native server is there
	Busy    bool
	Err     string
	Rows    []SpeedRow
	Summary string // the ratios, once all engines answered
}

// SpeedRow is one engine's timing.
type SpeedRow struct {
	Engine, Where, Run, InsnPerSec, Compile, Result string

	rate float64 // instructions per second, 0 when unknown
}

// the parts of the server's POST /api/run response the panel shows.
type runReply struct {
	Results []struct {
		Engine           string  `json:"engine"`
		Result           *uint64 `json:"result"`
		Error            *string `json:"error"`
		InstructionCount uint64  `json:"instruction_count"`
		Timing           struct {
			Run struct {
				MedianNS int64 `json:"median_ns"`
			} `json:"run"`
			Compile *struct {
				MedianNS int64 `json:"median_ns"`
			} `json:"compile"`
			InsnPerSec *float64 `json:"insn_per_sec"`
		} `json:"timing"`
	} `json:"results"`
	Error string `json:"error"`
}

// CheckServer asks whether a native server serves this page.
func (a *App) CheckServer() {
	if a.Host == nil || a.Speed.Checked {
		return
	}
	a.Speed.Checked = true
	a.Go("server check", func() {
		status, _, err := a.Host.Fetch("GET", "api/health", nil)
		a.Update("server check", func() { a.Speed.Server = err == nil && status == 200 })
	})
}

// Compare runs the current program in the browser, then on the server.
func (a *App) Compare() {
	defer a.Recover("compare")
	s := &a.Speed
	if s.Busy || a.Prog == nil || a.Prog.Prog == nil {
		return
	}
	s.Busy, s.Err, s.Rows, s.Summary = true, "", nil, ""
	a.debugReset() // validates input and budget
	if a.Debug.Err != "" {
		s.Busy, s.Err = false, a.Debug.Err
		return
	}
	elfB64 := base64.StdEncoding.EncodeToString(a.Prog.ELF)
	input, budget := a.Debug.InputHex, a.Debug.budget
	exe, in := a.Debug.exe, a.Debug.input
	binds := syscallBindings(exe.Syscalls)
	a.Go("compare", func() {
		a.browserRuns(exe, in, budget, func(row SpeedRow) {
			a.Update("compare", func() { s.Rows = append(s.Rows, row) })
		})
		rows, err := a.serverRun(elfB64, input, budget, binds)
		a.Update("compare", func() {
			s.Busy = false
			if err != nil {
				s.Err = err.Error()
			}
			s.Rows = append(s.Rows, rows...)
			s.Summary = speedSummary(s.Rows)
		})
	})
}

// How the browser's interpreter is timed. V8 starts the interpreter's
// loop in its baseline compiler and swaps in optimised code between calls,
// once the loop has run for a while and the optimised code is compiled (in
// the background, a few hundred ms; WarmUp starts this when the page
// loads), so a run soon after the page loaded can be slower than later
// ones. The panel shows the first run, then keeps running the program
// until speedWarmMS of browser time have passed and speedRepeat more runs
// are done, and shows the median of the last speedRepeat runs (the server's
// median is of as many). It never starts a run that would take it past
// speedMaxMS.
const (
	speedRepeat = 5
	speedWarmMS = 1000.0
	speedMaxMS  = 3000.0
)

// Where the browser's rows say they ran.
const (
	whereFirst  = "this browser (wasm), first run"
	whereMedian = "this browser (wasm), median"
)

// browserRuns times the interpreter here and hands each row to add as soon
// as it is known: the first run, then the median of the last runs.
func (a *App) browserRuns(exe *vm.Executable, input []byte, budget uint64, add func(SpeedRow)) {
	first, ms, executed, ok := a.browserRun(exe, input, budget)
	first.Where = whereFirst
	add(first)
	if !ok || ms <= 0 {
		return
	}
	total := ms
	var times []float64
	for (len(times) < speedRepeat || total < speedWarmMS) && total+ms <= speedMaxMS {
		_, ms, _, ok = a.browserRun(exe, input, budget)
		if !ok {
			break
		}
		times = append(times, ms)
		total += ms
	}
	if len(times) == 0 {
		return
	}
	last := slices.Clone(times[max(0, len(times)-speedRepeat):])
	slices.Sort(last)
	med := last[len(last)/2]
	if len(last)%2 == 0 {
		med = (last[len(last)/2-1] + last[len(last)/2]) / 2
	}
	row := first
	row.Where = fmt.Sprintf("%s of runs %d–%d", whereMedian, len(times)-len(last)+2, len(times)+1)
	row.Run = fmt.Sprintf("%.2f ms", med)
	row.rate, row.InsnPerSec = 0, ""
	if med > 0 {
		row.rate = float64(executed) / (med / 1000)
		row.InsnPerSec = rate(row.rate)
	}
	add(row)
}

// browserRun times one run of the interpreter here, in slices so the page
// stays responsive; only the time spent computing counts. ok is false when
// the run could not start.
func (a *App) browserRun(exe *vm.Executable, input []byte, budget uint64) (row SpeedRow, ms float64, executed uint64, ok bool) {
	m, err := vm.New(exe, vm.RunOptions{Input: append([]byte(nil), input...), Budget: budget})
	if err != nil {
		return SpeedRow{Engine: "interpreter", Where: "this browser (wasm)", Result: err.Error()}, 0, 0, false
	}
	for !m.Done() {
		t0 := a.Host.Now()
		m.Step(200_000)
		ms += a.Host.Now() - t0
		a.Host.Yield()
	}
	r := m.Result()
	row = SpeedRow{Engine: "interpreter", Where: "this browser (wasm)", Run: fmt.Sprintf("%.2f ms", ms), Compile: "—", Result: resultText(r.Value, r.Err)}
	if ms > 0 {
		row.rate = float64(r.Executed) / (ms / 1000)
		row.InsnPerSec = rate(row.rate)
	}
	return row, ms, r.Executed, true
}

// syscallBinding is an entry of /api/run's "syscalls" (runspec.Binding):
// a built-in syscall's name and the call immediate it answers, a number.
type syscallBinding struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// syscallBindings lists every syscall of reg, the browser run's registry,
// as /api/run's "syscalls", each under its hash written as a number, so
// that the server runs the program with the syscalls the browser gave it
// (bpf_mem_frob and the other helpers the server does not bind by
// default). The server binds them after its defaults, which they include:
// the same keys with the same syscalls.
func syscallBindings(reg *vm.SyscallRegistry) []syscallBinding {
	var out []syscallBinding
	for _, e := range reg.Entries() {
		if e.Func != nil {
			out = append(out, syscallBinding{Key: strconv.FormatUint(uint64(e.Hash), 10), Name: e.Func.Name})
		}
	}
	return out
}

func (a *App) serverRun(elfB64, input string, budget uint64, binds []syscallBinding) ([]SpeedRow, error) {
	body, _ := json.Marshal(map[string]any{"elf": elfB64, "input": strings.Join(strings.Fields(input), ""),
		"budget": budget, "engines": []string{"interp", "jit"}, "repeat": 5, "syscalls": binds})
	status, resp, err := a.Host.Fetch("POST", "api/run", body)
	if err != nil {
		return nil, fmt.Errorf("the server did not answer: %v", err)
	}
	var rr runReply
	if err := json.Unmarshal(resp, &rr); err != nil || status != 200 {
		return nil, fmt.Errorf("the server answered %d: %s", status, strings.TrimSpace(string(resp)))
	}
	var rows []SpeedRow
	for _, r := range rr.Results {
		row := SpeedRow{Engine: map[string]string{"interp": "interpreter", "jit": "JIT"}[r.Engine], Where: "native server",
			Run: fmt.Sprintf("%.2f ms", float64(r.Timing.Run.MedianNS)/1e6), Compile: "—"}
		if r.Timing.InsnPerSec != nil {
			row.rate = *r.Timing.InsnPerSec
			row.InsnPerSec = rate(row.rate)
		}
		if r.Timing.Compile != nil {
			row.Compile = fmt.Sprintf("%.3f ms", float64(r.Timing.Compile.MedianNS)/1e6)
		}
		if r.Error != nil {
			row.Result = *r.Error
		} else if r.Result != nil {
			row.Result = fmt.Sprintf("r0 = %d", *r.Result)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func resultText(v uint64, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("r0 = %d", v)
}

func rate(r float64) string {
	switch {
	case r >= 1e9:
		return fmt.Sprintf("%.2f G/s", r/1e9)
	case r >= 1e6:
		return fmt.Sprintf("%.1f M/s", r/1e6)
	}
	return fmt.Sprintf("%.0f /s", r)
}

// speedSummary compares the rows: the browser (its median when it has one,
// else its first run) against the native interpreter, and the JIT against
// the native interpreter.
func speedSummary(rows []SpeedRow) string {
	var first, median, interp, jitRate float64
	for _, r := range rows {
		switch {
		case r.Where == whereFirst:
			first = r.rate
		case strings.HasPrefix(r.Where, whereMedian):
			median = r.rate
		case r.Engine == "JIT":
			jitRate = r.rate
		default:
			interp = r.rate
		}
	}
	if interp == 0 || (first == 0 && median == 0) {
		return ""
	}
	var s string
	if median > 0 {
		s = fmt.Sprintf("The interpreter runs here at %.0f %% of its native speed (%.0f %% on its first run).", 100*median/interp, 100*first/interp)
	} else {
		s = fmt.Sprintf("The interpreter runs here at %.0f %% of its native speed (one run).", 100*first/interp)
	}
	if jitRate > 0 {
		s += fmt.Sprintf(" The JIT runs %.0f× faster than the native interpreter.", jitRate/interp)
	}
	return s
}
