package conformance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// CompareWith runs every runnable case on a reference engine (the
// interpreter) and on engine, as upstream's test macro does for the
// interpreter and the JIT: both must give the same value or error text, the
// same instruction count when the meter is on, and traces that agree under
// CompareTraces. It checks agreement only; Run checks the expectations.
func CompareWith(t *testing.T, reference, engine vm.Engine, cases []Case) {
	t.Helper()
	for i := range cases {
		c := &cases[i]
		if c.Stage != StageRun {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			a := runOne(t, reference, c)
			b := runOne(t, engine, c)
			if err := agree(a.Result, b.Result, !c.Spec.NoMeter); err != nil {
				t.Errorf("%s: %s vs %s: %v", c.Name, reference.Name(), engine.Name(), err)
				logTrace(t, reference.Name(), a)
				logTrace(t, engine.Name(), b)
			}
		})
	}
}

// maxTraceLines bounds how much of a trace a failure prints.
const maxTraceLines = 200

// logTrace prints the head of an outcome's trace in rbpf's text format,
// as upstream's test macro does when the engines disagree.
func logTrace(t *testing.T, engine string, o Outcome) {
	t.Helper()
	if o.Result.Trace == nil {
		return
	}
	var b strings.Builder
	if err := o.Result.Trace.Write(&b, o.Text); err != nil {
		t.Logf("%s trace: %v", engine, err)
		return
	}
	lines := strings.SplitAfter(b.String(), "\n")
	if len(lines) > maxTraceLines {
		lines = append(lines[:maxTraceLines], fmt.Sprintf("... %d more lines\n", len(lines)-maxTraceLines))
	}
	t.Logf("%s trace:\n%s", engine, strings.Join(lines, ""))
}

// agree compares the results of a reference engine and another.
func agree(a, b vm.Result, meter bool) error {
	if errText(a.Err) != errText(b.Err) || (a.Err == nil && a.Value != b.Value) {
		return fmt.Errorf("results differ: (%#x, %q) vs (%#x, %q)", a.Value, errText(a.Err), b.Value, errText(b.Err))
	}
	if meter && a.InstructionCount != b.InstructionCount {
		return fmt.Errorf("instruction counts differ: %d vs %d", a.InstructionCount, b.InstructionCount)
	}
	if a.Trace != nil || b.Trace != nil {
		return CompareTraces(a.Trace, b.Trace)
	}
	return nil
}

// The set-up of upstream's execute_generated_program.
const (
	chaosInsns     = 6
	chaosBudget    = 1024
	chaosInputSize = 1024 * 1024
)

// ChaosPrograms makes n programs of the two kinds upstream's
// test_total_chaos runs: five random instructions and an exit; with masked
// set, every instruction's register, offset and immediate bytes are masked
// as upstream masks them (keeping register numbers below 8 and offsets and
// immediates small). The generator is seeded, so the programs are the same
// on every run, but they are not upstream's (its PRNG is rand 0.7's
// SmallRng).
func ChaosPrograms(seed uint64, n int, masked bool) [][]byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([][]byte, n)
	for i := range out {
		p := make([]byte, chaosInsns*ebpf.InsnSize)
		for j := 0; j < (chaosInsns-1)*ebpf.InsnSize; j++ {
			p[j] = byte(rng.Uint32())
		}
		p[(chaosInsns-1)*ebpf.InsnSize] = byte(ebpf.Exit)
		if masked {
			for k := 0; k < len(p); k += ebpf.InsnSize {
				p[k+1] &= 0x77
				p[k+2] = 0
				p[k+3] &= 0x77
				p[k+4] = 0
				p[k+5] &= 0x77
				p[k+6] &= 0x77
				p[k+7] &= 0x77
			}
		}
		out[i] = p
	}
	return out
}

// chaosInput is the zeroed input of every generated program's run; each
// run gets its own copy (runspec.Built.Prepare).
var chaosInput = make([]byte, chaosInputSize)

// CompareEngines runs prog on a reference engine and on engine the way
// upstream's execute_generated_program does: verifier on, tracing on, no
// syscalls, 1 MiB of zeroed input, a budget of 1024. ran is false when the
// verifier rejects the program (upstream then skips it). err describes a
// disagreement.
func CompareEngines(reference, engine vm.Engine, prog []byte) (ran bool, err error) {
	budget := uint64(chaosBudget)
	spec := runspec.Spec{Kind: runspec.KindBytes, Program: prog, Input: chaosInput, Budget: &budget,
		Verify: true, Trace: true, NoDefaultSyscalls: true}
	b, loadErr := spec.Build()
	if loadErr != nil {
		return false, nil
	}
	run := func(e vm.Engine) vm.Result {
		return e.Run(b.Exe, b.Prepare().Options)
	}
	return true, agree(run(reference), run(engine), b.Exe.Config.EnableInstructionMeter)
}
