package vm

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

type stepCase struct {
	name   string
	src    string
	input  []byte
	budget uint64
	setup  func(*Executable)
}

var stepCases = []stepCase{
	{"loop", "mov64 r0, 0\nmov64 r1, 20\nadd64 r0, r1\nsub64 r1, 1\njne r1, 0, -3\nexit", nil, 1000, nil},
	{"meter exhausted", "mov64 r0, 0\nadd64 r0, 1\nja -2\nexit", nil, 37, nil},
	{"syscalls and meter", "mov64 r6, 0\nmov64 r1, 0\ncall 0\nadd64 r6, 1\njlt r6, 8, -4\nexit", nil, 30, withSyscall(0, SyscallU64)},
	{"syscall capped", "mov64 r2, 0x5\ncall 0\nmov64 r0, 0x0\nexit", []byte("Hello"), 3, withSyscall(0, SyscallString)},
	{"functions", "mov64 r6, 3\ncall 1\nadd64 r0, r6\nexit\nmov64 r6, 9\nmov64 r0, r6\nexit", nil, 100,
		func(e *Executable) { e.RegisterFunction(1, 4) }},
	{"recursion too deep", "mov64 r0, 0x1\nlsh64 r0, 0x20\ncallx 0x0\nexit", nil, 100, nil},
	{"memory error", "mov64 r1, 8\nstxdw [r10-8], r1\nldxdw r0, [r10-8]\nldxdw r0, [r0]\nexit", nil, 100, nil},
	{"overrun", "mov64 r0, 1\nja +0", nil, 10, nil},
	{"input", "ldxb r0, [r1+1]\nstxb [r1], r0\nldxh r0, [r1]\nexit", []byte{1, 2}, 10, nil},
}

func sameResult(a, b Result) error {
	ea, eb := fmt.Sprint(a.Err), fmt.Sprint(b.Err)
	if a.Value != b.Value || ea != eb || a.InstructionCount != b.InstructionCount || a.Executed != b.Executed {
		return fmt.Errorf("(%#x %q %d %d) vs (%#x %q %d %d)", a.Value, ea, a.InstructionCount, a.Executed,
			b.Value, eb, b.InstructionCount, b.Executed)
	}
	if !reflect.DeepEqual(a.Trace, b.Trace) || !reflect.DeepEqual(a.Log, b.Log) {
		return fmt.Errorf("traces or logs differ")
	}
	return nil
}

func TestSteppingMatchesRun(t *testing.T) {
	for _, c := range stepCases {
		exe := mustExe(t, c.src, c.setup)
		full := Interpreter{}.Run(exe, RunOptions{Input: append([]byte(nil), c.input...), Budget: c.budget})
		for _, chunk := range []int{1, 2, 3, 7, 1000} {
			vm, err := New(exe, RunOptions{Input: append([]byte(nil), c.input...), Budget: c.budget})
			if err != nil {
				t.Fatal(err)
			}
			steps := 0
			for i := 0; i < 3 && !vm.Done(); i++ {
				steps += vm.Step(chunk)
			}
			if uint64(steps) != vm.Executed() {
				t.Errorf("%s/%d: Step reported %d, executed %d", c.name, chunk, steps, vm.Executed())
			}
			if err := sameResult(full, vm.Run()); err != nil {
				t.Errorf("%s/%d: %v", c.name, chunk, err)
			}
			if !vm.Done() || !reflect.DeepEqual(vm.Result(), full) && sameResult(vm.Result(), full) != nil {
				t.Errorf("%s/%d: Result() differs after Run", c.name, chunk)
			}
		}
	}
}

func TestStepInspection(t *testing.T) {
	exe := mustExe(t, "mov64 r6, 3\ncall 1\nexit\nmov64 r0, 9\nstxdw [r10-8], r0\nexit", func(e *Executable) { e.RegisterFunction(1, 3) })
	vm, err := New(exe, RunOptions{Budget: 4})
	if err != nil {
		t.Fatal(err)
	}
	if vm.Step(2) != 2 || vm.PC() != 3 || len(vm.Frames()) != 2 {
		t.Fatalf("after call: pc %d frames %d", vm.PC(), len(vm.Frames()))
	}
	if f := vm.Frames()[0]; f.SavedReg[0] != 3 || f.ReturnPC != 2 {
		t.Errorf("saved frame %+v", f)
	}
	if r := vm.Registers(); r[10] != ebpf.MMStackStart+3*4096 {
		t.Errorf("r10 %#x", r[10])
	}
	if m := vm.Meter(); !m.Enabled || m.Initial != 4 || m.Remaining != 2 {
		t.Errorf("meter %+v", m)
	}
	vm.Step(2)
	mem, err := vm.Memory(ebpf.MMStackStart+3*4096-8, 8)
	if err != nil || mem[0] != 9 {
		t.Errorf("stack memory %x %v", mem, err)
	}
	if _, err := vm.Memory(ebpf.MMHeapStart, 1); err == nil {
		t.Error("unmapped memory must be an error")
	}
	r := vm.Run()
	expectErr(t, r, "exceeded maximum number of instructions allowed (4) at instruction #34", 4)
}

