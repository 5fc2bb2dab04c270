package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// RunRequest is the body of POST /api/run.
type RunRequest struct {
	ProgramSource
	// Input is the input region's bytes in hex.
	Input string `json:"input,omitempty"`
	// Budget is the instruction budget (default Config.DefaultBudget, at
	// most Config.MaxBudget).
	Budget *uint64 `json:"budget,omitempty"`
	// Engines to run on, in order: "interp", "jit" (default ["interp"]).
	Engines []string `json:"engines,omitempty"`
	// Repeat is how many times each engine loads, compiles and runs the
	// program, for timing (default 1, at most Config.MaxRepeat).
	Repeat int `json:"repeat,omitempty"`
	// Heap is the heap region's size in bytes.
	Heap int `json:"heap,omitempty"`
	// Verify runs rbpf's verifier when the program is loaded.
	Verify bool `json:"verify,omitempty"`
	// Trace asks for the instruction trace (rbpf's text format).
	Trace bool `json:"trace,omitempty"`
	// Syscalls bind more built-in syscalls, after the defaults, as the
	// CLI's --syscall KEY=NAME: [{"key": "bpf_mem_frob", "name":
	// "bpf_mem_frob"}] (see runspec.SyscallNames).
	Syscalls []runspec.Binding `json:"syscalls,omitempty"`
}

// RunResponse is the body of a successful POST /api/run: one result per
// engine asked for, and where it ran.
type RunResponse struct {
	Results []EngineResult `json:"results"`
	Machine Machine        `json:"machine"`
}

// EngineResult is one engine's outcome: the runspec result document
// ({"engine", "result", "error", "instruction_count", "log"}) plus timing.
type EngineResult struct {
	Engine           string   `json:"engine"`
	Result           *uint64  `json:"result"`
	ResultHex        *string  `json:"result_hex,omitempty"`
	Error            *string  `json:"error"`
	InstructionCount uint64   `json:"instruction_count"`
	Log              []string `json:"log"`
	Trace            string   `json:"trace,omitempty"`
	Timing           Timing   `json:"timing"`
}

// Timing is measured over the repetitions, in nanoseconds. Load is building
// the executable (assembling or parsing and relocating, and verifying);
// Compile is the JIT's compilation (absent for the interpreter); Run is the
// execution. InsnPerSec is instruction_count divided by the median run time.
type Timing struct {
	Repeat     int      `json:"repeat"`
	Load       Stat     `json:"load"`
	Compile    *Stat    `json:"compile,omitempty"`
	Run        Stat     `json:"run"`
	InsnPerSec *float64 `json:"insn_per_sec"`
}

// Stat summarises durations in nanoseconds.
type Stat struct {
	MedianNS int64 `json:"median_ns"`
	MinNS    int64 `json:"min_ns"`
	MaxNS    int64 `json:"max_ns"`
}

// Engine names.
const (
	EngineInterp = "interp"
	EngineJIT    = "jit"
)

// runJob is a validated run request.
type runJob struct {
	prog    program
	input   []byte
	budget  uint64
	engines []string
	repeat  int
	heap    int
	verify  bool
	trace   bool
	binds   []runspec.Binding
	work    *allowance
}

func (h *Handler) serveRun(ctx context.Context, r *http.Request) (any, error) {
	var req RunRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	job, err := h.validateRun(req)
	if err != nil {
		return nil, err
	}
	job.work = h.newAllowance()
	resp := RunResponse{Machine: machineOnce()}
	for _, eng := range job.engines {
		res, err := h.runEngine(ctx, eng, job)
		if err != nil {
			return nil, err
		}
		resp.Results = append(resp.Results, res)
	}
	return resp, nil
}

func (h *Handler) validateRun(req RunRequest) (runJob, error) {
	prog, err := req.ProgramSource.decode()
	if err != nil {
		return runJob{}, err
	}
	job := runJob{prog: prog, budget: h.cfg.DefaultBudget, repeat: 1, heap: req.Heap,
		verify: req.Verify, trace: req.Trace, engines: req.Engines, binds: req.Syscalls}
	if job.input, err = decodeHex(req.Input); err != nil {
		return runJob{}, badRequest(`"input": not hex: %v`, err)
	}
	if req.Budget != nil {
		if *req.Budget > h.cfg.MaxBudget {
			return runJob{}, badRequest(`"budget": %d exceeds this server's cap of %d instructions`, *req.Budget, h.cfg.MaxBudget)
		}
		job.budget = *req.Budget
	}
	switch {
	case req.Repeat < 0:
		return runJob{}, badRequest(`"repeat": %d is negative`, req.Repeat)
	case req.Repeat > h.cfg.MaxRepeat:
		return runJob{}, badRequest(`"repeat": %d exceeds this server's cap of %d`, req.Repeat, h.cfg.MaxRepeat)
	case req.Repeat > 0:
		job.repeat = req.Repeat
	}
	if req.Heap < 0 || int64(req.Heap) > h.cfg.MaxBodyBytes {
		return runJob{}, badRequest(`"heap": %d is outside 0..%d bytes`, req.Heap, h.cfg.MaxBodyBytes)
	}
	if req.Trace && job.repeat > 1 {
		return runJob{}, badRequest(`"trace" needs "repeat" 1: tracing would distort the timing`)
	}
	if len(job.engines) == 0 {
		job.engines = []string{EngineInterp}
	}
	return job, h.checkEngines(job.engines)
}

func (h *Handler) checkEngines(engines []string) error {
	for i, e := range engines {
		if e != EngineInterp && e != EngineJIT {
			return badRequest(`"engines": unknown engine %q (known: %q, %q)`, e, EngineInterp, EngineJIT)
		}
		if slices.Contains(engines[:i], e) {
			return badRequest(`"engines": %q given twice`, e)
		}
		if e == EngineJIT {
			if reason := h.jitUnavailable(); reason != "" {
				return httpErrorf(http.StatusNotImplemented, "the jit engine is not available here: %s", reason)
			}
		}
	}
	return nil
}

// errNotWired reports an endpoint whose engine is not part of this build.
func errNotWired(what string) error {
	return httpErrorf(http.StatusNotImplemented, "%s is not implemented in this build", what)
}
