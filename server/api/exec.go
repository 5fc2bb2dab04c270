package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// interpSlice is how many instructions the interpreter executes between two
// looks at the deadline: well under a millisecond of work.
const interpSlice = 1 << 16

// spec is the job as a runspec.Spec: the request document the CLI and the
// playground share. A run with an instruction gets a budget only when the
// request gave one (runspec then refuses it: the compute units are the
// instruction document's).
func (job runJob) spec() runspec.Spec {
	s := runspec.Spec{Input: job.input, Heap: job.heap, Trace: job.trace || job.traceFile, Verify: job.verify,
		Syscalls: job.binds, Instruction: job.ix}
	if job.ix == nil || job.budgetSet {
		budget := job.budget
		s.Budget = &budget
	}
	switch job.prog.kind {
	case "asm":
		s.Kind, s.Source = runspec.KindAsm, job.prog.source
	case "elf":
		s.Kind, s.Program = runspec.KindELF, job.prog.data
	default:
		s.Kind, s.Program = runspec.KindBytes, job.prog.data
	}
	return s
}

// outcome is one repetition: the run's result, its inputs (which
// built.Finish reads) and its durations.
type outcome struct {
	res                 vm.Result
	prep                runspec.Prepared
	load, compile, exec time.Duration
}

// runEngine loads, compiles (JIT) and runs job on one engine job.repeat
// times. The result is the first repetition's; the timing covers all that
// finished before the deadline (at least one, else the request fails with
// the time-limit error). Every repetition loads the program again, which is
// what the load timing measures (and the JIT compiles it again, for the
// compile timing), but all run the first load's executable, on one VM
// unless the run has an instruction, with the first compilation's code
// (see machine).
func (h *Handler) runEngine(ctx context.Context, engine string, job runJob) (EngineResult, error) {
	spec := job.spec()
	var (
		outs  []outcome
		built *runspec.Built
	)
	mc := machine{ctx: ctx, work: job.work}
	defer mc.close()
	for i := 0; i < job.repeat; i++ {
		if i > 0 && (ctx.Err() != nil || job.work.spent(0)) {
			break
		}
		var o outcome
		t0 := time.Now()
		b, err := spec.Build()
		o.load = time.Since(t0)
		if err != nil {
			if job.clashesWithInstruction() {
				return EngineResult{}, badRequest("%v", err) // runspec's refusal
			}
			return EngineResult{}, loadError(err)
		}
		if built == nil {
			if slices.Contains(job.engines, EngineJIT) {
				// Before any engine runs: the interpreter's run would
				// be wasted if the JIT then refused the program.
				if err := h.jitCompilable(ctx, b.Exe); err != nil {
					return EngineResult{}, err
				}
			}
			if err := guardSyscalls(ctx, job.work, b.Exe); err != nil {
				return EngineResult{}, fmt.Errorf("guarding syscalls: %w", err)
			}
			if b.Invocation != nil && b.Trace && b.Budget > h.cfg.MaxTraceInsns {
				return EngineResult{}, h.runtimeTraceLimit(b.Budget)
			}
			b.Trace = job.trace // the text only when asked; trace_file traces too
			built = b
		}
		if engine == EngineJIT {
			o, err = h.runJIT(ctx, built, o, &mc)
		} else {
			o, err = h.runInterp(ctx, built, o, job.work, &mc)
		}
		if err != nil {
			if i > 0 && errors.Is(err, errTimeLimit) {
				break
			}
			return EngineResult{}, err
		}
		if i > 0 {
			// Only the first run is reported: let the others' logs and
			// inputs go.
			o.res, o.prep = vm.Result{}, runspec.Prepared{}
		}
		outs = append(outs, o)
	}
	er := h.engineResult(engine, built, outs)
	if job.traceFile {
		var err error
		if er.TraceFile, err = traceFile(&spec, er.Result, outs[0].res.Trace); err != nil {
			return EngineResult{}, err
		}
	}
	return er, nil
}

