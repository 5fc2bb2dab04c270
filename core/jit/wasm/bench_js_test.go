//go:build js && wasm

package wasmjit

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/internal/benchprog"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// benchExecutable assembles a benchprog program and registers its
// functions and syscalls.
func benchExecutable(tb testing.TB, bp *benchprog.Program) *vm.Executable {
	tb.Helper()
	text, err := asm.Assemble(bp.Source)
	if err != nil {
		tb.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	for hash, pc := range bp.Functions {
		exe.RegisterFunction(hash, pc)
	}
	for hash, name := range bp.Syscalls {
		fn, ok := vm.LookupSyscallFunc(name)
		if !ok {
			tb.Fatalf("no syscall %q", name)
		}
		if err := exe.Syscalls.RegisterByHash(hash, fn); err != nil {
			tb.Fatal(err)
		}
	}
	return exe
}

// BenchmarkExecute runs every benchprog program (the programs of core/vm's
// and core/jit's benchmarks) on the tier and on the interpreter compiled
// to WebAssembly, reporting Minsn/s. The native interpreter's rate comes
// from core/vm's benchmarks (RATIONALE.md compares them).
func BenchmarkExecute(b *testing.B) {
	for _, bp := range benchprog.Programs {
		exe := benchExecutable(b, &bp)
		input := make([]byte, bp.InputLen)
		opts := vm.RunOptions{Input: input, Budget: 1 << 40}
		b.Run(bp.Name+"/wasm", func(b *testing.B) {
			p, err := Load(exe)
			if err != nil {
				b.Fatal(err)
			}
			benchLoop(b, func() vm.Result {
				m, err := vm.New(exe, opts)
				if err != nil {
					b.Fatal(err)
				}
				return p.RunVM(m)
			})
		})
		b.Run(bp.Name+"/interpreter", func(b *testing.B) {
			benchLoop(b, func() vm.Result { return vm.Interpreter{}.Run(exe, opts) })
		})
	}
}

func benchLoop(b *testing.B, run func() vm.Result) {
	var total uint64
	for b.Loop() {
		r := run()
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		total += r.Executed
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds()/1e6, "Minsn/s")
}

// realProgram loads an ELF of the real programs' folder (SOLANA_ELF_DIR,
// or /work/realprogs), or returns nil.
func realProgram(tb testing.TB, name string) *vm.Executable {
	dir := os.Getenv("SOLANA_ELF_DIR")
	if dir == "" {
		dir = "/work/realprogs"
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil
	}
	exe, err := vm.FromELF(data, vm.DefaultConfig(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return exe
}

// BenchmarkCompile measures Compile alone and Compile plus Instantiate on
// serum_dex (when at hand) and on a synthetic program of 30 000
// instructions mixing every class.
func BenchmarkCompile(b *testing.B) {
	exes := map[string]*vm.Executable{"synthetic30k": synthetic(b, 30000)}
	if exe := realProgram(b, "serum_dex-v3_2021-09.so"); exe != nil {
		exes["serum_dex"] = exe
	}
	for name, exe := range exes {
		b.Run(name+"/compile", func(b *testing.B) {
			for b.Loop() {
				if _, err := Compile(exe); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(exe.Program.Text)/8), "slots")
		})
		b.Run(name+"/compile+instantiate", func(b *testing.B) {
			for b.Loop() {
				if _, err := Load(exe); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// synthetic is a program of about n instructions mixing every class.
func synthetic(tb testing.TB, n int) *vm.Executable {
	var src []byte
	for i := 0; i < n/10; i++ {
		src = append(src, `
		mov64 r2, 7
		add64 r0, r2
		ldxdw r3, [r10-8]
		stxdw [r10-16], r3
		jeq r0, 5, +1
		mul32 r2, 3
		lsh64 r0, 1
		be32 r0
		xor64 r0, r3
		mod64 r0, 13`...)
	}
	src = append(src, "\nexit"...)
	text, err := asm.Assemble(string(src))
	if err != nil {
		tb.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return exe
}

// TestCompileTime requires a 30 000-instruction program to compile in at
// most 100 ms (the best of three, the machine being noisy) and reports
// Compile and Instantiate times for serum_dex when at hand.
func TestCompileTime(t *testing.T) {
	exes := []*vm.Executable{synthetic(t, 30000)}
	if exe := realProgram(t, "serum_dex-v3_2021-09.so"); exe != nil {
		exes = append(exes, exe)
	}
	for _, exe := range exes {
		best, bestLoad := time.Hour, time.Hour
		for range 3 {
			start := time.Now()
			m, err := Compile(exe)
			if err != nil {
				t.Fatal(err)
			}
			mid := time.Now()
			if _, err := m.Instantiate(); err != nil {
				t.Fatal(err)
			}
			best, bestLoad = min(best, mid.Sub(start)), min(bestLoad, time.Since(mid))
		}
		n := len(exe.Program.Text) / 8
		t.Logf("%d slots: Compile %v, Instantiate %v", n, best, bestLoad)
		if limit := time.Duration(n) * 100 * time.Millisecond / 30000; best > limit {
			t.Errorf("%d slots compile in %v, want at most %v", n, best, limit)
		}
	}
}
