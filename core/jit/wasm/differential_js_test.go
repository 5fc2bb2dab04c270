//go:build js && wasm

package wasmjit

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// outcome is everything observable about one run.
type outcome struct {
	res   vm.Result
	input []byte
	heap  []byte
}

func runGenerated(g *progen.Case, wasm bool) (outcome, error) {
	exe, err := g.Executable()
	if err != nil {
		return outcome{}, err
	}
	opts := g.Options()
	var res vm.Result
	if wasm {
		res = Engine{Strict: true}.Run(exe, opts)
	} else {
		res = vm.Interpreter{}.Run(exe, opts)
	}
	o := outcome{res: res, input: opts.Input}
	if len(opts.Regions) > 0 {
		o.heap = opts.Regions[0].Host
	}
	return o, nil
}

// differ describes how the tier's outcome differs from the interpreter's.
func differ(a, b outcome) string {
	ra, rb := a.res, b.res
	if errText(ra.Err) != errText(rb.Err) || ra.Value != rb.Value {
		return fmt.Sprintf("result (%#x, %q) vs (%#x, %q)", ra.Value, errText(ra.Err), rb.Value, errText(rb.Err))
	}
	if ra.InstructionCount != rb.InstructionCount || ra.Executed != rb.Executed {
		return fmt.Sprintf("counts %d/%d vs %d/%d", ra.InstructionCount, ra.Executed, rb.InstructionCount, rb.Executed)
	}
	if fmt.Sprint(ra.Log) != fmt.Sprint(rb.Log) {
		return fmt.Sprintf("log %q vs %q", ra.Log, rb.Log)
	}
	if !bytes.Equal(a.input, b.input) || !bytes.Equal(a.heap, b.heap) {
		return "memory differs after the run"
	}
	if !reflect.DeepEqual(ra.WatchHits, rb.WatchHits) {
		return "watch hits differ"
	}
	if (ra.Trace == nil) != (rb.Trace == nil) {
		return "one trace missing"
	}
	if ra.Trace != nil {
		if ra.Trace.Truncated != rb.Trace.Truncated {
			return fmt.Sprintf("trace truncated %v vs %v", ra.Trace.Truncated, rb.Trace.Truncated)
		}
		la, lb := ra.Trace.Log, rb.Trace.Log
		if len(la) != len(lb) {
			return fmt.Sprintf("trace lengths %d vs %d", len(la), len(lb))
		}
		for i := range la {
			if la[i] != lb[i] {
				return fmt.Sprintf("trace entry %d: %x vs %x", i, la[i], lb[i])
			}
		}
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkWith runs the program gen makes of data on both engines and
// returns the interpreter's outcome.
func checkWith(t testing.TB, data []byte, gen func([]byte) progen.Case) outcome {
	g := gen(data)
	a, err := runGenerated(&g, false)
	if err != nil {
		return a
	}
	b, err := runGenerated(&g, true)
	if err != nil {
		t.Fatal(err)
	}
	if d := differ(a, b); d != "" {
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
		executed += checkWith(t, b, progen.GenerateDeep).res.Executed
	}
	if executed < uint64(deep)*100 {
		t.Errorf("deep programs executed %d instructions in all, want them deep", executed)
	}
}
