//go:build linux && amd64

package jit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/internal/benchprog"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// benchExecutable assembles src, or the benchprog.Program bp when given,
// with the functions and syscalls it asks for.
func benchExecutable(b *testing.B, src string, bp *benchprog.Program) *vm.Executable {
	b.Helper()
	if bp == nil {
		bp = &benchprog.Program{Source: src}
	}
	exe, err := progen.BenchExecutable(bp)
	if err != nil {
		b.Fatal(err)
	}
	return exe
}

// BenchmarkExecute runs every program of core/internal/benchprog (the
// interpreter's benchmark programs too) on both engines, so the rates
// compare directly; each reports Minsn/s (wall clock) and Minsn/cpu-s (CPU
// time of the process, which is what counts when other work shares the
// machine).
func BenchmarkExecute(b *testing.B) {
	for _, bp := range benchprog.Programs {
		exe := benchExecutable(b, bp.Source, &bp)
		input := make([]byte, bp.InputLen)
		b.Run(bp.Name+"/interpreter", func(b *testing.B) {
			benchLoop(b, func() vm.Result { return vm.Interpreter{}.Run(exe, vm.RunOptions{Input: input, Budget: 1 << 40}) })
		})
		b.Run(bp.Name+"/jit", func(b *testing.B) {
			p, err := Compile(exe, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			benchLoop(b, func() vm.Result { return p.run(vm.RunOptions{Input: input, Budget: 1 << 40}) })
		})
	}
}

// BenchmarkPerfPrograms runs the programs of testdata/perf (1 G
// instructions each, compared with rbpf v0.2.8's JIT by
// testdata/perf/compare.py; see docs/performance.md) on the JIT, with a
// 1 KiB input.
func BenchmarkPerfPrograms(b *testing.B) {
	files, err := filepath.Glob("testdata/perf/*.s")
	if err != nil || len(files) == 0 {
		b.Fatal("no programs in testdata/perf", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		exe := benchExecutable(b, string(src), nil)
		input := make([]byte, 1024)
		b.Run(strings.TrimSuffix(filepath.Base(f), ".s"), func(b *testing.B) {
			p, err := Compile(exe, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			benchLoop(b, func() vm.Result { return p.run(vm.RunOptions{Input: input, Budget: 1 << 40}) })
		})
	}
}

func benchLoop(b *testing.B, run func() vm.Result) {
	var total uint64
	cpu0 := benchprog.CPUTime()
	for b.Loop() {
		r := run()
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		total += r.Executed
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds()/1e6, "Minsn/s")
	if cpu := benchprog.CPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)/cpu.Seconds()/1e6, "Minsn/cpu-s")
	}
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
			cpu0 := benchprog.CPUTime()
			for b.Loop() {
				if _, err := Compile(exe, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((benchprog.CPUTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
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
			p.run(vm.RunOptions{Budget: 10})
		}
	})
}

// BenchmarkWatch runs LoadStoreLoop (loads and stores over a 1 KiB input)
// with watchpoints, on both engines: none; one on the heap, which the
// program never touches (only the compiled check is added); one on the
// input's last byte, which turns the input's fast path off but is never
// hit; one on the input's last byte for writes only; and one on a word
// the loop writes every 128 iterations (1 000 hits a run).
func BenchmarkWatch(b *testing.B) {
	var bp benchprog.Program
	for _, p := range benchprog.Programs {
		if p.Name == "LoadStoreLoop" {
			bp = p
		}
	}
	exe := benchExecutable(b, bp.Source, &bp)
	heap := vm.NewRegion(make([]byte, 64), ebpf.MMHeapStart, 0, true)
	last := ebpf.MMInputStart + uint64(bp.InputLen) + 100
	for _, c := range []struct {
		name string
		ws   []vm.Watch
	}{
		{"none", nil},
		{"untouched", []vm.Watch{{Addr: ebpf.MMHeapStart, Len: 8, Kind: vm.WatchAny}}},
		{"input-no-hit", []vm.Watch{{Addr: last, Len: 1, Kind: vm.WatchAny}}},
		{"input-writes-no-hit", []vm.Watch{{Addr: last, Len: 1, Kind: vm.WatchWrite}}},
		{"hit-every-128", []vm.Watch{{Addr: ebpf.MMInputStart, Len: 8, Kind: vm.WatchWrite}}},
	} {
		input := make([]byte, bp.InputLen+128)
		opts := vm.RunOptions{Input: input, Budget: 1 << 40, Watches: c.ws, Regions: []vm.MemoryRegion{heap}, MaxWatchHits: 1}
		b.Run(c.name+"/interpreter", func(b *testing.B) {
			benchLoop(b, func() vm.Result { return vm.Interpreter{}.Run(exe, opts) })
		})
		b.Run(c.name+"/jit", func(b *testing.B) {
			p, err := Compile(exe, Options{Watch: c.ws != nil})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			benchLoop(b, func() vm.Result { return p.run(opts) })
		})
	}
}
