package ui

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// sliceSteps bounds the instructions run between two turns of the
// browser's event loop, and sliceMillis the time: small enough to keep the
// page responsive, large enough that the turns cost little.
const (
	sliceSteps  = 2_000_000
	sliceMillis = 40
)

// The two ways the page runs a program. Both go through core/runspec, the
// run contract the CLI and the server share: a runtime run is `rbpf run
// --instruction`, a bare run is `rbpf run --input` with rbpf's helpers
// bound by name.
const (
	modeRuntime = "runtime" // as Solana v1.6.9 runs an entrypoint (core/solana)
	modeBare    = "bare"    // bare rbpf v0.2.8: input bytes, a budget, rbpf's test syscalls
)

// DebugState is the debugger: one VM over the current program, stepped by
// the page, with per-instruction execution counts for the heat margin. It
// also makes the Instruction panel's runs, from the instruction in ix.
type DebugState struct {
	hub   hub
	ix    *IxForm     // the instruction runtime runs execute
	trace *TraceState // the Recorded run view, which shows runs compared

	InputHex string // the input bytes of a bare run, as hex
	Budget   string // the instruction meter's budget of a bare run
	Err      string // why the VM could not be made

	// Mode is modeRuntime or modeBare; loading a program picks its
	// default (defaultMode).
	Mode string
	// Verify runs rbpf's verifier before each run, as `rbpf run --verify`
	// does. Off by default, as in the CLI.
	Verify bool
	// Rejected is set when the verifier refused the run Verify asked
	// for; the panel then offers "run anyway".
	Rejected bool
	// anyway runs the program although a verifier rejects it ("run
	// anyway", --run-anyway), until the run's spec changes.
	anyway bool

	Breakpoints map[int]bool
	Cursor      int // the instruction "run to cursor" runs to; -1 when none

	Running bool
	stop    bool
	Status  string // what the last action did

	MemRegion string // which region the memory viewer shows
	MemOff    int    // the memory viewer's first byte, from the region's start

	vm  *vm.VM
	gen int // counts VMs made, so a run can tell its VM was replaced
	// exe, input and budget are what the VM was made from (the pristine
	// input), for the speed comparison.
	exe    *vm.Executable
	input  []byte
	budget uint64

	built    *runspec.Built // the run's program, kept while its spec holds
	builtKey string         // what built was made from
	builtFor *Loaded
	prep     runspec.Prepared
	result   *runspec.Result // the run's result document, once it ended

	// Prof is the compute-unit profile of the run once it has ended.
	Prof ProfileState

	// W is the watchpoints (watch.go).
	W pageWatch
	// why is the recording of the run and the last "why" (why.go).
	why whyState

	counts   []uint64
	prevRegs [11]uint64
	last     access         // the last load or store of the input region
	inputAcc map[int]access // the latest input access of each instruction this run
	log      strings.Builder
}

// logWriter collects what syscalls print.
type logWriter struct{ b *strings.Builder }

