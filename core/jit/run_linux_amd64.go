//go:build linux && amd64

package jit

import (
	"errors"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/exitcode"
	"runtime"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Supported reports whether compiled code can run here; only linux/amd64
// has an executor.
func Supported() bool { return true }

// traceBufferEntries bounds the trace entries the generated code writes
// before Go moves them to the tracer.
const traceBufferEntries = 1024

// sliceBudget caps the budget given to the generated code at a time.
// Generated code cannot be preempted, so a long run (or one without a
// meter) returns to Go after this many instructions, lets the scheduler
// and the garbage collector in, and continues.
const sliceBudget = 1 << 22

// acquire maps the code on first use, counts one more run in progress and
// returns the code's address. Every acquire is paired with a release.
func (p *Program) acquire() (uintptr, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 0, errors.New("jit: program is closed")
	}
	if p.mem == nil {
		mem, err := mapExecutable(p.Code)
		if err != nil {
			return 0, err
		}
		p.mem = mem
		p.cleanup = runtime.AddCleanup(p, func(m []byte) { _ = unmapExecutable(m) }, mem)
	}
	p.active++
	return uintptr(unsafe.Pointer(&p.mem[0])), nil
}

// release ends a run; the last run of a closed program unmaps the code.
func (p *Program) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active--
	if p.closed && p.active == 0 {
		p.unmapLocked()
	}
}

// Close unmaps the machine code once the runs in progress have ended.
// Running the program afterwards fails.
func (p *Program) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.active == 0 {
		return p.unmapLocked()
	}
	return nil
}

func (p *Program) unmapLocked() error {
	if p.mem == nil {
		return nil
	}
	p.cleanup.Stop()
	mem := p.mem
	p.mem = nil
	return unmapExecutable(mem)
}

// RunVM runs the compiled code on m, a VM made by vm.New for the program's
// executable and not yet run (or reset with VM.Reset), and returns the
// result the interpreter would.
func (p *Program) RunVM(m *vm.VM) vm.Result { return p.RunVMInterruptible(m, nil) }

// RunVMInterruptible is RunVM with an interrupt hook. The machine code is
// never stopped mid-instruction: interrupt, when not nil, is called before
// the code is entered and each time it returns to Go and would be
// re-entered, which is after every budget slice (sliceBudget instructions,
// with the meter on or off), every syscall and every trace flush. When it
// returns an error, the run ends there with an error wrapping both
// ErrInterrupted and that error (a context's Err method fits), and the
// instruction counts of what ran. A run is thus interrupted within one
// slice, a few milliseconds of machine code, plus one syscall.
func (p *Program) RunVMInterruptible(m *vm.VM, interrupt func() error) vm.Result {
	if m.Executable() != p.exe {
		return m.Native().Complete(0, errors.New("jit: the VM was built for another executable"), 0, 0)
	}
	if !p.watch && len(m.Watches()) > 0 {
		return m.Native().Complete(0, errors.New("jit: the VM has watchpoints; compile the program with Options.Watch"), 0, 0)
	}
	base, err := p.acquire()
	if err != nil {
		return m.Native().Complete(0, err, 0, 0)
	}
	defer p.release()
	r := newRun(p, m)
	pc := m.PC()
	if pc < 0 || pc >= p.Slots {
		return r.finish(0, r.n.Fault(vm.ExecutionOverrun, pc, 0))
	}
	r.ctx.resume = uint64(base) + uint64(p.PCOffsets[pc])
	for {
		if interrupt != nil {
			if err := interrupt(); err != nil {
				return r.interrupt(err)
			}
		}
		r.toGuarded()
		enter(unsafe.Pointer(&r.ctx.regs), base+uintptr(p.entry))
		r.fromGuarded()
		if r.handleExit() {
			runtime.KeepAlive(r)
			runtime.KeepAlive(p)
			return r.result
		}
	}
}

