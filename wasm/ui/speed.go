package ui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// SpeedState is the speed comparison: the browser's interpreter and its
// compiled tier against the native server's interpreter and JIT.
type SpeedState struct {
	hub hub
	// debug makes the run to compare, from the debugger's input and
	// budget or its instruction.
	debug *DebugState

	Checked bool // GET /api/health has answered (or failed)
	Server  bool // a native server is there
	asking  bool // GET /api/health is under way
	Busy    bool
	Err     string
	Rows    []SpeedRow
	Summary string // the ratios, once all engines answered
	// ErrRef is the instruction the browser run's error names, if any.
	ErrRef *InsnRef
}

// SpeedRow is one engine's timing.
type SpeedRow struct {
	Engine, Where, Run, InsnPerSec, Compile, Result string
	// Insns is how many instructions one run executes.
	Insns string

	rate float64 // instructions per second, 0 when unknown
	ms   float64 // the run time in ms, 0 when unknown
	kind string  // rowFirst, rowMedian, rowInterp or rowJIT
	err  error   // the browser run's error
}

// the parts of the server's POST /api/run response the panel shows.
type runReply struct {
	Results []struct {
		Engine           string  `json:"engine"`
		Result           *uint64 `json:"result"`
		Error            *string `json:"error"`
		InstructionCount uint64  `json:"instruction_count"`
		Timing           struct {
			Repeat int `json:"repeat"`
			Run    struct {
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
func (s *SpeedState) CheckServer() {
	h := s.hub.host()
	if h == nil || s.Checked || s.asking {
		return
	}
	s.asking = true
	s.hub.Go("server check", func() {
		status, _, err := h.Fetch("GET", "api/health", nil)
		s.hub.Update("server check", func() { s.Checked, s.Server = true, err == nil && status == 200 })
	})
}

// Compare runs the current program in the browser, then on the server.
func (s *SpeedState) Compare() {
	defer s.hub.Recover("compare")
	prog, d := s.hub.program(), s.debug
	if s.Busy || prog == nil || prog.Prog == nil {
		return
	}
	s.Busy, s.Err, s.Rows, s.Summary, s.ErrRef = true, "", nil, "", nil
	textOff := prog.Prog.TextOffset
	d.reset() // validates input and budget
	if d.Err != "" {
		s.Busy, s.Err = false, d.Err
		return
	}
	elfB64 := base64.StdEncoding.EncodeToString(prog.ELF)
	input, budget := d.InputHex, d.budget
	exe, in := d.exe, d.input
	binds := syscallBindings(exe.Syscalls)
	// A runtime run binds its syscalls to each run's own state, so every
	// run here gets a fresh VM from the Built, and the server gets the
	// instruction instead of input, budget and bindings.
	var fresh func() (*vm.VM, error)
	var ixDoc json.RawMessage
	if built := d.built; d.Runtime() && built != nil {
		fresh = func() (*vm.VM, error) {
			p := built.Prepare()
			return vm.New(built.Exe, p.Options)
		}
		ixDoc = json.RawMessage(d.ix.Doc(false))
	}
	noServer := s.Checked && !s.Server
	s.hub.Go("compare", func() {
		perRun := 0.0
		add := func(row SpeedRow) {
			s.hub.Update("compare", func() {
				s.Rows = append(s.Rows, row)
				if r, ok := insnRefOf(row.err, textOff); ok && s.ErrRef == nil {
					s.ErrRef = &r
				}
			})
		}
		s.timeRuns(interpTier, exe, in, budget, fresh, nil, func(row SpeedRow) {
			perRun = row.ms
			add(row)
		})
		if t := s.hub.compiled(); t != nil {
			s.compiledRuns(t, exe, in, budget, fresh, add)
		}
		var rows []SpeedRow
		var err error
		if !noServer {
			rows, err = s.serverRun(elfB64, input, budget, binds, ixDoc, serverRepeat(perRun, s.serverMaxRepeat()))
		}
		s.hub.Update("compare", func() {
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
// ones. The panel shows the first measurement, then keeps measuring until
// speedWarmMS of browser time have passed and speedRepeat more
// measurements are done, and shows the median of the last speedRepeat (the
// server's median is of as many runs). It never starts a measurement that
// would take it past speedMaxMS.
//
// A measurement is one run, or as many runs as take speedBatchMS when one
// is shorter: the browser's clock counts in steps of 0.1 ms or coarser, so
// a run of a few hundred instructions alone would read "0.00 ms".
const (
	speedRepeat  = 5
	speedWarmMS  = 1000.0
	speedMaxMS   = 3000.0
	speedBatchMS = 10.0
	// speedYieldMS is how long the timing computes before it lets the
	// browser draw and handle events.
	speedYieldMS = 40.0
)

// The kinds of row speedSummary compares.
const (
	rowFirst          = "first"
	rowMedian         = "median"
	rowCompiledFirst  = "compiled-first"
	rowCompiledMedian = "compiled-median"
	rowInterp         = "interp"
	rowJIT            = "jit"
)

// speedTier names one of the browser's engines in the Speed table.
type speedTier struct {
	engine, where string // the engine and where it runs
	first, median string // the kinds of its two rows
}

// The browser's two engines.
var (
	interpTier   = speedTier{"interpreter", "this browser (wasm)", rowFirst, rowMedian}
	compiledTier = speedTier{"compiled to WebAssembly", "this browser", rowCompiledFirst, rowCompiledMedian}
)

// timeRuns times the program here on tier, the compiled tier when run is
// set, and hands each row to add as soon as it is known: the first
// measurement, then the median of the last ones.
func (s *SpeedState) timeRuns(tier speedTier, exe *vm.Executable, input []byte, budget uint64, fresh func() (*vm.VM, error), run CompiledRun, add func(SpeedRow)) {
	first, ok := s.measure(exe, input, budget, fresh, run)
	row := first.row(tier, tier.where+", first run", tier.first)
	if first.runs > 1 {
		row.Where = fmt.Sprintf("%s, first %d runs, timed together", tier.where, first.runs)
	}
	add(row)
	if !ok || first.perRun <= 0 {
		return
	}
	total := first.total()
	var ms []measurement
	for (len(ms) < speedRepeat || total < speedWarmMS) && total+max(first.perRun, speedBatchMS) <= speedMaxMS {
		m, ok := s.measure(exe, input, budget, fresh, run)
		if !ok {
			break
		}
		ms = append(ms, m)
		total += m.total()
	}
	if len(ms) == 0 {
		return
	}
	last := slices.Clone(ms[max(0, len(ms)-speedRepeat):])
	// sort.Slice: a generic sort of measurements would cost the page
	// 20 KB of WebAssembly, and sort's is linked already.
	sort.Slice(last, func(i, j int) bool { return last[i].perRun < last[j].perRun })
	med := last[len(last)/2]
	if len(last)%2 == 0 {
		med.perRun = (last[len(last)/2-1].perRun + last[len(last)/2].perRun) / 2
	}
	where := fmt.Sprintf("%s, median of runs %d–%d", tier.where, len(ms)-len(last)+2, len(ms)+1)
	if med.runs > 1 {
		where = fmt.Sprintf("%s, median of %d measurements of %d runs each", tier.where, len(last), med.runs)
	}
	add(med.row(tier, where, tier.median))
}

// measurement is the time one run or a batch of runs took here.
type measurement struct {
	perRun float64 // ms of computing per run, making the VMs ready left out
	runs   int
	spent  float64   // ms of computing the measurement took, all in
	res    vm.Result // the first run's
	err    error     // why the VM could not be made
}

// total is the computing time the measurement took, which the comparison
// keeps within its bounds (speedWarmMS, speedMaxMS).
func (m measurement) total() float64 { return m.spent }

// row is the measurement as a table row.
func (m measurement) row(tier speedTier, where, kind string) SpeedRow {
	r := SpeedRow{Engine: tier.engine, Where: where, Compile: "—", kind: kind}
	if m.err != nil {
		r.Result = m.err.Error()
		return r
	}
	r.Run, r.ms, r.Insns, r.Result = msText(m.perRun), m.perRun, fmt.Sprint(m.res.Executed), resultText(m.res.Value, m.res.Err)
	r.err = m.res.Err
	if m.perRun > 0 {
		r.rate = float64(m.res.Executed) / (m.perRun / 1000)
		r.InsnPerSec = rate(r.rate)
	}
	return r
}

// measure times runs of the program here on one VM (reset between runs):
// one run, or more until speedBatchMS have passed. Only computing counts:
// the browser gets a turn every speedYieldMS, outside the timing. ok is
// false when the run could not start.
//
// With fresh set (runtime runs), every run gets a new VM from it instead
// of a reset one: its syscalls hold the run's own state. With run set, the
// compiled tier runs the program.
func (s *SpeedState) measure(exe *vm.Executable, input []byte, budget uint64, fresh func() (*vm.VM, error), run CompiledRun) (measurement, bool) {
	buf := append([]byte(nil), input...)
	newVM := func() (*vm.VM, error) { return vm.New(exe, vm.RunOptions{Input: buf, Budget: budget}) }
	if fresh != nil {
		newVM = fresh
	}
	m, err := newVM()
	if err != nil {
		return measurement{err: err}, false
	}
	h := s.hub.host()
	c := speedClock{h: h, t0: h.Now(), compiled: run}
	out := measurement{runs: 1, res: c.run(m)}
	// Groups of runs double in size (up to 1024), so that the clock is
	// read rarely while the runs are short.
	ready := func() (err error) {
		if fresh != nil {
			m, err = fresh()
			return err
		}
		copy(buf, input)
		return m.Reset(buf, budget)
	}
	for group := 1; c.elapsed() < speedBatchMS; group = min(2*group, 1024) {
		for range group {
			if err := ready(); err != nil {
				return measurement{err: err}, false
			}
			c.run(m)
		}
		out.runs += group
	}
	out.perRun = c.elapsed() / float64(out.runs)
	out.spent = c.elapsed()
	if out.runs > 1 {
		// Making the VM ready is not the run, as on the server (its
		// "load"): a new VM decodes the whole program, which would
		// outweigh a short run of a large one. The same number of
		// preparations alone, timed together (the clock is too coarse
		// to time each), is taken off.
		t0 := h.Now()
		for range out.runs - 1 {
			if err := ready(); err != nil {
				return measurement{err: err}, false
			}
		}
		spent := h.Now() - t0
		out.spent += spent
		out.perRun = max(out.perRun-spent/float64(out.runs), out.perRun/100)
	}
	return out, true
}

// speedClock adds up the time spent computing between the browser's turns.
type speedClock struct {
	h        Host
	t0, ms   float64
	compiled CompiledRun // the compiled tier's runner, nil for the interpreter
}

// run runs m to its end, giving the browser a turn when a long run has
// computed for speedYieldMS (the compiled tier: after the run), and
// returns its result.
func (c *speedClock) run(m *vm.VM) vm.Result {
	if c.compiled != nil {
		r := c.compiled(m)
		c.yieldAfter()
		return r
	}
	for !m.Done() {
		if m.Step(200_000) == 200_000 {
			c.yieldAfter()
		}
	}
	return m.Result()
}

// yieldAfter gives the browser a turn, outside the timing, once
// speedYieldMS of computing have passed since the last one.
func (c *speedClock) yieldAfter() {
	if now := c.h.Now(); now-c.t0 > speedYieldMS {
		c.ms += now - c.t0
		c.h.Yield()
		c.t0 = c.h.Now()
	}
}

// elapsed is the computing time so far.
func (c *speedClock) elapsed() float64 { return c.ms + c.h.Now() - c.t0 }

// msText writes a duration given in ms with a unit that keeps three
// significant digits: "4.20 µs", "12.3 ms", "1.50 s".
func msText(ms float64) string {
	switch {
	case ms <= 0:
		return "—"
	case ms < 0.01:
		return fmt.Sprintf("%.2f µs", ms*1000)
	case ms < 1:
		return fmt.Sprintf("%.1f µs", ms*1000)
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.2f s", ms/1000)
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

// serverRepeat is how many runs the server is asked for: speedRepeat, or
// for a short program as many as take it about 150 ms (the server runs the
// interpreter about three times as fast as this page), up to its limit.
func serverRepeat(browserMS float64, maxRepeat int) int {
	n := speedRepeat
	if browserMS > 0 {
		n = max(n, int(450/browserMS))
	}
	return max(1, min(n, maxRepeat))
}

// serverMaxRepeat asks the server how many runs a request may ask for
// (GET /api/version); speedRepeat when it does not say.
func (s *SpeedState) serverMaxRepeat() int {
	status, resp, err := s.hub.host().Fetch("GET", "api/version", nil)
	var v struct {
		Limits struct {
			MaxRepeat int `json:"max_repeat"`
		} `json:"limits"`
	}
	if err != nil || status != 200 || json.Unmarshal(resp, &v) != nil || v.Limits.MaxRepeat <= 0 {
		return speedRepeat
	}
	return v.Limits.MaxRepeat
}

func (s *SpeedState) serverRun(elfB64, input string, budget uint64, binds []syscallBinding, ixDoc json.RawMessage, repeat int) ([]SpeedRow, error) {
	req := map[string]any{"elf": elfB64, "input": strings.Join(strings.Fields(input), ""),
		"budget": budget, "engines": []string{"interp", "jit"}, "repeat": repeat, "syscalls": binds}
	if ixDoc != nil {
		req = map[string]any{"elf": elfB64, "instruction": ixDoc, "engines": []string{"interp", "jit"}, "repeat": repeat}
	}
	body, _ := json.Marshal(req)
	status, resp, err := s.hub.host().Fetch("POST", "api/run", body)
	if err != nil {
		return nil, fmt.Errorf("the server did not answer: %v", err)
	}
	var rr runReply
	if err := json.Unmarshal(resp, &rr); err != nil || status != 200 {
		return nil, fmt.Errorf("the server answered %d: %s", status, strings.TrimSpace(string(resp)))
	}
	var rows []SpeedRow
	for _, r := range rr.Results {
		ms := float64(r.Timing.Run.MedianNS) / 1e6
		row := SpeedRow{Engine: map[string]string{"interp": "interpreter", "jit": "JIT"}[r.Engine],
			Where: fmt.Sprintf("native server, median of %d runs", max(r.Timing.Repeat, 1)),
			Run:   msText(ms), ms: ms, Compile: "—", Insns: fmt.Sprint(r.InstructionCount), kind: rowInterp}
		if r.Engine == "jit" {
			row.kind = rowJIT
		}
		if r.Timing.InsnPerSec != nil {
			row.rate = *r.Timing.InsnPerSec
			row.InsnPerSec = rate(row.rate)
		}
		if r.Timing.Compile != nil {
			row.Compile = msText(float64(r.Timing.Compile.MedianNS) / 1e6)
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

// speedShortMS is the native interpreter's run time below which a run is
// too short to compare engines: a run's fixed cost (making the VM ready,
// entering compiled code, returning) then outweighs executing it.
const speedShortMS = 0.05

// speedShortHereMS is the browser interpreter's run time below which,
// without the server's figures, the browser's engines are not compared:
// a few steps of the browser's clock.
const speedShortHereMS = 0.5

// speedSummary compares the rows: the browser's interpreter and its
// compiled tier (each by its median when it has one, else its first run)
// against the native interpreter, and the JIT against the native
// interpreter, unless the run is too short to tell. Without the native
// rows it compares the compiled tier with the browser's interpreter.
func speedSummary(rows []SpeedRow) string {
	byKind := map[string]SpeedRow{}
	for _, r := range rows {
		byKind[r.kind] = r
	}
	// best is the median row of an engine, else its first.
	best := func(median, first string) SpeedRow {
		if r, ok := byKind[median]; ok && r.rate > 0 {
			return r
		}
		return byKind[first]
	}
	first, median := byKind[rowFirst].rate, byKind[rowMedian].rate
	here, compiled := best(rowMedian, rowFirst), best(rowCompiledMedian, rowCompiledFirst).rate
	native, jitRate := byKind[rowInterp], byKind[rowJIT].rate
	interp, interpMS, insns := native.rate, native.ms, native.Insns
	if interp == 0 {
		switch {
		case here.rate == 0 || compiled == 0:
			return ""
		case here.ms < speedShortHereMS:
			return fmt.Sprintf("A run of %s instructions takes the interpreter here %s: too short to compare the browser's engines, "+
				"whose clock counts in steps of 0.1 ms. For a comparison, run a program that executes a million instructions or more, such as the long-loop example.",
				here.Insns, msText(here.ms))
		}
		return fmt.Sprintf("Compiled to WebAssembly, the program runs %s as fast as the interpreter here.", times(compiled/here.rate))
	}
	if here.rate == 0 {
		return ""
	}
	if interpMS < speedShortMS {
		return fmt.Sprintf("A run of %s instructions takes the native interpreter %s: too short to compare engines, "+
			"since each run's fixed cost (making the VM ready, entering and leaving compiled code) outweighs the work. "+
			"The times are real; for a comparison, run a program that executes a million instructions or more, such as the long-loop example.",
			insns, msText(interpMS))
	}
	var s string
	if median > 0 {
		s = fmt.Sprintf("The interpreter runs here at %.0f %% of its native speed (%.0f %% on its first run).", 100*median/interp, 100*first/interp)
	} else {
		s = fmt.Sprintf("The interpreter runs here at %.0f %% of its native speed (one run).", 100*first/interp)
	}
	if compiled > 0 {
		s += fmt.Sprintf(" Compiled to WebAssembly, the program runs here %s as fast as the native interpreter.", times(compiled/interp))
	}
	if jitRate > 0 {
		s += fmt.Sprintf(" The JIT runs %s as fast as the native interpreter.", times(jitRate/interp))
	}
	return s
}

// times writes a speed ratio: "8.1×", "12×".
func times(x float64) string {
	if x < 10 {
		return fmt.Sprintf("%.1f×", x)
	}
	return fmt.Sprintf("%.0f×", x)
}
