//go:build linux && amd64

package jit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// watchProg writes and reads the input, the stack and the heap.
const watchProg = `
	lddw r2, 0x1122334455667788
	stxdw [r1+8], r2
	ldxb r0, [r1]
	stxdw [r10-8], r0
	ldxdw r3, [r10-8]
	lddw r4, 0x300000000
	stxw [r4+4], r3
	ldxh r5, [r4+4]
	add64 r0, r5
	exit`

// TestWatchHitsAgree: hand-made watches on every region, both kinds and
// the edges of accesses give the interpreter's hits, result and counts,
// without the meter and with every budget that runs out before the end
// (at a hit, or right after one).
func TestWatchHitsAgree(t *testing.T) {
	text, err := asm.Assemble(watchProg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []vm.Watch{
		{Addr: ebpf.MMInputStart + 15, Len: 1, Kind: vm.WatchWrite},
		{Addr: ebpf.MMInputStart + 16, Len: 1, Kind: vm.WatchWrite},
		{Addr: ebpf.MMInputStart, Len: 1, Kind: vm.WatchRead},
		{Addr: ebpf.MMInputStart, Len: 64, Kind: vm.WatchAny},
		{Addr: ebpf.MMStackStart + 4096 - 1, Len: 1, Kind: vm.WatchAny},
		{Addr: ebpf.MMStackStart, Len: 1 << 20, Kind: vm.WatchRead},
		{Addr: ebpf.MMHeapStart + 7, Len: 1, Kind: vm.WatchAny},
		{Addr: ebpf.MMHeapStart + 6, Len: 100, Kind: vm.WatchAny},
		{Addr: 0, Len: ^uint64(0), Kind: vm.WatchAny},
	} {
		for _, budget := range []uint64{100, 1, 2, 3, 4, 5, 6, 7, 8, 9} {
			for _, stop := range []bool{false, true} {
				meter := budget != 100
				cfg := vm.DefaultConfig()
				cfg.EnableInstructionMeter = meter
				exe, err := vm.FromText(text, cfg, nil)
				if err != nil {
					t.Fatal(err)
				}
				run := func(e vm.Engine) vm.Result {
					input := make([]byte, 32)
					input[0] = 5
					return e.Run(exe, vm.RunOptions{Input: input, Budget: budget, Watches: []vm.Watch{w}, WatchStop: stop,
						Regions: []vm.MemoryRegion{vm.NewRegion(make([]byte, 64), ebpf.MMHeapStart, 0, true)}})
				}
				want, got := run(vm.Interpreter{}), run(Engine{})
				name := fmt.Sprintf("%+v budget %d stop %v", w, budget, stop)
				if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
					t.Errorf("%s: %s", name, d)
				}
				// Without the meter every run gets to its hits.
				if !meter && len(want.WatchHits) == 0 && w.Len > 1 {
					t.Errorf("%s: no hit", name)
				}
				if !meter && len(want.WatchHits) > 0 && stop != errors.Is(got.Err, vm.ErrWatchStop) {
					t.Errorf("%s: %v", name, got.Err)
				}
			}
		}
	}
}

// TestWatchNeedsCompiledCheck: a VM with watches refuses code compiled
// without Options.Watch, and code compiled with it runs VMs without
// watches as plain code does.
func TestWatchNeedsCompiledCheck(t *testing.T) {
	text, _ := asm.Assemble(watchProg)
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := func(ws ...vm.Watch) vm.RunOptions {
		return vm.RunOptions{Input: make([]byte, 32), Budget: 100, Watches: ws,
			Regions: []vm.MemoryRegion{vm.NewRegion(make([]byte, 64), ebpf.MMHeapStart, 0, true)}}
	}
	plain, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	m, _ := vm.New(exe, opts(vm.Watch{Addr: ebpf.MMInputStart, Len: 1, Kind: vm.WatchRead}))
	if r := plain.RunVM(m); r.Err == nil {
		t.Error("plain code ran a VM with watches")
	}
	checked, err := Compile(exe, Options{Watch: true})
	if err != nil {
		t.Fatal(err)
	}
	defer checked.Close()
	m, _ = vm.New(exe, opts())
	want := vm.Interpreter{}.Run(exe, opts())
	if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: checked.RunVM(m)}); d != "" {
		t.Error(d)
	}
}