func (w logWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

// DefaultBudget is the debugger's starting instruction budget.
const DefaultBudget = 1_000_000

// bareBindings are what a bare run binds beyond runspec's defaults (log,
// log_64, bpf_time_getns at 5, bpf_trace_printf at 6): each of rbpf's
// helpers under its own name, as `rbpf run --syscall NAME=NAME` binds it,
// so that a program may call bpf_mem_frob or bpf_str_cmp by name.
func bareBindings() []runspec.Binding {
	var out []runspec.Binding
	for _, name := range vm.SyscallFuncNames() {
		out = append(out, runspec.Binding{Key: name, Name: name})
	}
	return out
}

// playgroundSyscalls is the registry of a bare run, as runspec builds it.
var playgroundSyscalls = sync.OnceValue(func() *vm.SyscallRegistry {
	exit := []byte{byte(ebpf.Exit), 0, 0, 0, 0, 0, 0, 0}
	s := runspec.Spec{Kind: runspec.KindBytes, Program: exit, Syscalls: bareBindings()}
	b, err := s.Build()
	if err != nil {
		panic("the bare syscall bindings do not build: " + err.Error())
	}
	return b.Exe.Syscalls
})

// syscallNames maps the hashes of every syscall a run may have to its
// name, for the listing's notes: a bare run's and the runtime's.
var syscallNames = sync.OnceValue(func() map[uint32]string {
	m := map[uint32]string{}
	for _, e := range playgroundSyscalls().Entries() {
		if e.Func != nil {
			m[e.Hash] = e.Func.Name
		}
	}
	all := solana.AllFeatures()
	all.MemoryOpsSyscalls = true
	for _, name := range solana.SyscallNames(all) {
		m[ebpf.HashSymbolName([]byte(name))] = name
	}
	return m
})

// defaultMode is how a newly loaded program runs: a Solana program file
// as the runtime runs it; the examples and the editor's assembly, which
// call rbpf's test syscalls (log, log_64), on bare rbpf.
func defaultMode(p *Loaded) string {
	if p.Origin == "example" || p.Origin == "assembly" {
		return modeBare
	}
	return modeRuntime
}

// programLoaded starts over on newly loaded program p: its default run
// mode, no run, no breakpoints, no cursor.
func (d *DebugState) programLoaded(p *Loaded) {
	d.Mode = defaultMode(p)
	d.built, d.builtKey, d.builtFor, d.result, d.MemOff, d.anyway = nil, "", nil, nil, 0, false
	d.gen++
	d.vm, d.counts, d.Status, d.Err, d.Running = nil, nil, "", "", false
	d.Breakpoints, d.Cursor = map[int]bool{}, -1
	d.Prof.rec, d.Prof.prof = nil, nil // the last program's, with its memory
}

// SetMode switches between runtime and bare runs.
func (d *DebugState) SetMode(m string) {
	defer d.hub.Recover("run mode")
	if m != modeRuntime && m != modeBare || m == d.Mode {
		return
	}
	d.Mode = m
	d.invalidateRun("run mode changed: the next step starts a new run")
	d.hub.Permalink()
}

// Runtime reports whether runs go through the Solana runtime.
func (d *DebugState) Runtime() bool { return d.Mode == modeRuntime }

// ModeClass is the CSS class of the switch's button for mode m.
func (d *DebugState) ModeClass(m string) string {
	if d.Mode == m {
		return "seg active"
	}
	return "seg"
}

// SetVerify turns the verifier before each run on or off.
func (d *DebugState) SetVerify(on bool) {
	defer d.hub.Recover("verify")
	d.Verify = on
	d.invalidateRun("verifier setting changed: the next step starts a new run")
}

// RunAnyway starts the run the verifier refused, without the verifier.
func (d *DebugState) RunAnyway() {
	defer d.hub.Recover("run anyway")
	d.anyway = true
	d.reset()
	if d.vm != nil {
		d.Status = "run anyway: the verifiers' rejection is overridden for this run"
		if d.hub.screen().View == "instruction" {
			d.runSliced("run", func(*DebugState, int) bool { return false })
		}
	}
}

// invalidateRun ends the current run; the next step or run starts anew.
func (d *DebugState) invalidateRun(status string) {
	d.vm, d.Running, d.result, d.Rejected, d.anyway = nil, false, nil, false, false
	d.gen++
	d.Status = status
}

// Reset makes a fresh VM over the current program with the current
// instruction, or input and budget.
func (d *DebugState) Reset() {
	defer d.hub.Recover("reset")
	d.reset()
	if d.Err == "" {
		d.Status = "ready at the entrypoint"
	}
}

// runSpec is the run the page asks for of program p, as runspec data, and
// a key that changes whenever the spec does.
func (d *DebugState) runSpec(p *Loaded) (*runspec.Spec, string, error) {
	s := &runspec.Spec{Kind: runspec.KindELF, Program: p.ELF, Verify: d.Verify && !d.anyway}
	key := fmt.Sprintf("verify=%v|anyway=%v|", s.Verify, d.anyway)
	if d.Runtime() {
		ix, err := d.ix.Instruction()
		if err != nil {
			return nil, "", fmt.Errorf("instruction: %v", err)
		}
		s.Instruction, s.RunAnyway = ix, d.anyway
		return s, key + "runtime|" + string(d.ix.Doc(false)), nil
	}
	in, err := hex.DecodeString(strings.Join(strings.Fields(d.InputHex), ""))
	if err != nil {
		return nil, "", fmt.Errorf("input: not hex bytes (%v)", err)
	}
	budget, err := strconv.ParseUint(strings.ReplaceAll(strings.TrimSpace(d.Budget), "_", ""), 0, 64)
	if err != nil {
		return nil, "", fmt.Errorf("budget: %q is not a number", d.Budget)
	}
	s.Input, s.Budget, s.Syscalls = in, &budget, bareBindings()
	return s, key + fmt.Sprintf("bare|%x|%d", in, budget), nil
}

// build returns the Built of the current spec, building it only when the
// spec changed: stepping back makes a new VM every time.
func (d *DebugState) build(p *Loaded) (*runspec.Built, error) {
	b, err := d.cachedBuild(p)
	if err != nil {
		var rej *runspec.Rejected
		if errors.As(err, &rej) {
			// The loader refuses the program, as v1.6.9 would: that is
			// the run's outcome, InvalidAccountData.
			d.Rejected = true
			r := runspec.Failed("interp", err)
			d.result = &r
			return nil, nil
		}
		var ve *verifier.Error
		if errors.As(err, &ve) {
			d.Rejected = true
			return nil, fmt.Errorf("rbpf's verifier rejects this program: %v", ve)
		}
		return nil, err
	}
	return b, nil
}

// cachedBuild is the Built of the current spec, kept while the spec holds.
func (d *DebugState) cachedBuild(p *Loaded) (*runspec.Built, error) {
	s, key, err := d.runSpec(p)
	if err != nil {
		return nil, err
	}
	if d.built != nil && d.builtKey == key && d.builtFor == p {
		return d.built, nil
	}
	d.built, d.builtKey, d.builtFor = nil, "", nil
	b, err := buildSafely(s)
	if err != nil {
		return nil, err
	}
	d.built, d.builtKey, d.builtFor = b, key, p
	return b, nil
}

// buildSafely is Spec.Build with a panic reported as an error.
func buildSafely(s *runspec.Spec) (b *runspec.Built, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("the loader crashed on this file: %v", r)
		}
	}()
	return s.Build()
}

