//go:build linux && amd64

package jit

import (
	"syscall"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// The benchmark programs are the interpreter's (core/vm/bench_test.go), so
// the rates compare directly; each reports insn/s (wall clock) and
// insn/cpu-s (CPU time of the process, which is what counts when other
// work shares the machine).
var benchPrograms = []struct {
	name  string
	src   string
	input int
	setup func(*vm.Executable)
}{
	{"ALULoop", `
		mov64 r0, 0
		mov64 r1, 1000000
		mov32 r2, 7
	loop:
		add64 r0, r1
		xor64 r0, 0x55
		mul32 r2, 3
		rsh64 r0, 1
		lsh64 r0, 1
		sub64 r1, 1
		jne r1, 0, loop
		exit`, 0, nil},
	{"LoadStoreLoop", `
		mov64 r6, 1000
	outer:
		mov64 r2, r1
		mov64 r3, 128
	inner:
		ldxdw r4, [r2]
		add64 r0, r4
		stxdw [r2], r0
		add64 r2, 8
		sub64 r3, 1
		jne r3, 0, inner
		sub64 r6, 1
		jne r6, 0, outer
		exit`, 1024, nil},
	{"ByteLoadStoreLoop", `
		mov64 r6, 200000
	loop:
		mov64 r2, r6
		and64 r2, 1023
		add64 r2, r1
		ldxb r4, [r2]
		add64 r4, 1
		stxb [r2], r4
		sub64 r6, 1
		jne r6, 0, loop
		exit`, 1024, nil},
	{"StackLoop", `
		mov64 r3, 300000
	loop:
		stxdw [r10-8], r3
		ldxdw r4, [r10-8]
		add64 r0, r4
		sub64 r3, 1
		jne r3, 0, loop
		exit`, 0, nil},
	// rbpf's own benches/vm_execution.rs programs.
	{"RbpfAddressTranslation", `
		mov r1, r2
		and r1, 1023
		ldindb r1, 0
		add r2, 1
		jlt r2, 0x10000, -5
		exit`, 1024, nil},
	{"RbpfEmptyForLoop", `
		mov r1, r2
		and r1, 1023
		add r2, 1
		jlt r2, 0x10000, -4
		exit`, 0, nil},
	{"CallRecursion", `
		mov64 r6, 20000
	outer:
		mov64 r1, 15
		call 1
		sub64 r6, 1
		jne r6, 0, outer
		exit
	fn:
		jeq r1, 0, +3
		sub64 r1, 1
		call 1
		add64 r0, 1
		exit`, 0, func(e *vm.Executable) { e.RegisterFunction(1, 5) }},
	{"SyscallLoop", `
		mov64 r6, 300000
	loop:
		mov64 r1, 1
		mov64 r2, 2
		call 9
		sub64 r6, 1
		jne r6, 0, loop
		exit`, 0, func(e *vm.Executable) { _ = e.Syscalls.RegisterByHash(9, vm.BpfGatherBytes) }},
}

func benchExecutable(b *testing.B, src string, setup func(*vm.Executable)) *vm.Executable {
	b.Helper()
	text, err := asm.Assemble(src)
	if err != nil {
		b.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if setup != nil {
		setup(exe)
	}
	return exe
}

func BenchmarkExecute(b *testing.B) {
	for _, bp := range benchPrograms {
		exe := benchExecutable(b, bp.src, bp.setup)
		input := make([]byte, bp.input)
		b.Run(bp.name+"/interpreter", func(b *testing.B) {
			benchLoop(b, func() vm.Result { return vm.Interpreter{}.Run(exe, vm.RunOptions{Input: input, Budget: 1 << 40}) })
		})
		b.Run(bp.name+"/jit", func(b *testing.B) {
			p, err := Compile(exe, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			benchLoop(b, func() vm.Result { return p.Run(vm.RunOptions{Input: input, Budget: 1 << 40}) })
		})
	}
}

func benchLoop(b *testing.B, run func() vm.Result) {
	var total uint64
	cpu0 := cpuTime()
	for b.Loop() {
		r := run()
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		total += r.Executed
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds()/1e6, "Minsn/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds()/1e6, "Minsn/cpu-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCompile measures compile time of a 1000-instruction program
// mixing every instruction class (reported per 1000 instructions), and of
// a small program.
func BenchmarkCompile(b *testing.B) {
	var body string
	for i := 0; i < 100; i++ {
		body += `
		mov64 r2, 7
		add64 r0, r2
		ldxdw r3, [r10-8]
		stxdw [r10-16], r3
		jeq r0, 5, +1
		mul32 r2, 3
		lsh64 r0, 1
		be32 r0
		xor64 r0, r3
		mod64 r0, 13`
	}
	for _, c := range []struct {
		name string
		src  string
	}{{"1000insns", body + "\nexit"}, {"small", "mov64 r0, 1\nadd64 r0, 2\nldxb r1, [r1]\njeq r1, 0, +1\nexit\nexit"}} {
		exe := benchExecutable(b, c.src, nil)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := Compile(exe, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// BenchmarkRunOverhead is the cost of one run of a one-instruction program:
// VM set-up, run set-up, entering and leaving the code.
func BenchmarkRunOverhead(b *testing.B) {
	exe := benchExecutable(b, "exit", nil)
	b.Run("interpreter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			vm.Interpreter{}.Run(exe, vm.RunOptions{Budget: 10})
		}
	})
	b.Run("jit", func(b *testing.B) {
		p, err := Compile(exe, Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		b.ReportAllocs()
		for b.Loop() {
			p.Run(vm.RunOptions{Budget: 10})
		}
	})
}
