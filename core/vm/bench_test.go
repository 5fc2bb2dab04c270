package vm

import (
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/internal/benchprog"
)

// benchRun runs exe b.N times on one VM, reset between runs, and reports
// instructions per second. Reset reuses the stack and decoded program, so
// allocs/op shows what the dispatch loop allocates: nothing.
func benchRun(b *testing.B, exe *Executable, input []byte, want uint64) {
	b.Helper()
	vm, err := New(exe, RunOptions{Input: input, Budget: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var total uint64
	cpu0 := benchprog.CPUTime()
	for b.Loop() {
		if err := vm.Reset(input, 1<<40); err != nil {
			b.Fatal(err)
		}
		r := vm.Run()
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		if want != 0 && r.Value != want {
			b.Fatalf("value %#x, want %#x", r.Value, want)
		}
		total += r.Executed
	}
	reportRates(b, total, benchprog.CPUTime()-cpu0)
}

// BenchmarkSetup measures New plus a one-instruction run: the per-run
// cost a fresh VM adds (mostly the 80 KiB stack).
func BenchmarkSetup(b *testing.B) {
	exe := benchExe(b, "mov64 r0, 1\nexit", nil)
	b.ReportAllocs()
	for b.Loop() {
		if r := (Interpreter{}).Run(exe, RunOptions{Budget: 10}); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

// reportRates reports instructions per wall-clock second and per second of
// CPU time used by the process (the same when the machine is idle; much
// higher for the second when other work competes for the cores).
func reportRates(b *testing.B, total uint64, cpu time.Duration) {
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "insn/s")
	if cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds(), "insn/cpu-s")
	}
}

func benchExe(b *testing.B, src string, setup func(*Executable)) *Executable {
	exe := mustExe(b, src, setup)
	exe.Config.EnableInstructionTracing = false
	return exe
}

// benchProgram runs the core/internal/benchprog program called name, the
// same code core/jit's BenchmarkExecute runs on both engines.
func benchProgram(b *testing.B, name string) {
	p := benchprog.Get(name)
	exe := benchExe(b, p.Source, func(e *Executable) {
		for hash, pc := range p.Functions {
			e.RegisterFunction(hash, pc)
		}
		for hash, sys := range p.Syscalls {
			fn, ok := LookupSyscallFunc(sys)
			if !ok {
				b.Fatalf("no syscall %q", sys)
			}
			withSyscall(hash, fn)(e)
		}
	})
	var input []byte
	if p.InputLen > 0 {
		input = make([]byte, p.InputLen)
	}
	benchRun(b, exe, input, 0)
}

// BenchmarkALULoop: 1M iterations of a mixed 32/64-bit ALU loop.
func BenchmarkALULoop(b *testing.B) { benchProgram(b, "ALULoop") }

// BenchmarkLoadStoreLoop sums and rewrites 1 KiB of input 1000 times.
func BenchmarkLoadStoreLoop(b *testing.B) { benchProgram(b, "LoadStoreLoop") }

// BenchmarkCallRecursion: 200k calls of a function recursing 15 deep.
func BenchmarkCallRecursion(b *testing.B) { benchProgram(b, "CallRecursion") }

// BenchmarkSyscallLoop: 300k calls of bpf_gather_bytes.
func BenchmarkSyscallLoop(b *testing.B) { benchProgram(b, "SyscallLoop") }

// BenchmarkStep measures the step API one instruction at a time.
func BenchmarkStep(b *testing.B) {
	exe := benchExe(b, "mov64 r0, 0\nadd64 r0, 1\nja -2\nexit", nil)
	exe.Config.EnableInstructionMeter = false
	vm, err := New(exe, RunOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := benchprog.CPUTime()
	for b.Loop() {
		vm.Step(1)
	}
	reportRates(b, vm.Executed(), benchprog.CPUTime()-cpu0)
}

// TestDispatchLoopDoesNotAllocate runs the loop programs on prepared VMs
// and counts allocations made by Run alone.
func TestDispatchLoopDoesNotAllocate(t *testing.T) {
	srcs := map[string]string{
		"alu":   "mov64 r1, 1000\nadd64 r0, r1\nsub64 r1, 1\njne r1, 0, -3\nexit",
		"mem":   "mov64 r3, 100\nstxdw [r10-8], r3\nldxdw r4, [r10-8]\nsub64 r3, 1\njne r3, 0, -4\nexit",
		"call":  "mov64 r6, 100\ncall 1\nsub64 r6, 1\njne r6, 0, -3\nexit\nexit",
		"sysc":  "mov64 r6, 100\ncall 9\nsub64 r6, 1\njne r6, 0, -3\nexit",
		"input": "ldxb r0, [r1]\nexit",
	}
	for name, src := range srcs {
		exe := mustExe(t, src, func(e *Executable) {
			e.RegisterFunction(1, 5)
			_ = e.Syscalls.RegisterByHash(9, BpfGatherBytes)
		})
		exe.Config.EnableInstructionTracing = false
		vms := make([]*VM, 12)
		for i := range vms {
			vms[i], _ = New(exe, RunOptions{Input: []byte{1}, Budget: 1 << 20})
		}
		i := 0
		allocs := testing.AllocsPerRun(10, func() {
			if r := vms[i].Run(); r.Err != nil {
				t.Fatal(r.Err)
			}
			i++
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per run", name, allocs)
		}
	}
	_ = ebpf.MMInputStart
}