func TestRunUntil(t *testing.T) {
	exe := mustExe(t, "mov64 r0, 0\nadd64 r0, 1\njlt r0, 5, -2\nexit", nil)
	vm, _ := New(exe, RunOptions{Budget: 100})
	hits := 0
	for vm.RunUntil([]int{1}, 0) {
		hits++
		if vm.PC() != 1 {
			t.Fatalf("stopped at %d", vm.PC())
		}
	}
	if hits != 5 || !vm.Done() {
		t.Errorf("hits %d done %v", hits, vm.Done())
	}
	expectOK(t, vm.Result(), 5, 12)
	vm, _ = New(exe, RunOptions{Budget: 100})
	if vm.RunUntil(nil, 3) || vm.Executed() != 3 {
		t.Errorf("maxSteps: executed %d", vm.Executed())
	}
}

func TestResetReusesVM(t *testing.T) {
	exe := mustExe(t, "ldxb r0, [r1]\nstxdw [r10-8], r0\nldxdw r2, [r10-16]\nadd64 r0, r2\nmov64 r1, 0\nmov64 r2, 2\ncall 0\nexit",
		withSyscall(0, SyscallU64))
	vm, err := New(exe, RunOptions{Input: []byte{7}, Budget: 100})
	if err != nil {
		t.Fatal(err)
	}
	first := vm.Run()
	expectOK(t, first, 0, 8)
	for _, in := range [][]byte{{9}, {5, 5, 5}, nil} {
		if err := vm.Reset(in, 100); err != nil {
			t.Fatal(err)
		}
		fresh := Interpreter{}.Run(exe, RunOptions{Input: append([]byte(nil), in...), Budget: 100})
		if err := sameResult(fresh, vm.Run()); err != nil {
			t.Errorf("input %v: %v", in, err)
		}
	}
}

func TestRegistersSurviveFailedCalls(t *testing.T) {
	// A failed push leaves r10 alone; a failed syscall leaves r0 alone.
	exe := mustExe(t, "mov64 r0, 7\nmov64 r1, 0\nmov64 r2, 9\ncall 0\nexit", withSyscall(0, SyscallString))
	vm, _ := New(exe, RunOptions{Budget: 10})
	r := vm.Run()
	if r.Err == nil || vm.Registers()[0] != 7 {
		t.Errorf("err %v, r0 %d", r.Err, vm.Registers()[0])
	}
	exe = mustExe(t, "mov64 r0, 0x1\nlsh64 r0, 0x20\ncallx 0x0\nexit", nil)
	exe.Config.MaxCallDepth = 1
	vm, _ = New(exe, RunOptions{Budget: 10})
	r = vm.Run()
	if r.Err == nil || r.Err.Error() != "exceeded max BPF to BPF call depth of 1 at instruction #31" || vm.Registers()[10] != ebpf.MMStackStart+4096 {
		t.Errorf("err %v, r10 %#x", r.Err, vm.Registers()[10])
	}
}

func TestConcurrentRunsShareAnExecutable(t *testing.T) {
	exe := mustExe(t, "ldxb r0, [r1]\nmov64 r1, r0\ncall 9\nmov64 r6, r0\ncall 1\nexit\nadd64 r6, 1\nmov64 r0, r6\nexit",
		func(e *Executable) {
			e.RegisterFunction(1, 6)
			_ = e.Syscalls.RegisterByHash(9, BpfGatherBytes)
		})
	done := make(chan Result)
	for i := 0; i < 8; i++ {
		go func(b byte) {
			done <- Interpreter{}.Run(exe, RunOptions{Input: []byte{b}, Budget: 100})
		}(byte(i))
	}
	seen := map[uint64]bool{}
	for i := 0; i < 8; i++ {
		r := <-done
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		seen[r.Value] = true
	}
	for i := uint64(0); i < 8; i++ {
		if !seen[i<<32+1] {
			t.Errorf("missing result for input %d: %v", i, seen)
		}
	}
}
