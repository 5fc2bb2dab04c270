package provenance

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/internal/benchprog"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// benchMixed runs 52 632 rounds of a loop of 14 instructions that calls a
// function of 5: 1 000 012 instructions, of which 2 in 19 load and 3 in
// 19 store, a byte of a 64-byte window of the stack updated each round.
const benchMixed = `
    mov64 r6, 0
loop:
    mov64 r1, r6
    and64 r1, 63
    mov64 r2, r10
    sub64 r2, 64
    add64 r2, r1
    ldxb r3, [r2+0]
    add64 r3, r6
    stxb [r2+0], r3
    mov64 r1, r3
    call fn
    add64 r7, r0
    stxdw [r10-72], r7
    add64 r6, 1
    jlt r6, 52632, loop
    ldxdw r0, [r10-72]
    exit
fn:
    mov64 r0, r1
    mul64 r0, 3
    stxdw [r10-8], r0
    ldxdw r0, [r10-8]
    exit`

// benchSweep fills 2.6 MB of heap 8 bytes at a time: 1 000 004
// instructions, a store every 3 into a block of its own, the most the
// store index can hold per step.
const benchSweep = `
    lddw r1, 0x300000000
    lddw r3, 0x30028b0a8
    mov64 r2, 0
loop:
    stxdw [r1+0], r2
    add64 r1, 8
    jlt r1, r3, loop
    ldxdw r0, [r1-8]
    exit`

// benchHot stores into byte 0 of a stack block and loads byte 7 of it
// 200 000 times: 1 000 003 instructions. Explaining the loads asks for
// the last write of a byte whose block was written at every step before.
const benchHot = `
    mov64 r6, 0
loop:
    stxb [r10-8], r6
    ldxb r1, [r10-1]
    add64 r7, r1
    add64 r6, 1
    jlt r6, 200000, loop
    mov64 r0, r7
    exit`

var benchSpecs = []struct {
	name string
	spec *runspec.Spec
}{
	{"mixed", &runspec.Spec{Kind: runspec.KindAsm, Source: benchMixed}},
	{"sweep", &runspec.Spec{Kind: runspec.KindAsm, Source: benchSweep, Heap: 0x28b0a8}},
	{"hot", &runspec.Spec{Kind: runspec.KindAsm, Source: benchHot}},
}

// BenchmarkRun is the run without a Recorder, for comparison.
func BenchmarkRun(b *testing.B) {
	for _, s := range benchSpecs {
		b.Run(s.name, func(b *testing.B) {
			built, err := s.spec.Build()
			if err != nil {
				b.Fatal(err)
			}
			var steps uint64
			cpu0 := benchprog.CPUTime()
			for b.Loop() {
				r := (vm.Interpreter{}).Run(built.Exe, built.Prepare().Options)
				if r.Err != nil {
					b.Fatal(r.Err)
				}
				steps = r.Executed
			}
			b.ReportMetric(float64((benchprog.CPUTime()-cpu0).Nanoseconds())/float64(b.N)/float64(steps), "cpu-ns/step")
		})
	}
}

// BenchmarkRecord records the run and builds the indexes of a first
// query. bytes/step is what Recorder.Bytes counts, heap-bytes/step what
// the Go heap grew by with the recording alive.
func BenchmarkRecord(b *testing.B) {
	for _, s := range benchSpecs {
		b.Run(s.name, func(b *testing.B) {
			var r *Recorder
			var res vm.Result
			var heap uint64
			var cpu time.Duration
			for b.Loop() {
				r = nil
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				cpu0 := benchprog.CPUTime()
				r, res = recordBench(b, s.spec)
				if _, err := r.Why(res.Executed, Reg(0), Limits{}); err != nil {
					b.Fatal(err)
				}
				cpu += benchprog.CPUTime() - cpu0
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = after.HeapAlloc - before.HeapAlloc
			}
			steps := float64(r.Steps())
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/steps, "cpu-ns/step")
			b.ReportMetric(float64(r.Bytes())/steps, "bytes/step")
			b.ReportMetric(float64(heap)/steps, "heap-bytes/step")
			runtime.KeepAlive(r)
		})
	}
}

func recordBench(b *testing.B, spec *runspec.Spec) (*Recorder, vm.Result) {
	built, err := spec.Build()
	if err != nil {
		b.Fatal(err)
	}
	m, err := vm.New(built.Exe, built.Prepare().Options)
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRecorder(m, Options{})
	if err != nil {
		b.Fatal(err)
	}
	res := r.Run()
	if res.Err != nil || res.Executed < 1_000_000 {
		b.Fatalf("the run: %v after %d", res.Err, res.Executed)
	}
	return r, res
}

// BenchmarkQuery asks about a 1 M-instruction recording whose indexes are
// built, with the default limits (256 links).
func BenchmarkQuery(b *testing.B) {
	for _, s := range benchSpecs {
		r, res := recordBench(b, s.spec)
		end := res.Executed
		r.update() // BenchmarkIndex measures this
		for _, q := range []struct {
			name string
			at   uint64
			loc  Location
		}{
			{"r0@end", end, Reg(0)},
			{"r7@half", end / 2, Reg(7)},
			{"stack64@end", end, Mem(0x200000fc0, 64)},
			{"heap4096@end", end, Mem(0x300001000, 4096)},
			{"r6@end", end, Reg(6)},
		} {
			b.Run(fmt.Sprintf("%s/%s", s.name, q.name), func(b *testing.B) {
				var c *Chain
				cpu0 := benchprog.CPUTime()
				for b.Loop() {
					var err error
					if c, err = r.Why(q.at, q.loc, Limits{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((benchprog.CPUTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
				b.ReportMetric(float64(len(c.Links)), "links")
			})
		}
	}
}

// BenchmarkIndex builds the indexes of a 1 M-instruction recording, as the
// first query does.
func BenchmarkIndex(b *testing.B) {
	for _, s := range benchSpecs {
		b.Run(s.name, func(b *testing.B) {
			r, _ := recordBench(b, s.spec)
			cpu0 := benchprog.CPUTime()
			for b.Loop() {
				r.idx.reset(r.frames)
				r.update()
			}
			b.ReportMetric(float64((benchprog.CPUTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}