// randomWatches makes up to four watches near the edges of the case's
// regions, from their own random stream (the program stays the same).
func randomWatches(rng *rand.Rand, g *progen.Case) []vm.Watch {
	raw := make([]byte, 64)
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	s := &progen.ByteSource{Data: raw}
	ws := make([]vm.Watch, 1+rng.IntN(4))
	for i := range ws {
		addr := progen.Address(s, g)
		n := []uint64{1, 1, 2, 3, 8, 9, 64, 4096, 1 << 33}[rng.IntN(9)]
		if rng.IntN(2) == 0 {
			// A whole region, or the whole of a frame (the root's often).
			addr = []uint64{ebpf.MMInputStart, ebpf.MMStackStart, ebpf.MMHeapStart, ebpf.MMProgramStart}[rng.IntN(4)]
			n = 1 << 32
			if k := rng.IntN(3); k > 0 {
				frame := uint64(0)
				if k == 2 {
					frame = uint64(rng.IntN(g.Config.MaxCallDepth))
				}
				addr, n = ebpf.MMStackStart+frame*2*uint64(g.Config.StackFrameSize), max(1, uint64(g.Config.StackFrameSize))
			}
		}
		if addr+n-1 < addr {
			n = -addr
		}
		ws[i] = vm.Watch{Addr: addr, Len: n, Kind: vm.WatchKind(1 + rng.IntN(3))}
	}
	return ws
}

// checkWatched runs a generated program on the interpreter without
// watches and on both engines with random watches: the watches must not
// change the outcome (hits aside), and the engines must report the same
// hits; with WatchStop both must stop at the same hit.
func checkWatched(t *testing.T, data []byte, gen func([]byte) progen.Case, rng *rand.Rand) (hits int) {
	g := gen(data)
	exe, err := g.Executable()
	if err != nil {
		return 0
	}
	ws := randomWatches(rng, &g)
	maxHits := []int{0, 1, 5}[rng.IntN(3)]
	run := func(e vm.Engine, ws []vm.Watch, stop bool) progen.Outcome {
		opts := g.Options()
		opts.Watches, opts.WatchStop, opts.MaxWatchHits = ws, stop, maxHits
		o := progen.Outcome{Result: e.Run(exe, opts), Input: opts.Input}
		if len(opts.Regions) > 0 {
			o.Heap = opts.Regions[0].Host
		}
		return o
	}
	jit := Engine{Options: Options{ConstantBlinding: g.Blind}}
	plain := run(vm.Interpreter{}, nil, false)
	a, b := run(vm.Interpreter{}, ws, false), run(jit, ws, false)
	unwatched := a
	unwatched.Result.WatchHits, unwatched.Result.WatchHitsDropped = nil, 0
	if d := progen.Differ(plain, unwatched); d != "" {
		t.Fatalf("watches %+v change the interpreter's run: %s\nprogram: %x", ws, d, g.Text)
	}
	if d := progen.Differ(a, b); d != "" {
		t.Fatalf("watches %+v: interpreter and JIT differ: %s\nprogram: %x", ws, d, g.Text)
	}
	a, b = run(vm.Interpreter{}, ws, true), run(jit, ws, true)
	if d := progen.Differ(a, b); d != "" {
		t.Fatalf("watches %+v, stopping: interpreter and JIT differ: %s\nprogram: %x", ws, d, g.Text)
	}
	return len(a.Result.WatchHits)
}

// TestWatchDifferential runs the differential generators' programs with
// random watches on both engines.
func TestWatchDifferential(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	rng := rand.New(rand.NewPCG(13, 17))
	hit := 0 // programs with hits
	for i := 0; i < n; i++ {
		b := make([]byte, 64+rng.IntN(600))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		gen := progen.Generate
		if i%3 == 0 {
			gen = progen.GenerateDeep
		}
		if checkWatched(t, b, gen, rng) > 0 {
			hit++
		}
	}
	t.Logf("%d programs, %d with hits", n, hit)
	if hit < n/10 {
		t.Errorf("only %d of %d programs hit a watch", hit, n)
	}
}

// FuzzWatchDifferential is TestWatchDifferential driven by the fuzzer.
func FuzzWatchDifferential(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint64(1))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 1))
		gen := progen.Generate
		if seed%2 == 0 {
			gen = progen.GenerateDeep
		}
		checkWatched(t, data, gen, rng)
	})
}

