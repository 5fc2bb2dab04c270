package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
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
	// TraceFile asks for each engine's run recorded as a trace file
	// (core/tracefile: the program's sha256, the run request, the result
	// and the trace), base64 in the result's trace_file, for the
	// playground's trace tools and `rbpf trace`. The trace limit applies
	// as to Trace.
	TraceFile bool `json:"trace_file,omitempty"`
	// Syscalls bind more built-in syscalls, after the defaults, as the
	// CLI's --syscall KEY=NAME: [{"key": "bpf_mem_frob", "name":
	// "bpf_mem_frob"}] (see runspec.SyscallNames).
	Syscalls []runspec.Binding `json:"syscalls,omitempty"`
	// Instruction runs the program as the Solana runtime runs a program's
	// entrypoint: the instruction document of core/solana (program_id,
	// loader, accounts, data, sysvars, compute_units, heap_size,
	// features), read by solana.Parse under this server's limits. The
	// runtime then decides the input, heap, budget and syscalls, so
	// Input, Heap, Budget and Syscalls must be left out.
	Instruction json.RawMessage `json:"instruction,omitempty"`
}

// RunResponse is the body of a successful POST /api/run: one result per
// engine asked for, and where it ran.
type RunResponse struct {
	Results []EngineResult `json:"results"`
	Machine Machine        `json:"machine"`
}

// EngineResult is one engine's outcome: the runspec result document, the
// one `rbpf run --json` prints ({"engine", "result", "error",
// "instruction_count", "log", "log_truncated", "trace", "trace_truncated"}
// and, for a run with an instruction, the runtime's "program_error",
// "compute_units_consumed", "logs", "accounts"...), plus what only the
// server adds: result_hex and the timing.
type EngineResult struct {
	runspec.Result
	// ResultHex is Result.Value in hex: all 64 bits, for JavaScript clients.
	ResultHex *string `json:"result_hex,omitempty"`
	// TraceFile is the run as a trace file, base64, when asked for.
	TraceFile string `json:"trace_file,omitempty"`
	Timing    Timing `json:"timing"`
}

// MarshalJSON writes the runspec document (with its own encoding) and the
// server's fields as one object. Without it the embedded Result's
// MarshalJSON would be promoted and the server's fields lost.
func (r EngineResult) MarshalJSON() ([]byte, error) {
	doc, err := json.Marshal(r.Result)
	if err != nil {
		return nil, err
	}
	extra, err := json.Marshal(struct {
		ResultHex *string `json:"result_hex,omitempty"`
		TraceFile string  `json:"trace_file,omitempty"`
		Timing    Timing  `json:"timing"`
	}{r.ResultHex, r.TraceFile, r.Timing})
	if err != nil {
		return nil, err
	}
	// Both are non-empty objects: {doc...} + {extra...} -> {doc..., extra...}.
	return append(append(doc[:len(doc)-1], ','), extra[1:]...), nil
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
	trace   bool // the trace text
	// traceFile asks for the trace file; the run then traces whether or
	// not the text is asked for.
	traceFile bool
	binds     []runspec.Binding
	// ix is the parsed instruction document, nil for a plain run.
	ix *solana.Instruction
	// budgetSet says the request gave a budget (a clash with ix).
	budgetSet bool
	work      *allowance
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
		verify: req.Verify, trace: req.Trace, traceFile: req.TraceFile, engines: req.Engines, binds: req.Syscalls}
	if job.input, err = decodeHex(req.Input); err != nil {
		return runJob{}, badRequest(`"input": not hex: %v`, err)
	}
	if len(job.input) == 0 {
		job.input = nil // not given (a runtime run must not have one)
	}
	if req.Budget != nil {
		if *req.Budget > h.cfg.MaxBudget {
			return runJob{}, badRequest(`"budget": %d exceeds this server's cap of %d instructions`, *req.Budget, h.cfg.MaxBudget)
		}
		job.budget, job.budgetSet = *req.Budget, true
	}
	if job.ix, err = h.parseInstruction(req.Instruction); err != nil {
		return runJob{}, err
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
	if req.TraceFile && job.repeat > 1 {
		return runJob{}, badRequest(`"trace_file" needs "repeat" 1: tracing would distort the timing`)
	}
	if len(job.engines) == 0 {
		job.engines = []string{EngineInterp}
	}
	return job, h.checkEngines(job.engines)
}

// instructionLimits are solana.DefaultLimits within this server's: the
// accounts' data at most MaxAccountData in all (and per account), compute
// units at most MaxBudget, instruction data at most the body.
func (h *Handler) instructionLimits() solana.Limits {
	lim := solana.DefaultLimits
	lim.MaxTotalData = h.cfg.MaxAccountData
	lim.MaxAccountData = min(lim.MaxAccountData, h.cfg.MaxAccountData)
	lim.MaxComputeUnits = min(lim.MaxComputeUnits, h.cfg.MaxBudget)
	lim.MaxInstruction = int(min(int64(lim.MaxInstruction), h.cfg.MaxBodyBytes))
	return lim
}

// parseInstruction reads the request's instruction document, nil when it
// has none. solana.Parse checks every size against the limits before it
// decodes or allocates; a bad document is a 400 naming the field by its
// path from the request's root ("instruction.accounts[0].pubkey: ...").
func (h *Handler) parseInstruction(doc json.RawMessage) (*solana.Instruction, error) {
	if len(doc) == 0 || string(doc) == "null" {
		return nil, nil
	}
	ix, err := solana.Parse(doc, h.instructionLimits())
	if err != nil {
		var fe *solana.FieldError
		if errors.As(err, &fe) {
			return nil, badRequest("instruction.%s", fe.Error())
		}
		return nil, badRequest("%v", err)
	}
	return ix, nil
}

// clashesWithInstruction reports whether the request sets what the runtime
// decides for a run with an instruction (runspec refuses the combination;
// its message is answered as a 400, see runEngine).
func (job runJob) clashesWithInstruction() bool {
	return job.ix != nil && (job.input != nil || job.heap != 0 || job.budgetSet || len(job.binds) > 0)
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