// run is the Go side of one execution.
type run struct {
	p          *Program
	m          *vm.VM
	n          vm.Native // m's hooks for this engine
	ctx        *context
	frames     []uint64
	descs      []regionDesc
	frameDescs []regionDesc
	trace      []vm.TraceEntry
	meterOn    bool
	startRem   uint64   // ctx.rem when counting restarted (start, syscall, pause)
	capped     bool     // the budget given is a slice, not the meter's limit
	settled    uint64   // instructions settled by syscalls
	sysIndex   []int    // VM syscall index by the program's ordinal, -1 until resolved
	watchPairs []uint64 // the watch lists' {start, span} pairs (watch_linux_amd64.go)
	result     vm.Result
	guarded    []guardedRegion // jitguard builds only
}

func newRun(p *Program, m *vm.VM) *run {
	cfg := p.exe.Config
	r := &run{p: p, m: m, n: m.Native(), ctx: new(context), meterOn: m.Meter().Enabled}
	r.ctx.regs = m.Registers()
	r.frames = make([]uint64, cfg.MaxCallDepth*frameWords)
	r.ctx.frames = uintptr(unsafe.Pointer(&r.frames[0]))
	r.ctx.frame = r.ctx.frames
	r.ctx.frameLimit = uintptr(unsafe.Pointer(&r.frames[(cfg.MaxCallDepth-1)*frameWords]))
	regions := r.guardRegions(m.Mapping().Regions())
	r.setRegions(regions)
	r.setFastPaths(cfg, regions)
	r.fillFrames(stackTops(cfg, m.CallFrames()))
	if p.watch {
		r.setWatches(m.Watches())
	}
	if m.Tracer() != nil {
		r.trace = make([]vm.TraceEntry, traceBufferEntries)
		r.resetTrace()
	}
	r.restartMeter(r.n.MeterRemaining())
	r.sysIndex = make([]int, len(p.syscalls))
	for i := range r.sysIndex {
		r.sysIndex[i] = -1
	}
	return r
}

// stackTops lists r10 for every frame index: the frame's start plus the
// gap size, as the interpreter's call frames compute it.
func stackTops(cfg vm.Config, f *vm.CallFrames) []uint64 {
	shift := f.Region().GapShift
	tops := make([]uint64, f.Depth())
	for i := range tops {
		tops[i] = ebpf.MMStackStart + uint64(i)*2*uint64(cfg.StackFrameSize) + uint64(1)<<shift
	}
	return tops
}

// fillFrames writes the per-frame constants of the call frame records.
func (r *run) fillFrames(tops []uint64) {
	for i := range tops {
		rec := r.frames[i*frameWords:]
		rec[frameCallerTop] = tops[i]
		rec[frameCallerDesc] = uint64(uintptr(unsafe.Pointer(&r.frameDescs[i])))
		if i+1 < len(tops) {
			rec[frameCalleeTop] = tops[i+1]
			rec[frameCalleeDesc] = uint64(uintptr(unsafe.Pointer(&r.frameDescs[i+1])))
		}
	}
}

// restartMeter gives the generated code the budget the meter allows now,
// at most sliceBudget. A budget of 0 still lets one instruction run: the
// interpreter only checks the meter after an instruction.
func (r *run) restartMeter(remaining uint64) {
	rem := uint64(sliceBudget)
	r.capped = true
	if r.meterOn && remaining <= sliceBudget {
		rem = max(remaining, 1)
		r.capped = false
	}
	r.ctx.rem = rem
	r.startRem = rem
}

// pause settles the instructions of a budget slice that ran out without
// exhausting the meter and starts the next slice; the code resumes where
// it stopped.
func (r *run) pause() {
	last := r.sinceRestart()
	r.settled += last
	if r.meterOn {
		r.n.ConsumeMeter(last)
	}
	r.restartMeter(r.n.MeterRemaining())
	runtime.Gosched()
}

// sinceRestart is the number of instructions executed since the meter was
// last restarted.
func (r *run) sinceRestart() uint64 { return r.startRem - r.ctx.rem }