// TestWatchHitFields: the JIT's hit carries what the interpreter's does,
// old and new bytes included.
func TestWatchHitFields(t *testing.T) {
	text, _ := asm.Assemble(watchProg)
	exe, _ := vm.FromText(text, vm.DefaultConfig(), nil)
	opts := vm.RunOptions{Input: make([]byte, 32), Budget: 100,
		Watches: []vm.Watch{{Addr: ebpf.MMInputStart + 8, Len: 8, Kind: vm.WatchWrite}}}
	r := Engine{}.Run(exe, opts)
	want := vm.WatchHit{PC: 2, Executed: 2, Access: vm.Store, Addr: ebpf.MMInputStart + 8, Size: 8,
		Old: make([]byte, 8), New: []byte{0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}}
	if len(r.WatchHits) != 1 {
		t.Fatalf("%d hits (%v)", len(r.WatchHits), r.Err)
	}
	got := r.WatchHits[0]
	want.Regs = got.Regs
	if !reflect.DeepEqual(got, want) || got.Regs[1] != ebpf.MMInputStart || got.Regs[2] != 0x1122334455667788 {
		t.Errorf("hit %+v\nwant %+v", got, want)
	}
}

// TestWatchRealPrograms watches every account's data of the real-program
// cases (when SOLANA_ELF_DIR holds the binaries) on both engines: the same
// hits, and the outcome of a run without watches. SPL Token's
// InitializeMint writes the mint's fields where its comment says.
func TestWatchRealPrograms(t *testing.T) {
	cases, err := conformance.LoadRuntime(conformance.RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			specs, err := c.Specs()
			if err != nil {
				t.Skip(err)
			}
			st := solana.AccountState{}
			var writes []string
			for step := range c.Steps {
				s, err := specs(step, st)
				if err != nil {
					t.Fatal(err)
				}
				b, err := s.Build()
				if err != nil {
					t.Fatal(err)
				}
				plain := b.Run(vm.Interpreter{})
				for i, a := range s.Instruction.Accounts {
					if w, err := runspec.ParseWatch(fmt.Sprintf("accounts[%d].data:rw", i), b.Invocation.Input); err == nil && len(a.Data) > 0 {
						b.Watches = append(b.Watches, w)
					}
				}
				want, got := b.Run(vm.Interpreter{}), b.Run(Engine{})
				if d := runspec.Difference(want, got); d != "" {
					t.Fatalf("step %d: engines differ: %s", step, d)
				}
				unwatched := want
				unwatched.WatchHits = nil
				if d := runspec.Difference(plain, unwatched); d != "" {
					t.Errorf("step %d: watching changes the run: %s", step, d)
				}
				for _, h := range want.WatchHits {
					if h.Access == "write" {
						writes = append(writes, fmt.Sprintf("%d %s", h.PC, h.Field))
					}
				}
				t.Logf("step %d: %d hits", step, len(want.WatchHits))
				if want.Outcome != nil {
					if err := st.Keep(s.Instruction, want.Outcome); err != nil {
						t.Fatal(err)
					}
				}
			}
			t.Logf("%d writes", len(writes))
			if c.Name == "spl_token_initialize_mint" {
				wantWrites := "[9852 accounts[0].data[0..4] 17217 accounts[0].data[4..12] 17217 accounts[0].data[12..20] " +
					"17217 accounts[0].data[20..28] 17217 accounts[0].data[28..36] 9866 accounts[0].data[45..46] " +
					"9867 accounts[0].data[44..45] 9868 accounts[0].data[36..44] 9872 accounts[0].data[46..50]]"
				if fmt.Sprint(writes) != wantWrites {
					t.Errorf("writes %v\nwant %s", writes, wantWrites)
				}
			}
		})
	}
}

func TestLongestUnwatched(t *testing.T) {
	w := func(addr, n uint64) vm.Watch { return vm.Watch{Addr: addr, Len: n, Kind: vm.WatchRead} }
	for _, c := range []struct {
		ws       []vm.Watch
		lo, size uint64
	}{
		{nil, 100, 50},
		{[]vm.Watch{w(0, 1000)}, 0, 0},
		{[]vm.Watch{w(110, 5)}, 115, 35},
		{[]vm.Watch{w(130, 5)}, 100, 30},
		{[]vm.Watch{w(90, 11), w(149, 10)}, 101, 48},
		{[]vm.Watch{w(120, 10), w(105, 20), w(140, 1)}, 130, 10},
		{[]vm.Watch{w(120, 10), w(105, 20), w(129, 100)}, 100, 5},
		{[]vm.Watch{w(104, 2), w(120, 10), w(105, 20), w(139, 1)}, 140, 10},
		{[]vm.Watch{w(0, ^uint64(0))}, 0, 0},
	} {
		lo, size := longestUnwatched(100, 50, c.ws)
		if lo != c.lo && c.size != 0 || size != c.size {
			t.Errorf("%v: [%d, +%d), want [%d, +%d)", c.ws, lo, size, c.lo, c.size)
		}
	}
}
