package jit

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func accessProgram(t testing.TB, n int) *vm.Executable {
	t.Helper()
	exe, err := vm.FromText(repeatedText(ebpf.Insn{Opc: ebpf.LdDWReg, Src: 10, Off: -8}, n), vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestMaxSlots(t *testing.T) {
	exe := accessProgram(t, 999) // 1000 slots with the exit
	if _, err := Compile(exe, Options{MaxSlots: 1000}); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	_, err := Compile(exe, Options{MaxSlots: 999})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1000 instruction slots, the limit is 999") {
		t.Fatalf("over the limit: %v", err)
	}
}

// TestCompileInterrupt: the hook is consulted before compiling and every
// interruptEvery instructions, and its error ends the compilation.
func TestCompileInterrupt(t *testing.T) {
	exe := accessProgram(t, 5*interruptEvery)
	calls := 0
	if _, err := Compile(exe, Options{Interrupt: func() error { calls++; return nil }}); err != nil {
		t.Fatal(err)
	}
	if want := 1 + (5*interruptEvery+1)/interruptEvery; calls != want {
		t.Errorf("hook called %d times, want %d", calls, want)
	}
	stop := errors.New("deadline")
	calls = 0
	_, err := Compile(exe, Options{Interrupt: func() error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, stop) || calls != 3 {
		t.Fatalf("after %d calls: %v", calls, err)
	}
	if _, err := Compile(exe, Options{Interrupt: func() error { return stop }}); !errors.Is(err, stop) {
		t.Fatalf("refused at once: %v", err)
	}
}

// TestCompileMemory bounds the code and the memory compiling takes per
// instruction on the densest program (a memory access in every slot, each
// its own meter segment): 107 bytes of code and 850 bytes allocated before
// the slow paths were shared. Counted by the runtime, not timed.
func TestCompileMemory(t *testing.T) {
	const n = 50000
	exe := accessProgram(t, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, err := Compile(exe, Options{ConstantBlinding: true})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	code := float64(len(p.Code)) / n
	alloc := float64(after.TotalAlloc-before.TotalAlloc) / n
	t.Logf("%.1f bytes of code, %.1f bytes allocated per instruction", code, alloc)
	if code > 80 || alloc > 200 {
		t.Errorf("%.1f bytes of code, %.1f bytes allocated per instruction", code, alloc)
	}
}
