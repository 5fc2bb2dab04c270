//go:build linux && amd64

package jit

import (
	gocontext "context" // the package has a type named context
	"errors"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

var errStop = errors.New("stop")

// stopOnCall is an interrupt hook that returns errStop from its n-th call
// on, and counts its calls.
func stopOnCall(n int, calls *int) func() error {
	return func() error {
		*calls++
		if *calls >= n {
			return errStop
		}
		return nil
	}
}

func interruptExe(t *testing.T, src string, meter, trace bool) *vm.Executable {
	t.Helper()
	text, err := asm.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionMeter = meter
	cfg.EnableInstructionTracing = trace
	exe, err := vm.FromText(text, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := exe.Syscalls.RegisterByHash(9, vm.BpfGatherBytes); err != nil {
		t.Fatal(err)
	}
	return exe
}

// runInterruptible compiles exe, runs it with the hook, closes the program
// and checks that its code was unmapped.
func runInterruptible(t *testing.T, exe *vm.Executable, budget uint64, hook func() error) vm.Result {
	t.Helper()
	p, err := Compile(exe, Options{ConstantBlinding: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := vm.New(exe, vm.RunOptions{Budget: budget})
	if err != nil {
		t.Fatal(err)
	}
	res := p.RunVMInterruptible(m, hook)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if p.mem != nil || p.active != 0 {
		t.Errorf("after an interrupted run and Close: code still mapped (%d runs active)", p.active)
	}
	return res
}

func checkInterrupted(t *testing.T, res vm.Result, cause error) {
	t.Helper()
	if !errors.Is(res.Err, ErrInterrupted) || !errors.Is(res.Err, cause) {
		t.Fatalf("error %v, want one wrapping ErrInterrupted and %v", res.Err, cause)
	}
	var e *vm.Error
	if errors.As(res.Err, &e) {
		t.Errorf("an interruption is not an rbpf error: %v", res.Err)
	}
}

// TestInterruptBetweenSlices stops an endless loop at its second slice
// boundary, meter on and off: exactly two slices ran, and the counts say so.
func TestInterruptBetweenSlices(t *testing.T) {
	for _, meter := range []bool{false, true} {
		calls := 0
		res := runInterruptible(t, interruptExe(t, "ja -1", meter, false), 1<<40, stopOnCall(3, &calls))
		checkInterrupted(t, res, errStop)
		if res.Err.Error() != "jit: run interrupted: stop" {
			t.Errorf("error text %q", res.Err)
		}
		if calls != 3 || res.Executed != 2*sliceBudget {
			t.Errorf("meter %v: %d hook calls, %d instructions executed; want 3 and %d", meter, calls, res.Executed, 2*sliceBudget)
		}
		want := uint64(0)
		if meter {
			want = 2 * sliceBudget
		}
		if res.InstructionCount != want {
			t.Errorf("meter %v: instruction count %d, want %d", meter, res.InstructionCount, want)
		}
	}
}

// TestInterruptBeforeStart: a hook that fails at once runs nothing.
func TestInterruptBeforeStart(t *testing.T) {
	calls := 0
	res := runInterruptible(t, interruptExe(t, "mov r0, 1\nexit", true, false), 100, stopOnCall(1, &calls))
	checkInterrupted(t, res, errStop)
	if res.Executed != 0 || res.InstructionCount != 0 {
		t.Errorf("executed %d, counted %d", res.Executed, res.InstructionCount)
	}
}

// TestInterruptAfterSyscall stops a loop right after its third syscall:
// mov, call, then (ja, mov, call) twice.
func TestInterruptAfterSyscall(t *testing.T) {
	calls := 0
	exe := interruptExe(t, "mov r1, 1\ncall 9\nja -3", true, false)
	res := runInterruptible(t, exe, 1<<40, stopOnCall(4, &calls))
	checkInterrupted(t, res, errStop)
	if res.Executed != 8 || res.InstructionCount != 8 {
		t.Errorf("executed %d, counted %d; want 8 (three syscalls)", res.Executed, res.InstructionCount)
	}
}

// TestInterruptAtTraceFlush: with tracing, the code returns whenever its
// trace buffer is full; an interruption there keeps a trace of exactly the
// instructions that ran.
func TestInterruptAtTraceFlush(t *testing.T) {
	calls := 0
	res := runInterruptible(t, interruptExe(t, "ja -1", true, true), 1<<40, stopOnCall(2, &calls))
	checkInterrupted(t, res, errStop)
	if res.Trace == nil {
		t.Fatal("no trace")
	}
	if res.Executed != traceBufferEntries || len(res.Trace.Log) != traceBufferEntries || res.InstructionCount != traceBufferEntries {
		t.Errorf("executed %d, counted %d, traced %d; want %d each", res.Executed, res.InstructionCount, len(res.Trace.Log), traceBufferEntries)
	}
}

// TestInterruptByContext bounds an endless loop without a meter by a
// context's deadline. The bound checked is loose (machines are loaded);
// without the hook the loop never ends.
func TestInterruptByContext(t *testing.T) {
	ctx, cancel := gocontext.WithTimeout(gocontext.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := runInterruptible(t, interruptExe(t, "ja -1", false, false), 0, ctx.Err)
	took := time.Since(start)
	checkInterrupted(t, res, gocontext.DeadlineExceeded)
	if took > 10*time.Second {
		t.Errorf("stopped after %v", took)
	}
	t.Logf("stopped after %v, %d instructions", took, res.Executed)
}