func (d *DebugState) reset() {
	d.gen++
	d.vm, d.exe, d.Err, d.stop, d.Running, d.result, d.Rejected = nil, nil, "", false, false, nil, false
	d.last, d.inputAcc = access{}, map[int]access{}
	d.log.Reset()
	if d.Breakpoints == nil {
		d.Breakpoints = map[int]bool{}
	}
	p := d.hub.program()
	if p == nil || p.Prog == nil {
		d.Err = "Load a program that the loader accepts first."
		return
	}
	if d.Mode == "" {
		d.Mode = defaultMode(p)
	}
	b, err := d.build(p)
	if err != nil {
		d.Err = err.Error()
		return
	}
	if b == nil { // the loader's verifier refused the program: d.result says so
		d.Status = "the loader's verifier rejects this program, as Solana v1.6.9 would: InvalidAccountData"
		return
	}
	pr := b.Prepare()
	pr.Options.Log = logWriter{&d.log}
	m, err := vm.New(b.Exe, pr.Options)
	if err != nil {
		d.Err = err.Error()
		return
	}
	d.vm, d.prep, d.exe, d.input, d.budget = m, pr, b.Exe, b.Input, pr.Options.Budget
	d.armWatches(m)
	d.Prof.newRun()
	d.newRunRecorded()
	d.counts = make([]uint64, len(b.Exe.Program.Text)/ebpf.InsnSize)
	d.prevRegs = m.Registers()
}