// traceFile records a run as a trace file, base64.
func traceFile(spec *runspec.Spec, r runspec.Result, tr *vm.Tracer) (string, error) {
	f, err := tracefile.New(tracefile.Run{Spec: spec, Result: r, Trace: tr})
	if err != nil {
		return "", err
	}
	data, err := f.Bytes()
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

// machine is the VM the repetitions of one engine's run share. The first
// repetition builds it with vm.New; the others reset it (VM.Reset), which
// reuses its stack (80 KiB with the default configuration, allocated and
// zeroed by every vm.New), its decoded program and its memory mapping.
// Input and granted regions (the heap) are restored in place, the stack is
// cleared by Reset, so every repetition starts from the same state; syscall
// context objects are kept, as when rbpf runs one EbpfVm repeatedly, which
// only a stateful syscall could tell (and only the first repetition's result
// is reported). The JIT's code is likewise mapped once: the first
// repetition's compilation runs every repetition, sparing each an mmap,
// mprotect and munmap.
//
// A run with an instruction gets a new VM every repetition instead: its
// syscalls share per-run state (the log collector, the heap's bump
// allocator) that its Prepared holds and vm.New binds, and that a reset
// VM would carry from one repetition into the next.
type machine struct {
	// ctx and work guard a runtime run's own syscall objects, as
	// guardSyscalls guards the registry's (nil ctx: unguarded).
	ctx  context.Context
	work *allowance

	vm   *vm.VM           // the shared VM of a plain run
	prep runspec.Prepared // its run: the input region and granted regions
	prog *jit.Program     // the JIT's code, unmapped by close
}

// close releases the JIT's code.
func (mc *machine) close() {
	if mc.prog != nil {
		mc.prog.Close()
	}
}

// prepare returns the VM for the next run of built with budget, and that
// run's Prepared for built.Finish.
func (mc *machine) prepare(built *runspec.Built, budget uint64) (*vm.VM, runspec.Prepared, error) {
	if built.Invocation != nil {
		return mc.fresh(built, budget)
	}
	if mc.vm != nil {
		copy(mc.prep.Options.Input, built.Input)
		for _, r := range mc.prep.Options.Regions {
			clear(r.Host)
		}
		if err := mc.vm.Reset(mc.prep.Options.Input, budget); err != nil {
			return nil, mc.prep, err
		}
		return mc.vm, mc.prep, nil
	}
	m, p, err := mc.fresh(built, budget)
	if err == nil {
		mc.vm, mc.prep = m, p
	}
	return m, p, err
}

// fresh prepares a run of built and builds its VM. A runtime run's own
// syscall objects (Options.Bind) replace the registry's, so they are
// guarded here, and its input and heap, fresh copies every repetition, are
// charged to the work allowance at one instruction per 8 bytes, as a
// syscall's memory traffic is.
func (mc *machine) fresh(built *runspec.Built, budget uint64) (*vm.VM, runspec.Prepared, error) {
	p := built.Prepare()
	p.Options.Budget = budget
	if built.Invocation != nil {
		if mc.ctx != nil {
			guardBound(mc.ctx, mc.work, p.Options.Bind)
		}
		n := len(p.Options.Input)
		for _, r := range p.Options.Regions {
			n += len(r.Host)
		}
		mc.work.add(uint64(n) / 8)
	}
	m, err := vm.New(built.Exe, p.Options)
	return m, p, err
}

// engineResult is the first repetition's result document, as runspec
// makes it of that run, and the timing of all.
func (h *Handler) engineResult(engine string, built *runspec.Built, outs []outcome) EngineResult {
	first := outs[0]
	er := EngineResult{Result: built.Finish(engine, first.prep, first.res)}
	if er.Value != nil {
		hx := fmt.Sprintf("%#x", *er.Value)
		er.ResultHex = &hx
	}
	t := Timing{Repeat: len(outs)}
	pick := func(f func(outcome) time.Duration) Stat {
		ds := make([]time.Duration, len(outs))
		for i, o := range outs {
			ds[i] = f(o)
		}
		return stat(ds)
	}
	t.Load = pick(func(o outcome) time.Duration { return o.load })
	t.Run = pick(func(o outcome) time.Duration { return o.exec })
	if engine == EngineJIT {
		c := pick(func(o outcome) time.Duration { return o.compile })
		t.Compile = &c
	}
	if t.Run.MedianNS > 0 {
		ips := float64(first.res.Executed) / (float64(t.Run.MedianNS) / 1e9)
		t.InsnPerSec = &ips
	}
	er.Timing = t
	return er
}

func stat(ds []time.Duration) Stat {
	slices.Sort(ds)
	return Stat{MedianNS: int64(ds[len(ds)/2]), MinNS: int64(ds[0]), MaxNS: int64(ds[len(ds)-1])}
}

// errTimeLimit is wrapped by every time-limit error.
var errTimeLimit = errors.New("time limit")

func (h *Handler) timeLimit(engine string, executed uint64) error {
	msg := fmt.Sprintf("time limit: the %s run was stopped after %d instructions; this server allows %v of work per request",
		engine, executed, h.cfg.Timeout)
	if h.cfg.WorkRate > 0 {
		msg += fmt.Sprintf(", counted as %d instructions (a syscall as %d plus one per 8 bytes of memory it reads or writes) because its clock stands still while it computes", h.newAllowance().allow, syscallCost)
	}
	return &httpError{status: http.StatusUnprocessableEntity, msg: msg, wrapped: errTimeLimit}
}

// allowance is a request's instruction allowance under Config.WorkRate; a
// nil allowance allows everything.
type allowance struct{ allow, used uint64 }

func (h *Handler) newAllowance() *allowance {
	if h.cfg.WorkRate <= 0 {
		return nil
	}
	return &allowance{allow: uint64(h.cfg.WorkRate * h.cfg.Timeout.Seconds())}
}

// spent reports whether running reaches the allowance: running
// instructions of the current run on top of those already used.
func (a *allowance) spent(running uint64) bool { return a != nil && a.used+running >= a.allow }

func (a *allowance) add(n uint64) {
	if a != nil {
		a.used += n
	}
}

// traceBudget clips budget to the trace limit when tracing: a trace keeps
// every executed instruction. clipped reports whether it did. A runtime
// run's budget is its compute meter, which its syscalls read
// (sol_log_compute_units_) and charge: clipping it would change what the
// program sees, so it is never clipped, and runEngine refuses a traced
// runtime run whose compute units exceed the limit instead.
func (h *Handler) traceBudget(built *runspec.Built, budget uint64) (uint64, bool) {
	if built.Invocation == nil && built.Exe.Config.EnableInstructionTracing && budget > h.cfg.MaxTraceInsns {
		return h.cfg.MaxTraceInsns, true
	}
	return budget, false
}

func (h *Handler) runtimeTraceLimit(units uint64) error {
	return badRequest("trace limit: a traced run may execute at most %d instructions on this server, and a runtime run may use all of its %d compute units; set instruction.compute_units to at most %d or turn the trace off",
		h.cfg.MaxTraceInsns, units, h.cfg.MaxTraceInsns)
}

func (h *Handler) traceLimit() error {
	return badRequest("trace limit: a traced run may execute at most %d instructions on this server; lower the budget or turn the trace off", h.cfg.MaxTraceInsns)
}

// runInterp runs the interpreter in slices, looking at the deadline between
// them: an endless loop with a huge budget stops at the time limit.
func (h *Handler) runInterp(ctx context.Context, built *runspec.Built, o outcome, work *allowance, mc *machine) (outcome, error) {
	budget, clipped := h.traceBudget(built, built.Budget)
	t0 := time.Now()
	m, prep, err := mc.prepare(built, budget)
	o.prep = prep
	if err != nil {
		o.res, o.exec = vm.Result{Err: err}, time.Since(t0)
		return o, nil
	}
	for !m.Done() {
		if ctx.Err() != nil || work.spent(m.Executed()) {
			return o, h.timeLimit(EngineInterp, m.Executed())
		}
		m.Step(interpSlice)
	}
	work.add(m.Executed())
	o.exec = time.Since(t0)
	o.res = m.Result()
	if errors.Is(o.res.Err, errSyscallDeadline) {
		return o, h.timeLimit(EngineInterp, o.res.Executed)
	}
	if clipped && exceeded(o.res.Err) {
		return o, h.traceLimit()
	}
	return o, nil
}

// runJIT compiles with constant blinding and runs the code (the first
// repetition's compilation, see machine; runEngine unmaps it). The machine
// code cannot be stopped, but it returns to Go every few million
// instructions (and at every syscall), where the executor asks ctx whether
// to go on: a run past the deadline ends there with jit.ErrInterrupted,
// within milliseconds of it.
func (h *Handler) runJIT(ctx context.Context, built *runspec.Built, o outcome, mc *machine) (outcome, error) {
	t0 := time.Now()
	p, err := jit.Compile(built.Exe, h.jitOptions(ctx, true))
	o.compile = time.Since(t0)
	if err != nil {
		return o, h.compileError(err)
	}
	if mc.prog == nil {
		mc.prog = p
	} else {
		p.Close() // never mapped: compiled for the timing
		p = mc.prog
	}

	budget, clipped := h.traceBudget(built, built.Budget)
	t1 := time.Now()
	m, prep, err := mc.prepare(built, budget)
	o.prep = prep
	if err != nil {
		o.res, o.exec = vm.Result{Err: err}, time.Since(t1)
		return o, nil
	}
	o.res = p.RunVMInterruptible(m, ctx.Err)
	o.exec = time.Since(t1)
	if errors.Is(o.res.Err, jit.ErrInterrupted) || errors.Is(o.res.Err, errSyscallDeadline) {
		return o, h.timeLimit(EngineJIT, o.res.Executed)
	}
	if clipped && exceeded(o.res.Err) {
		return o, h.traceLimit()
	}
	return o, nil
}

// jitOptions are the compile options of every compilation: constant
// blinding (runs always blind), the slot limit, and the request's deadline
// consulted while emitting.
func (h *Handler) jitOptions(ctx context.Context, blinding bool) jit.Options {
	return jit.Options{ConstantBlinding: blinding, MaxSlots: h.cfg.MaxJITSlots, Interrupt: ctx.Err}
}

// jitCompilable refuses, with 413, a program larger than MaxJITSlots, and
// counts its compilation against MaxHeldBytes (503 past it).
func (h *Handler) jitCompilable(ctx context.Context, exe *vm.Executable) error {
	n := len(exe.Program.Text) / ebpf.InsnSize
	if n > h.cfg.MaxJITSlots {
		return httpErrorf(http.StatusRequestEntityTooLarge,
			"the program has %d instruction slots; this server's JIT compiles at most %d (the interpreter has no such limit)", n, h.cfg.MaxJITSlots)
	}
	return h.holdWork(ctx, int64(n)*JITBytesPerSlot)
}

// compileError reports a failed compilation: past the deadline it is the
// time limit (422), over the slot limit 413 (jitCompilable normally
// refuses first).
func (h *Handler) compileError(err error) error {
	switch {
	case errors.Is(err, jit.ErrInterrupted):
		return &httpError{status: http.StatusUnprocessableEntity, wrapped: errTimeLimit, msg: fmt.Sprintf(
			"time limit: the JIT's compilation was stopped; this server allows %v of work per request", h.cfg.Timeout)}
	case errors.Is(err, jit.ErrTooLarge):
		return httpErrorf(http.StatusRequestEntityTooLarge, "%v", err)
	}
	return fmt.Errorf("jit compile: %w", err)
}

// exceeded reports whether err is rbpf's ExceededMaxInstructions.
func exceeded(err error) bool {
	var e *vm.Error
	return errors.As(err, &e) && e.Kind == vm.ExceededMaxInstructions
}

// jitUnavailable explains why the JIT cannot run here; empty when it can.
func (h *Handler) jitUnavailable() string {
	switch {
	case h.cfg.DisableJIT && h.cfg.JITUnavailable != "":
		return h.cfg.JITUnavailable
	case h.cfg.DisableJIT:
		return "disabled by the server's configuration"
	case !jit.Supported():
		return "the JIT executes x86-64 machine code and runs only on linux/amd64"
	}
	return ""
}

// JITAvailable reports whether the jit engine runs on this handler.
func (h *Handler) JITAvailable() bool { return h.jitUnavailable() == "" }
