package elf

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

// largeProgram builds a program of about 14,000 slots (110 KiB of text)
// with a relative call every 10 slots, a syscall every 50 and an lddw of
// .rodata every 100, so every kind of relocation is exercised.
func largeProgram(tb testing.TB) []byte {
	var src strings.Builder
	src.WriteString(".rodata msg \"large program\"\nentrypoint:\n")
	for i := 0; i < 1400; i++ {
		fmt.Fprintf(&src, "f%d:\n", i)
		switch {
		case i%10 == 0:
			src.WriteString("    lddw r1, msg\n")
		case i%5 == 0:
			src.WriteString("    call sol_log_\n    mov64 r1, 1\n")
		default:
			src.WriteString("    mov64 r1, 1\n    mov64 r2, 2\n")
		}
		fmt.Fprintf(&src, "    call f%d\n    add64 r0, r1\n    mov64 r3, r0\n    mov64 r4, 4\n    mov64 r5, 5\n    mov64 r6, 6\n    mov64 r7, 7\n    exit\n", (i+1)%1400)
	}
	spec, err := elfbuild.FromAssembly(src.String())
	if err != nil {
		tb.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		tb.Fatal(err)
	}
	return f.Bytes
}

func BenchmarkLoad(b *testing.B) {
	small := readFixture(b, "noop")
	large := largeProgram(b)
	for _, c := range []struct {
		name string
		data []byte
	}{{"small", small}, {"large", large}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"-log", func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := LoadWithLog(c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLargeProgramLoads(t *testing.T) {
	data := largeProgram(t)
	p, l, err := LoadWithLog(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Text) < 100<<10 || len(p.Calls) != 1400 {
		t.Fatalf("text %d bytes, %d calls", len(p.Text), len(p.Calls))
	}
	kinds := map[StepKind]int{}
	for _, s := range l.Steps {
		kinds[s.Kind]++
	}
	if kinds[StepRelativeCall] != 1400 || kinds[StepRelativeText] != 140 || kinds[StepSymbolCall] != 140 {
		t.Fatalf("steps %v", kinds)
	}
}

// allocated returns the bytes f allocates, averaged over runs.
func allocated(f func()) uint64 {
	const runs = 5
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}

// TestAllocationsBounded: whatever counts a file claims, loading it (with
// or without the log) allocates at most a small multiple of its size.
func TestAllocationsBounded(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/elf/hostile/*.so")
	inputs := map[string][]byte{"large": largeProgram(t)}
	for _, n := range fixtureNames {
		inputs[n] = readFixture(t, n)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = data
	}
	for name, data := range inputs {
		limit := uint64(4*len(data)) + 32<<10
		if n := allocated(func() { Load(data) }); n > limit {
			t.Errorf("%s: Load allocates %d bytes for a %d-byte file", name, n, len(data))
		}
		// The log copies instruction bytes and names for every step and
		// describes every header: more, but still linear.
		if n := allocated(func() { LoadWithLog(data) }); n > 16*limit {
			t.Errorf("%s: LoadWithLog allocates %d bytes for a %d-byte file", name, n, len(data))
		}
	}
}