// prepare makes the debugger's VM, at the entrypoint, once the debugger
// has been painted, and then starts its recordings: the view opens
// without waiting for them, and the first step does not build the run.
func (d *DebugState) prepare() {
	p, h := d.hub.program(), d.hub.host()
	if !d.hub.live() || h == nil || d.vm != nil || d.Running || d.result != nil || p == nil || p.Prog == nil {
		return
	}
	gen := d.gen
	d.hub.Go("preparing the run", func() {
		h.AfterPaint()
		d.hub.Update("preparing the run", func() {
			if d.hub.screen().View != "debug" || d.vm != nil || d.Running || d.gen != gen {
				return
			}
			d.reset()
			if d.Err == "" && d.vm != nil {
				d.Status = "ready at the entrypoint"
				d.hub.screen().ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
			}
		})
		// The run's recordings, in a turn of their own: a click
		// meanwhile is handled first.
		gen := d.gen
		h.Yield()
		d.hub.Update("preparing the recording", func() {
			if d.gen == gen && !d.Running {
				d.startRecording()
			}
		})
	})
}

// ensureVM makes a VM if there is none.
func (d *DebugState) ensureVM() bool {
	if d.vm == nil {
		d.reset()
	}
	return d.vm != nil
}

// stepOne executes one instruction, counting it for the heat margin and
// noting what it loads or stores of the input region.
func (d *DebugState) stepOne() {
	pc := d.vm.PC()
	if pc >= 0 && pc < len(d.counts) {
		d.counts[pc]++
		if t := d.vm.Text(); isMemOp(ebpf.OpCode(t[pc*ebpf.InsnSize])) {
			acc, _ := accessAt(t, pc, d.vm.Registers())
			if off := acc.addr - ebpf.MMInputStart; acc.addr >= ebpf.MMInputStart && off < uint64(len(d.prep.InputRegion())) {
				d.last, d.inputAcc[pc] = acc, acc
			}
		}
	}
	d.stepRecorded()
	d.noteHit()
}

// Step executes one instruction.
func (d *DebugState) Step() {
	defer d.hub.Recover("step")
	if d.Running || !d.ensureVM() || d.vm.Done() {
		return
	}
	d.prevRegs = d.vm.Registers()
	d.stepOne()
	d.Status = "stepped to " + ebpf.PCRef(d.vm.PC())
	if hit := d.lastHitLine(); hit != "" {
		d.Status += " · " + hit
	}
	d.afterStop()
}

// Run runs until a breakpoint, the end or Stop.
func (d *DebugState) Run() {
	defer d.hub.Recover("run")
	d.runSliced("run", func(d *DebugState, n int) bool { return n > 0 && (d.Breakpoints[d.vm.PC()] || d.W.now) })
}

// RunToCursor runs until the cursor's instruction.
func (d *DebugState) RunToCursor() {
	defer d.hub.Recover("run to cursor")
	cur := d.Cursor
	d.runSliced("run to cursor", func(d *DebugState, n int) bool {
		return n > 0 && (d.vm.PC() == cur || d.Breakpoints[d.vm.PC()] || d.W.now)
	})
}

// StepOver runs a whole call: it stops at the instruction after the
// current one in the current frame.
func (d *DebugState) StepOver() {
	defer d.hub.Recover("step over")
	if !d.ensureVM() {
		return
	}
	next, depth := d.vm.PC()+1, d.vm.CallFrames().Index()
	d.runSliced("step over", func(d *DebugState, n int) bool {
		return n > 0 && ((d.vm.PC() == next && d.vm.CallFrames().Index() <= depth) || d.Breakpoints[d.vm.PC()] || d.W.now)
	})
}

// Back goes back one instruction by replaying the run from the start to
// one instruction short of where it is: the VM is deterministic, so the
// replay reaches exactly the earlier state.
func (d *DebugState) Back() {
	defer d.hub.Recover("step back")
	d.back(!d.hub.live())
}

// back is Back, replaying in one go when inline is set.
func (d *DebugState) back(inline bool) {
	if d.Running || d.vm == nil || d.vm.Executed() == 0 {
		return
	}
	d.replayTo(d.vm.Executed()-1, "step back", inline)
}

// replayTo replays the run from the start until target instructions
// have been executed.
func (d *DebugState) replayTo(target uint64, what string, inline bool) {
	d.reset()
	if d.vm == nil {
		return
	}
	d.run(what, func(d *DebugState, _ int) bool { return d.vm.Executed() >= target }, inline)
}

