//go:build linux && amd64

package jit

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// longProgram runs ~10 million instructions through plain jumps, calls and
// callx into the middle of a segment, so that budget slices end at every
// kind of place.
const longProgram = `
	mov64 r6, 1000000
	lddw r7, 0x100000068
loop:
	add64 r0, 3
	call 1
	callx 7
	xor64 r0, 0x5
	sub64 r6, 1
	jne r6, 0, loop
	exit
fn:
	add64 r0, 1
	exit
	mov64 r1, 2
	add64 r0, r1
	exit`

func longExe(t *testing.T, meter bool) *vm.Executable {
	t.Helper()
	text, err := asm.Assemble(longProgram)
	if err != nil {
		t.Fatal(err)
	}
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionMeter = meter
	exe, err := vm.FromText(text, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	exe.RegisterFunction(1, 10)
	return exe
}

// TestLongRunsPause runs past several budget slices, with the meter off and
// with a large meter, and requires the interpreter's result and counts.
func TestLongRunsPause(t *testing.T) {
	for _, meter := range []bool{false, true} {
		exe := longExe(t, meter)
		for _, budget := range []uint64{1 << 40, 5_000_000, sliceBudget, sliceBudget + 1} {
			opts := vm.RunOptions{Budget: budget}
			want := vm.Interpreter{}.Run(exe, opts)
			got := Engine{}.Run(exe, opts)
			if progen.ErrText(want.Err) != progen.ErrText(got.Err) || want.Value != got.Value ||
				want.InstructionCount != got.InstructionCount || want.Executed != got.Executed {
				t.Errorf("meter %v budget %d: interpreter (%#x, %q, %d, %d), jit (%#x, %q, %d, %d)",
					meter, budget, want.Value, progen.ErrText(want.Err), want.InstructionCount, want.Executed,
					got.Value, progen.ErrText(got.Err), got.InstructionCount, got.Executed)
			}
			if want.Executed < 3*sliceBudget/2 && budget == 1<<40 {
				t.Errorf("program too short to span slices: %d", want.Executed)
			}
		}
	}
}

// TestGCDuringLongRun checks that a garbage collection started while the
// JIT runs a long program completes before the program does: the code
// returns to Go between budget slices.
func TestGCDuringLongRun(t *testing.T) {
	exe := longExe(t, false)
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var running atomic.Bool
	running.Store(true)
	done := make(chan bool)
	go func() {
		for i := 0; i < 20; i++ {
			p.run(vm.RunOptions{})
		}
		running.Store(false)
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	runtime.GC()
	if !running.Load() {
		t.Skip("the runs finished before the collection started")
	}
	<-done
}
