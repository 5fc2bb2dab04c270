package ui

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
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

// DebugState is the debugger: one VM over the current program, stepped by
// the page, with per-instruction execution counts for the heat margin.
type DebugState struct {
	InputHex string // the input bytes as hex
	Budget   string // the instruction meter's budget
	Err      string // why the VM could not be made

	Breakpoints map[int]bool
	Cursor      int // the instruction "run to cursor" runs to; -1 when none

	Running bool
	stop    bool
	Status  string // what the last action did

	MemRegion string // which region the memory viewer shows

	vm       *vm.VM
	gen      int // counts VMs made, so a run can tell its VM was replaced
	exe      *vm.Executable
	input    []byte
	budget   uint64
	counts   []uint64
	prevRegs [11]uint64
	log      strings.Builder
}

// logWriter collects what syscalls print.
type logWriter struct{ b *strings.Builder }

func (w logWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

// DefaultBudget is the debugger's starting instruction budget.
const DefaultBudget = 1_000_000

// playgroundSyscalls are the syscalls programs in the playground may call:
// rbpf's test registry (log, log_64, time at 5, trace_printf at 6) plus
// bpf_mem_frob and the other helpers under their names.
func playgroundSyscalls() *vm.SyscallRegistry {
	r := vm.DefaultSyscalls()
	for _, name := range vm.SyscallFuncNames() {
		f, _ := vm.LookupSyscallFunc(name)
		_ = r.RegisterByName(name, f) // names already present keep their entry
	}
	return r
}

// syscallNames maps the hashes of the playground's syscalls to names.
func syscallNames() map[uint32]string {
	m := map[uint32]string{}
	for _, e := range playgroundSyscalls().Entries() {
		if e.Func != nil {
			m[e.Hash] = e.Func.Name
		}
	}
	return m
}

// DebugReset makes a fresh VM over the current program with the current
// input and budget.
func (a *App) DebugReset() {
	defer a.Recover("reset")
	a.debugReset()
	if a.Debug.Err == "" {
		a.Debug.Status = "ready at the entrypoint"
	}
}

func (a *App) debugReset() {
	d := &a.Debug
	d.gen++
	d.vm, d.exe, d.Err, d.stop, d.Running = nil, nil, "", false, false
	d.log.Reset()
	if d.Breakpoints == nil {
		d.Breakpoints = map[int]bool{}
	}
	if a.Prog == nil || a.Prog.Prog == nil {
		d.Err = "Load a program that the loader accepts first."
		return
	}
	in, err := hex.DecodeString(strings.Join(strings.Fields(d.InputHex), ""))
	if err != nil {
		d.Err = "input: not hex bytes (" + err.Error() + ")"
		return
	}
	budget, err := strconv.ParseUint(strings.ReplaceAll(strings.TrimSpace(d.Budget), "_", ""), 0, 64)
	if err != nil {
		d.Err = fmt.Sprintf("budget: %q is not a number", d.Budget)
		return
	}
	prog := a.Prog.Prog
	if err := verifier.Check(prog.Text); err != nil {
		// rbpf wraps verifier errors as "VerifierError"; show the detail.
		var ve *verifier.Error
		if errors.As(err, &ve) {
			err = ve
		}
		d.Err = "the verifier rejects this program: " + err.Error()
		return
	}
	d.exe = &vm.Executable{Config: vm.DefaultConfig(), Program: prog, Syscalls: playgroundSyscalls()}
	d.input, d.budget = in, budget
	d.vm, err = vm.New(d.exe, vm.RunOptions{Input: append([]byte(nil), in...), Budget: budget, Log: logWriter{&d.log}})
	if err != nil {
		d.Err = err.Error()
		d.vm = nil
		return
	}
	d.counts = make([]uint64, len(prog.Text)/ebpf.InsnSize)
	d.prevRegs = d.vm.Registers()
}

// ensureVM makes a VM if there is none.
func (a *App) ensureVM() bool {
	if a.Debug.vm == nil {
		a.debugReset()
	}
	return a.Debug.vm != nil
}

// stepOne executes one instruction, counting it for the heat margin.
func (d *DebugState) stepOne() {
	if pc := d.vm.PC(); pc >= 0 && pc < len(d.counts) {
		d.counts[pc]++
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
	d.Status = fmt.Sprintf("stepped to instruction %d", d.vm.PC())
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
			d.Status = fmt.Sprintf("%s: stopped at instruction %d after %s", what, d.vm.PC(), count(uint64(n), "instruction"))
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

// afterStop updates what depends on the VM's new position.
func (a *App) afterStop() {
	d := &a.Debug
	a.ScrollTo = fmt.Sprintf("pc-%d", d.vm.PC())
	if d.vm.Done() {
		r := d.vm.Result()
		if r.Err != nil {
			d.Status = "error: " + r.Err.Error()
		} else {
			d.Status = fmt.Sprintf("exited: r0 = %d (0x%x), %s", r.Value, r.Value, count(r.InstructionCount, "instruction"))
		}
	}
	a.Permalink()
}
