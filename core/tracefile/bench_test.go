package tracefile

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Loops of about a million steps, the size of run the page records. Each
// reports the bytes per step of the records before compression and of the
// whole file, and times writing and decoding it.
var benchLoops = []struct{ name, src string }{
	// A counter: two registers change per round.
	{"counter", "mov64 r0, 0\nmov64 r1, 0\nloop:\nadd64 r0, 3\nadd64 r1, 1\njlt r1, 333333, loop\nexit"},
	// An xorshift generator storing to the stack: registers take values
	// that look random, the worst case for the deltas and for gzip.
	{"xorshift", `
    lddw r0, 0x9e3779b97f4a7c15
    mov64 r6, 0
loop:
    mov64 r1, r0
    lsh64 r1, 13
    xor64 r0, r1
    mov64 r1, r0
    rsh64 r1, 7
    xor64 r0, r1
    mov64 r1, r0
    lsh64 r1, 17
    xor64 r0, r1
    stxdw [r10-8], r0
    add64 r6, 1
    jlt r6, 90909, loop
    exit`},
}

func loopTrace(b *testing.B, src string) (*runspec.Spec, runspec.Result, *vm.Tracer) {
	spec := &runspec.Spec{Kind: runspec.KindAsm, Source: src, Trace: true}
	built, err := spec.Build()
	if err != nil {
		b.Fatal(err)
	}
	built.MaxTraceEntries = 1 << 21
	built.Trace = false // no trace text in the result
	p := built.Prepare()
	vr := vm.Interpreter{}.Run(built.Exe, p.Options)
	if vr.Err != nil || vr.Trace.Truncated {
		b.Fatalf("run: %v", vr.Err)
	}
	return spec, built.Finish("interp", p, vr), vr.Trace
}

func BenchmarkWrite(b *testing.B) {
	for _, l := range benchLoops {
		b.Run(l.name, func(b *testing.B) {
			spec, res, tr := loopTrace(b, l.src)
			steps := float64(len(tr.Log))
			var size int
			var f *File
			for b.Loop() {
				var err error
				if f, err = New(Run{Name: "loop.s", Spec: spec, Result: res, Trace: tr}); err != nil {
					b.Fatal(err)
				}
				data, err := f.Bytes()
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(steps, "steps")
			b.ReportMetric(float64(f.EncodedSize())/steps, "record-B/step")
			b.ReportMetric(float64(size)/steps, "file-B/step")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/steps, "ns/step")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, l := range benchLoops {
		b.Run(l.name, func(b *testing.B) {
			spec, res, tr := loopTrace(b, l.src)
			f, err := New(Run{Name: "loop.s", Spec: spec, Result: res, Trace: tr})
			if err != nil {
				b.Fatal(err)
			}
			data, err := f.Bytes()
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := Decode(data, DefaultLimits); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tr.Log)), "ns/step")
		})
	}
}

// BenchmarkEntry is the page's step: random access to one step.
func BenchmarkEntry(b *testing.B) {
	spec, res, tr := loopTrace(b, benchLoops[1].src)
	f, err := New(Run{Spec: spec, Result: res, Trace: tr})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, ok := f.Entry(i); !ok {
			b.Fatal(i)
		}
		i = (i + 7919) % f.Len()
	}
}