// Stop stops a running program at the end of the current slice.
func (d *DebugState) Stop() {
	defer d.hub.Recover("stop")
	d.stop = true
}

// RunInstruction runs the program from the start to its end (breakpoints
// are for the debugger) and shows the outcome beside the instruction.
func (d *DebugState) RunInstruction() {
	defer d.hub.Recover("run")
	if d.Running {
		return
	}
	d.reset()
	d.runSliced("run", func(*DebugState, int) bool { return false })
}

// FromEntrypoint opens the debugger at the entrypoint of a new run.
func (d *DebugState) FromEntrypoint() {
	defer d.hub.Recover("debug")
	if d.Running {
		return
	}
	d.reset()
	if d.Err == "" {
		d.Status = "ready at the entrypoint"
		d.hub.screen().ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
	}
	d.hub.Show("debug")
}

// runSliced steps the VM until stopAt (given the steps done so far) or the
// end, in slices of sliceSteps with a browser turn between them. It runs in
// a goroutine when the page has an event environment, else inline (tests).
func (d *DebugState) runSliced(what string, stopAt func(d *DebugState, n int) bool) {
	d.run(what, stopAt, !d.hub.live())
}

// run is runSliced, all in the calling goroutine when inline is set.
func (d *DebugState) run(what string, stopAt func(d *DebugState, n int) bool, inline bool) {
	if d.Running || !d.ensureVM() || d.vm.Done() {
		return
	}
	h := d.hub.host()
	d.Running, d.stop = true, false
	d.prevRegs = d.vm.Registers()
	n, gen := 0, d.gen
	// replaced reports that the VM this run started on is gone: a reset,
	// a new program or a changed input ended it.
	replaced := func() bool { return d.gen != gen || d.vm == nil }
	slice := func() (more bool) {
		var t0 float64
		if h != nil {
			t0 = h.Now()
		}
		for i := 1; i <= sliceSteps; i++ {
			if replaced() || d.vm.Done() || d.stop || stopAt(d, n) {
				return false
			}
			d.stepOne()
			n++
			if i%4096 == 0 && h != nil && h.Now()-t0 > sliceMillis {
				break
			}
		}
		return true
	}
	finish := func() {
		if replaced() {
			return
		}
		d.Running = false
		switch {
		case d.stop:
			d.Status = "stopped after " + count(uint64(n), "instruction")
		case !d.vm.Done():
			d.Status = fmt.Sprintf("%s: stopped at %s after %s", what, ebpf.PCRef(d.vm.PC()), count(uint64(n), "instruction"))
			if hit := d.lastHitLine(); hit != "" {
				d.Status += " · " + hit
			}
		}
		d.afterStop()
	}
	if inline {
		for slice() {
		}
		finish()
		return
	}
	d.hub.Go(what, func() {
		for {
			more := true
			d.hub.Update(what, func() {
				more = slice()
				if !more {
					finish()
				}
			})
			if !more {
				return
			}
			h.Yield()
		}
	})
}

// afterStop updates what depends on the VM's new position: the listing's
// scroll target, the memory viewer, and at the end the result document.
func (d *DebugState) afterStop() {
	d.hub.screen().ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
	d.followAccess()
	if d.vm.Done() {
		if d.result == nil && d.built != nil {
			r := d.built.Finish("interp", d.prep, d.vm.Result())
			d.result = &r
		}
		r := d.vm.Result()
		if r.Err != nil {
			d.Status = "error: " + r.Err.Error()
		} else {
			d.Status = fmt.Sprintf("exited: r0 = %d (0x%x), %s", r.Value, r.Value, executedLine(r.InstructionCount, r.Executed))
		}
		if d.result != nil && d.result.Outcome != nil {
			d.Status += " · " + d.result.Summary()
		}
		d.Prof.runEnded()
	}
	if d.why.rec != nil {
		// Index what the run recorded now, as part of the run, so that
		// the first question after it is answered at once.
		d.why.rec.Index()
	}
	d.hub.Permalink()
}
