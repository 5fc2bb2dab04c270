//go:build js && wasm

package wasmjit

import (
	"math/rand/v2"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// tinyChunks makes chunks of at most 6 slots for the rest of the test, so
// that jumps, calls, returns, callx, running off a chunk and the meter at
// chunk boundaries all cross between functions.
func tinyChunks(t *testing.T) {
	slots, stride := chunkSlots, chunkStride
	chunkSlots, chunkStride = 6, 3
	t.Cleanup(func() { chunkSlots, chunkStride = slots, stride })
}

// TestTinyChunksConformance compares every conformance case with the
// interpreter, tracing forced on (every slot then starts a segment and a
// block, the most transfers), with tiny chunks.
func TestTinyChunksConformance(t *testing.T) {
	tinyChunks(t)
	n := 0
	for _, c := range loadCases(t) {
		if c.Stage != conformance.StageRun || c.Name == "test_large_program" {
			continue
		}
		c.Spec.Trace = true
		run := func(e vm.Engine) (vm.Result, bool) {
			o, err := conformance.Execute(e, &c)
			return o.Result, err == nil && o.Loaded
		}
		want, ok := run(vm.Interpreter{})
		if !ok {
			continue
		}
		got, _ := run(Engine{Strict: true})
		if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
			t.Errorf("%s: %s", c.Name, d)
		}
		n++
	}
	if n < 190 {
		t.Errorf("only %d runs compared", n)
	}
}

// TestTinyChunksDifferential runs generated programs (both generators)
// with tiny chunks against the interpreter, and checks they were split.
func TestTinyChunksDifferential(t *testing.T) {
	tinyChunks(t)
	rng := rand.New(rand.NewPCG(21, 22))
	split := 0
	for i := 0; i < 150; i++ {
		b := make([]byte, 64+rng.IntN(800))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		gen := progen.Generate
		if i%3 == 0 {
			gen = progen.GenerateDeep
		}
		checkWith(t, b, gen)
		g := gen(b)
		if exe, err := g.Executable(); err == nil {
			if m, err := Compile(exe); err == nil && len(m.bodies) > 1 {
				split++
			}
		}
	}
	if split < 100 {
		t.Errorf("only %d programs split into chunks", split)
	}
}
