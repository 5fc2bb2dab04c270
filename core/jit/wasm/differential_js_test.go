//go:build js && wasm

package wasmjit

import (
	"math/rand/v2"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// runGenerated runs the case on the interpreter or, with wasm set, on
// the tier (Strict: no fallback).
func runGenerated(g *progen.Case, wasm bool) (progen.Outcome, error) {
	if wasm {
		return g.Run(Engine{Strict: true})
	}
	return g.Run(vm.Interpreter{})
}

// checkWith runs the program gen makes of data on both engines and
// returns the interpreter's outcome.
func checkWith(t testing.TB, data []byte, gen func([]byte) progen.Case) progen.Outcome {
	g := gen(data)
	a, err := runGenerated(&g, false)
	if err != nil {
		return a
	}
	b, err := runGenerated(&g, true)
	if err != nil {
		t.Fatal(err)
	}
	if d := progen.Differ(a, b); d != "" {
		t.Fatalf("interpreter and wasm tier differ: %s\nprogram: %x", d, g.Text)
	}
	return a
}

// FuzzDifferential runs generated programs (core/jit's generators: every
// opcode, addresses at region edges, calls, callx, syscalls, meter and
// trace on and off) on the interpreter and the tier and requires
// identical results, errors, counts, logs, memory and traces. Inputs
// starting with 'D' use the deep generator (loops, calls, accesses inside
// regions). The seed corpus is under testdata/fuzz/FuzzDifferential.
func FuzzDifferential(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 0 && data[0] == 'D' {
			checkWith(t, data[1:], progen.GenerateDeep)
			return
		}
		checkWith(t, data, progen.Generate)
	})
}

// TestDifferentialRandom is a fixed-seed sweep of both generators.
func TestDifferentialRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	n, deep := 300, 30
	if testing.Short() {
		n, deep = 100, 10
	}
	for i := 0; i < n; i++ {
		b := make([]byte, 64+rng.IntN(400))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		checkWith(t, b, progen.Generate)
	}
	executed := uint64(0)
	for i := 0; i < deep; i++ {
		b := make([]byte, 128+rng.IntN(1024))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		executed += checkWith(t, b, progen.GenerateDeep).Result.Executed
	}
	if executed < uint64(deep)*100 {
		t.Errorf("deep programs executed %d instructions in all, want them deep", executed)
	}
}
