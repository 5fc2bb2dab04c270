//go:build linux && amd64

package jit

import (
	"sync"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestConcurrentRuns runs one compiled program from several goroutines at
// once, as a server does: each run has its own context and memory, so every
// result must equal the interpreter's.
func TestConcurrentRuns(t *testing.T) {
	text, err := asm.Assemble(`
		mov64 r6, 2000
		mov64 r7, 0
	loop:
		ldxb r2, [r1]
		add64 r7, r2
		stxdw [r10-8], r7
		ldxdw r7, [r10-8]
		mov64 r1, r1
		mov64 r2, 3
		call 9
		add64 r7, r0
		sub64 r6, 1
		jne r6, 0, loop
		mov64 r0, r7
		exit`)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := exe.Syscalls.RegisterByHash(9, vm.BpfGatherBytes); err != nil {
		t.Fatal(err)
	}
	p, err := Compile(exe, Options{ConstantBlinding: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				in := []byte{byte(g*50 + i)}
				want := vm.Interpreter{}.Run(exe, vm.RunOptions{Input: append([]byte(nil), in...), Budget: 1 << 20})
				got := p.run(vm.RunOptions{Input: in, Budget: 1 << 20})
				if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
					t.Errorf("goroutine %d run %d: %s", g, i, d)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// TestClosedProgram checks that a closed program refuses to run.
func TestClosedProgram(t *testing.T) {
	exe, err := vm.FromText([]byte{0x95, 0, 0, 0, 0, 0, 0, 0}, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := p.run(vm.RunOptions{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if r := p.run(vm.RunOptions{}); r.Err == nil {
		t.Fatal("a closed program ran")
	}
}

// TestCloseDuringRuns closes a program while runs are in progress: they
// must finish normally (the code stays mapped until the last one ends).
func TestCloseDuringRuns(t *testing.T) {
	exe := longExe(t, true)
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := vm.Interpreter{}.Run(exe, vm.RunOptions{Budget: 1 << 40})
	started := make(chan bool, 4)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := vm.New(exe, vm.RunOptions{Budget: 1 << 40})
			if err != nil {
				t.Error(err)
				return
			}
			started <- true
			got := p.RunVM(m)
			if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" && got.Err == nil {
				t.Errorf("run during Close: %s", d)
			}
		}()
	}
	<-started
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if r := p.run(vm.RunOptions{}); r.Err == nil {
		t.Fatal("ran after Close")
	}
}