func (r *run) resetTrace() {
	r.ctx.traceCur = uintptr(unsafe.Pointer(&r.trace[0]))
	r.ctx.traceEnd = r.ctx.traceCur + uintptr(len(r.trace))*unsafe.Sizeof(r.trace[0])
}

// flushTrace moves the recorded entries to the VM's tracer, keeping at
// most the VM's MaxTraceEntries in all and marking the trace truncated
// when it drops any, as the interpreter does.
func (r *run) flushTrace() {
	if r.trace == nil {
		return
	}
	n := int(r.ctx.traceCur-uintptr(unsafe.Pointer(&r.trace[0]))) / int(unsafe.Sizeof(r.trace[0]))
	t := r.m.Tracer()
	if limit := r.n.MaxTraceEntries(); limit > 0 && len(t.Log)+n > limit {
		n = max(0, limit-len(t.Log))
		t.Truncated = true
	}
	t.Log = append(t.Log, r.trace[:n]...)
	r.resetTrace()
}

// finish settles the meter as the interpreter does at the end of a run and
// records the outcome in the VM.
func (r *run) finish(value uint64, err error) vm.Result {
	r.releaseGuarded()
	r.flushTrace()
	last := r.sinceRestart()
	var count uint64
	if r.meterOn {
		r.n.ConsumeMeter(last)
		count = r.m.Meter().Initial - r.n.MeterRemaining()
	}
	return r.n.Complete(value, err, count, r.settled+last)
}

// interrupt ends the run where the code returned to Go (or before it
// started: the exit code is still 0). At a trace flush, the instruction
// about to be traced has been charged but has not run: it is given back, so
// that the counts are those of the instructions that ran.
func (r *run) interrupt(cause error) vm.Result {
	if r.ctx.exitCode == exitTraceFull {
		r.ctx.rem++
	}
	return r.finish(0, interrupted(cause))
}

// handleExit acts on the exit code the generated code left. It reports
// true when the run is over, with the outcome in r.result.
func (r *run) handleExit() bool {
	c := r.ctx
	if c.watchPending != 0 {
		if done, resume := r.watchHit(); done || resume {
			return done
		}
	}
	pc := int(int64(c.exitPC))
	switch c.exitCode {
	case exitSyscall:
		err := r.syscall(pc, int(c.exitArg))
		if err == nil {
			return false
		}
		r.result = r.finish(0, err)
	case exitTraceFull:
		r.flushTrace()
		return false
	case exitReturn:
		r.result = r.finish(c.regs[0], nil)
	case exitTrip:
		if r.capped {
			r.pause()
			return false
		}
		c.rem = 0 // the instructions up to the tripping one all ran
		r.result = r.finish(0, r.n.Fault(vm.ExceededMaxInstructions, pc, 0))
	default:
		r.result = r.finish(0, r.exitError(pc))
	}
	return true
}

// syscall runs the syscall the code stopped at, settling the meter first
// as the interpreter does, and prepares the resumption.
func (r *run) syscall(pc int, ordinal int) error {
	last := r.sinceRestart()
	r.settled += last
	if r.meterOn {
		r.n.ConsumeMeter(last)
	}
	i := r.sysIndex[ordinal]
	if i < 0 {
		var ok bool
		if i, ok = r.n.SyscallIndex(r.p.syscalls[ordinal]); !ok {
			return errors.New("jit: internal error: syscall missing from the VM")
		}
		r.sysIndex[ordinal] = i
	}
	c := r.ctx
	v, err := r.n.CallSyscall(i, c.regs[1], c.regs[2], c.regs[3], c.regs[4], c.regs[5])
	r.restartMeter(r.n.MeterRemaining())
	if err != nil {
		return err
	}
	c.regs[0] = v
	if r.meterOn && r.n.MeterRemaining() == 0 {
		return r.n.Fault(vm.ExceededMaxInstructions, pc, 0)
	}
	return nil
}

// exitError builds the error the exit code stands for, exactly as the
// interpreter reports it.
func (r *run) exitError(pc int) error {
	return exitcode.Error(int(r.ctx.exitCode), r.n, r.p.exe, pc, r.ctx.exitArg)
}
