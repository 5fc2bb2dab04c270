//go:build linux && amd64

package jit

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// runGenerated runs the case on the interpreter or, with jit set, on the
// JIT (blinded when the case says so).
func runGenerated(g *progen.Case, jit bool) (progen.Outcome, error) {
	if jit {
		return g.Run(Engine{Options: Options{ConstantBlinding: g.Blind}})
	}
	return g.Run(vm.Interpreter{})
}

// checkGenerated runs one generated program on both engines.
func checkGenerated(t testing.TB, data []byte) { checkWith(t, data, progen.Generate) }

// checkWith runs the program gen makes of data on both engines and
// returns the interpreter's outcome.
func checkWith(t testing.TB, data []byte, gen func([]byte) progen.Case) progen.Outcome {
	// Generated code cannot be interrupted: a hang would stall the fuzzer
	// without a report, so a watchdog names the input and stops the process.
	watchdog := time.AfterFunc(20*time.Second, func() {
		saveRegression(t, data)
		panic(fmt.Sprintf("differential run hung on input %x", data))
	})
	defer watchdog.Stop()
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
		saveRegression(t, data)
		t.Fatalf("interpreter and JIT differ: %s\nprogram: %x", d, g.Text)
	}
	return a
}

// saveRegression writes a failing input under testdata/regress when
// JIT_SAVE_REGRESSIONS is set, so that TestRegressions keeps it.
func saveRegression(t testing.TB, data []byte) {
	if os.Getenv("JIT_SAVE_REGRESSIONS") == "" {
		return
	}
	name := filepath.Join("testdata", "regress", fmt.Sprintf("%x.bin", binary.LittleEndian.Uint64(append(append([]byte{}, data...), make([]byte, 8)...))))
	_ = os.MkdirAll(filepath.Dir(name), 0o755)
	_ = os.WriteFile(name, data, 0o644)
	t.Logf("saved %s", name)
}

// FuzzDifferential runs random valid programs on the interpreter and the
// JIT and requires identical results, errors, counts, logs, memory and
// traces.
func FuzzDifferential(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 64; i++ {
		b := make([]byte, 256)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkGenerated(t, data) })
}

// TestRegressions replays every saved failure of the differential fuzzer.
func TestRegressions(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "regress", "*.bin"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { checkGenerated(t, data) })
	}
}

// TestDifferentialRandom is a fixed-seed sweep of the fuzzer's generator,
// so that plain `go test` covers it; it reports programs per minute.
func TestDifferentialRandom(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Now()
	for i := 0; i < n; i++ {
		b := make([]byte, 64+rng.IntN(400))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		checkGenerated(t, b)
	}
	el := time.Since(start)
	t.Logf("%d programs in %v: %.0f programs/minute", n, el, float64(n)/el.Minutes())
}

// FuzzDeepDifferential is FuzzDifferential on long, deep programs
// (progen.GenerateDeep): loops under the meter, calls and callx, memory accesses
// inside regions, syscalls.
func FuzzDeepDifferential(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 16; i++ {
		b := make([]byte, 512)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkWith(t, data, progen.GenerateDeep) })
}

// TestDeepDifferentialRandom is a fixed-seed sweep of progen.GenerateDeep. It
// requires the programs to be deep: the median run executes at least 200
// instructions (the shallow generator's median is about 5).
func TestDeepDifferentialRandom(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewPCG(5, 6))
	executed := make([]int, 0, n)
	failed := map[string]int{}
	for i := 0; i < n; i++ {
		b := make([]byte, 128+rng.IntN(1024))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		o := checkWith(t, b, progen.GenerateDeep)
		executed = append(executed, int(o.Result.Executed))
		if o.Result.Err != nil {
			kind := o.Result.Err.Error()
			if i := strings.IndexAny(kind, "(#"); i > 0 {
				kind = strings.TrimSpace(kind[:i])
			}
			failed[kind]++
		}
	}
	slices.Sort(executed)
	median := executed[len(executed)/2]
	t.Logf("%d programs: median %d instructions executed (p10 %d, p90 %d); errors: %v",
		n, median, executed[n/10], executed[n*9/10], failed)
	if median < 200 {
		t.Errorf("median %d instructions executed, want at least 200", median)
	}
}
