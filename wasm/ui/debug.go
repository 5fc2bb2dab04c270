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
// the page, with per-instruction execution counts for the heat margin.
type DebugState struct {
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

// SetMode switches between runtime and bare runs.
func (a *App) SetMode(m string) {
	defer a.Recover("run mode")
	if m != modeRuntime && m != modeBare || m == a.Debug.Mode {
		return
	}
	a.Debug.Mode = m
	a.invalidateRun("run mode changed: the next step starts a new run")
	a.Permalink()
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
func (a *App) SetVerify(on bool) {
	defer a.Recover("verify")
	a.Debug.Verify = on
	a.invalidateRun("verifier setting changed: the next step starts a new run")
}

// RunAnyway starts the run the verifier refused, without the verifier.
func (a *App) RunAnyway() {
	defer a.Recover("run anyway")
	a.Debug.anyway = true
	a.debugReset()
	if a.Debug.vm != nil {
		a.Debug.Status = "run anyway: the verifiers' rejection is overridden for this run"
		if a.View == "instruction" {
			a.runSliced("run", func(*DebugState, int) bool { return false })
		}
	}
}

// invalidateRun ends the current run; the next step or run starts anew.
func (a *App) invalidateRun(status string) {
	d := &a.Debug
	d.vm, d.Running, d.result, d.Rejected, d.anyway = nil, false, nil, false, false
	d.gen++
	d.Status = status
}

// DebugReset makes a fresh VM over the current program with the current
// instruction, or input and budget.
func (a *App) DebugReset() {
	defer a.Recover("reset")
	a.debugReset()
	if a.Debug.Err == "" {
		a.Debug.Status = "ready at the entrypoint"
	}
}

// runSpec is the run the page asks for, as runspec data, and a key that
// changes whenever the spec does.
func (a *App) runSpec() (*runspec.Spec, string, error) {
	d := &a.Debug
	s := &runspec.Spec{Kind: runspec.KindELF, Program: a.Prog.ELF, Verify: d.Verify && !d.anyway}
	key := fmt.Sprintf("verify=%v|anyway=%v|", s.Verify, d.anyway)
	if d.Runtime() {
		ix, err := a.Ix.Instruction()
		if err != nil {
			return nil, "", fmt.Errorf("instruction: %v", err)
		}
		s.Instruction, s.RunAnyway = ix, d.anyway
		return s, key + "runtime|" + string(a.Ix.Doc(false)), nil
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
func (a *App) build() (*runspec.Built, error) {
	d := &a.Debug
	s, key, err := a.runSpec()
	if err != nil {
		return nil, err
	}
	if d.built != nil && d.builtKey == key && d.builtFor == a.Prog {
		return d.built, nil
	}
	d.built, d.builtKey, d.builtFor = nil, "", nil
	b, err := buildSafely(s)
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
	d.built, d.builtKey, d.builtFor = b, key, a.Prog
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

func (a *App) debugReset() {
	d := &a.Debug
	d.gen++
	d.vm, d.exe, d.Err, d.stop, d.Running, d.result, d.Rejected = nil, nil, "", false, false, nil, false
	d.last, d.inputAcc = access{}, map[int]access{}
	d.log.Reset()
	if d.Breakpoints == nil {
		d.Breakpoints = map[int]bool{}
	}
	if a.Prog == nil || a.Prog.Prog == nil {
		d.Err = "Load a program that the loader accepts first."
		return
	}
	if d.Mode == "" {
		d.Mode = defaultMode(a.Prog)
	}
	b, err := a.build()
	if err != nil {
		d.Err = err.Error()
		return
	}
	if b == nil { // the loader's verifier refused the program: d.result says so
		d.Status = "the loader's verifier rejects this program, as Solana v1.6.9 would: InvalidAccountData"
		return
	}
	p := b.Prepare()
	p.Options.Log = logWriter{&d.log}
	m, err := vm.New(b.Exe, p.Options)
	if err != nil {
		d.Err = err.Error()
		return
	}
	d.vm, d.prep, d.exe, d.input, d.budget = m, p, b.Exe, b.Input, p.Options.Budget
	d.counts = make([]uint64, len(b.Exe.Program.Text)/ebpf.InsnSize)
	d.prevRegs = m.Registers()
}

// prepareRun makes the debugger's VM, at the entrypoint, right after the
// debugger has been drawn, in a browser turn of its own: the view opens
// without waiting for it, and the first step does not build the run.
func (a *App) prepareRun() {
	d := &a.Debug
	if a.Env == nil || a.Host == nil || d.vm != nil || d.Running || d.result != nil || a.Prog == nil || a.Prog.Prog == nil {
		return
	}
	gen := d.gen
	a.Go("preparing the run", func() {
		a.Host.Yield()
		a.Update("preparing the run", func() {
			if a.View != "debug" || d.vm != nil || d.Running || d.gen != gen {
				return
			}
			a.debugReset()
			if d.Err == "" && d.vm != nil {
				d.Status = "ready at the entrypoint"
				a.ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
			}
		})
	})
}

// ensureVM makes a VM if there is none.
func (a *App) ensureVM() bool {
	if a.Debug.vm == nil {
		a.debugReset()
	}
	return a.Debug.vm != nil
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
	d.vm.Step(1)
}

// DebugStep executes one instruction.
func (a *App) DebugStep() {
	defer a.Recover("step")
	if a.Debug.Running || !a.ensureVM() || a.Debug.vm.Done() {
		return
	}
	d := &a.Debug
	d.prevRegs = d.vm.Registers()
	d.stepOne()
	d.Status = "stepped to " + ebpf.PCRef(d.vm.PC())
	a.afterStop()
}

// DebugRun runs until a breakpoint, the end or Stop.
func (a *App) DebugRun() {
	defer a.Recover("run")
	a.runSliced("run", func(d *DebugState, n int) bool { return n > 0 && d.Breakpoints[d.vm.PC()] })
}

// DebugRunToCursor runs until the cursor's instruction.
func (a *App) DebugRunToCursor() {
	defer a.Recover("run to cursor")
	cur := a.Debug.Cursor
	a.runSliced("run to cursor", func(d *DebugState, n int) bool {
		return n > 0 && (d.vm.PC() == cur || d.Breakpoints[d.vm.PC()])
	})
}

// DebugStepOver runs a whole call: it stops at the instruction after the
// current one in the current frame.
func (a *App) DebugStepOver() {
	defer a.Recover("step over")
	if !a.ensureVM() {
		return
	}
	d := &a.Debug
	next, depth := d.vm.PC()+1, d.vm.CallFrames().Index()
	a.runSliced("step over", func(d *DebugState, n int) bool {
		return n > 0 && ((d.vm.PC() == next && d.vm.CallFrames().Index() <= depth) || d.Breakpoints[d.vm.PC()])
	})
}

// DebugBack goes back one instruction by replaying the run from the start
// to one instruction short of where it is: the VM is deterministic, so the
// replay reaches exactly the earlier state.
func (a *App) DebugBack() {
	defer a.Recover("step back")
	d := &a.Debug
	if d.Running || d.vm == nil || d.vm.Executed() == 0 {
		return
	}
	target := d.vm.Executed() - 1
	a.debugReset()
	if d.vm == nil {
		return
	}
	a.runSliced("step back", func(d *DebugState, _ int) bool { return d.vm.Executed() >= target })
}

// DebugStop stops a running program at the end of the current slice.
func (a *App) DebugStop() {
	defer a.Recover("stop")
	a.Debug.stop = true
}

// RunInstruction runs the program from the start to its end (breakpoints
// are for the debugger) and shows the outcome beside the instruction.
func (a *App) RunInstruction() {
	defer a.Recover("run")
	if a.Debug.Running {
		return
	}
	a.debugReset()
	a.runSliced("run", func(*DebugState, int) bool { return false })
}

// DebugInstruction opens the debugger at the entrypoint of a new run.
func (a *App) DebugInstruction() {
	defer a.Recover("debug")
	if a.Debug.Running {
		return
	}
	a.debugReset()
	if a.Debug.Err == "" {
		a.Debug.Status = "ready at the entrypoint"
		a.ScrollTo = fmt.Sprintf("pc-%d", a.Debug.vm.PC())
	}
	a.Show("debug")
}

// runSliced steps the VM until stopAt (given the steps done so far) or the
// end, in slices of sliceSteps with a browser turn between them. It runs in
// a goroutine when the page has an event environment, else inline (tests).
func (a *App) runSliced(what string, stopAt func(d *DebugState, n int) bool) {
	if a.Debug.Running || !a.ensureVM() || a.Debug.vm.Done() {
		return
	}
	d := &a.Debug
	d.Running, d.stop = true, false
	d.prevRegs = d.vm.Registers()
	n, gen := 0, d.gen
	// replaced reports that the VM this run started on is gone: a reset,
	// a new program or a changed input ended it.
	replaced := func() bool { return d.gen != gen || d.vm == nil }
	slice := func() (more bool) {
		var t0 float64
		if a.Host != nil {
			t0 = a.Host.Now()
		}
		for i := 1; i <= sliceSteps; i++ {
			if replaced() || d.vm.Done() || d.stop || stopAt(d, n) {
				return false
			}
			d.stepOne()
			n++
			if i%4096 == 0 && a.Host != nil && a.Host.Now()-t0 > sliceMillis {
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
		}
		a.afterStop()
	}
	if a.Env == nil {
		for slice() {
		}
		finish()
		return
	}
	a.Go(what, func() {
		for {
			more := true
			a.Update(what, func() {
				more = slice()
				if !more {
					finish()
				}
			})
			if !more {
				return
			}
			a.Host.Yield()
		}
	})
}

// afterStop updates what depends on the VM's new position: the listing's
// scroll target, the memory viewer, and at the end the result document.
func (a *App) afterStop() {
	d := &a.Debug
	a.ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
	a.followAccess()
	if d.vm.Done() {
		if d.result == nil && d.built != nil {
			r := d.built.Finish("interp", d.prep, d.vm.Result())
			d.result = &r
		}
		r := d.vm.Result()
		if r.Err != nil {
			d.Status = "error: " + r.Err.Error()
		} else {
			d.Status = fmt.Sprintf("exited: r0 = %d (0x%x), %s", r.Value, r.Value, count(r.InstructionCount, "instruction"))
		}
		if d.result != nil && d.result.Outcome != nil {
			d.Status += " · " + d.result.Summary()
		}
	}
	a.Permalink()
}
