package vm

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// watchProg stores r2 at input[8..16], reads input[0], pushes it through
// the stack and returns it.
const watchProg = `
	lddw r2, 0x1122334455667788
	stxdw [r1+8], r2
	ldxb r0, [r1]
	stxdw [r10-8], r0
	ldxdw r3, [r10-8]
	add64 r0, r3
	exit`

func watchInput() []byte {
	in := make([]byte, 24)
	for i := range in {
		in[i] = byte(i + 1)
	}
	return in
}

func newWatchVM(t *testing.T, src string, input []byte, budget uint64, ws ...Watch) *VM {
	t.Helper()
	m, err := New(mustExe(t, src, nil), RunOptions{Input: input, Budget: budget, Watches: ws})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWatchWrite(t *testing.T) {
	in := watchInput()
	m := newWatchVM(t, watchProg, in, 100, Watch{Addr: ebpf.MMInputStart + 12, Len: 1, Kind: WatchWrite})
	if n := m.Step(100); n != 2 {
		t.Fatalf("stepped %d instructions, want 2 (lddw, stxdw)", n)
	}
	h, ok := m.WatchHit()
	if !ok {
		t.Fatal("no hit")
	}
	want := WatchHit{Watch: 0, PC: 2, Executed: 2, Access: Store, Addr: ebpf.MMInputStart + 8, Size: 8,
		Old: []byte{9, 10, 11, 12, 13, 14, 15, 16}, New: []byte{0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11},
		Regs: m.Registers()}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("hit %+v\nwant %+v", h, want)
	}
	if h.Regs[2] != 0x1122334455667788 || m.PC() != 3 {
		t.Errorf("after the hit: r2 %#x, pc %d", h.Regs[2], m.PC())
	}
	if got := h.String(); got != "pc 2 (insn #31) wrote 8 bytes at 0x400000008" {
		t.Errorf("String %q", got)
	}
	r := m.Run()
	if r.Err != nil || r.Value != 2 || len(r.WatchHits) != 1 || !reflect.DeepEqual(r.WatchHits[0], want) {
		t.Errorf("run: %v %d, hits %+v", r.Err, r.Value, r.WatchHits)
	}
}

func TestWatchReadAndKinds(t *testing.T) {
	for _, c := range []struct {
		name string
		w    Watch
		pcs  []int
	}{
		{"read input", Watch{Addr: ebpf.MMInputStart, Len: 1, Kind: WatchRead}, []int{3}},
		{"write watch ignores loads", Watch{Addr: ebpf.MMInputStart, Len: 1, Kind: WatchWrite}, nil},
		{"read watch ignores stores", Watch{Addr: ebpf.MMInputStart + 8, Len: 8, Kind: WatchRead}, nil},
		{"any", Watch{Addr: ebpf.MMInputStart, Len: 16, Kind: WatchAny}, []int{2, 3}},
		{"stack", Watch{Addr: ebpf.MMStackStart + 4096 - 8, Len: 8, Kind: WatchAny}, []int{4, 5}},
		{"stack read", Watch{Addr: ebpf.MMStackStart + 4096 - 1, Len: 1, Kind: WatchRead}, []int{5}},
		{"elsewhere", Watch{Addr: ebpf.MMHeapStart, Len: 1 << 20, Kind: WatchAny}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newWatchVM(t, watchProg, watchInput(), 100, c.w)
			var pcs []int
			for !m.Done() {
				m.Step(1 << 20)
				if h, ok := m.WatchHit(); ok {
					pcs = append(pcs, h.PC)
					if h.Access == Load && (h.Old != nil || len(h.New) != h.Size) {
						t.Errorf("load hit with old %x new %x", h.Old, h.New)
					}
				}
			}
			if fmt.Sprint(pcs) != fmt.Sprint(c.pcs) {
				t.Errorf("hits at %v, want %v", pcs, c.pcs)
			}
			if r := m.Result(); r.Err != nil || r.Value != 2 || len(r.WatchHits) != len(c.pcs) {
				t.Errorf("result %v %d, %d hits", r.Err, r.Value, len(r.WatchHits))
			}
		})
	}
}

// TestWatchEdges: an access hits exactly when one of its bytes is in the
// range, for every size and position around the range's edges.
func TestWatchEdges(t *testing.T) {
	const lo, n = 16, 3 // watch input[16..19)
	for _, size := range []int{1, 2, 4, 8} {
		op := map[int]string{1: "b", 2: "h", 4: "w", 8: "dw"}[size]
		for off := 16 - 9; off <= 16+n+1; off++ {
			for _, store := range []bool{false, true} {
				src := fmt.Sprintf("ldx%s r0, [r1+%d]\nexit", op, off)
				if store {
					src = fmt.Sprintf("st%s [r1+%d], 7\nexit", op, off)
				}
				m := newWatchVM(t, src, make([]byte, 32), 10, Watch{Addr: ebpf.MMInputStart + lo, Len: n, Kind: WatchAny})
				r := m.Run()
				want := off+size > lo && off < lo+n
				if r.Err != nil || (len(r.WatchHits) == 1) != want || len(r.WatchHits) > 1 {
					t.Errorf("%q: %v, %d hits, want hit %v", src, r.Err, len(r.WatchHits), want)
				}
			}
		}
	}
}

// TestWatchResume: stepping from hit to hit ends exactly as a run without
// watches, whatever is watched, and a stop falls where the hit says.
func TestWatchResume(t *testing.T) {
	watches := []Watch{
		{Addr: ebpf.MMInputStart, Len: 1, Kind: WatchAny},
		{Addr: ebpf.MMInputStart + 1, Len: 4, Kind: WatchWrite},
		{Addr: ebpf.MMStackStart, Len: 1 << 16, Kind: WatchAny},
		{Addr: ebpf.MMStackStart + 4096 - 16, Len: 8, Kind: WatchRead},
		{Addr: ebpf.MMProgramStart, Len: 1 << 20, Kind: WatchRead},
	}
	for _, c := range stepCases {
		exe := mustExe(t, c.src, c.setup)
		full := Interpreter{}.Run(exe, RunOptions{Input: append([]byte(nil), c.input...), Budget: c.budget})
		for _, w := range watches {
			input := append([]byte(nil), c.input...)
			m, err := New(exe, RunOptions{Input: input, Budget: c.budget, Watches: []Watch{w}})
			if err != nil {
				t.Fatal(err)
			}
			hits := 0
			for !m.Done() {
				before := m.Executed()
				m.Step(3)
				if h, ok := m.WatchHit(); ok {
					hits++
					if h.Executed != m.Executed() || m.Executed() <= before || h.Regs != m.Registers() {
						t.Errorf("%s: hit %+v at executed %d", c.name, h, m.Executed())
					}
				}
			}
			r := m.Result()
			if err := sameResult(full, r); err != nil {
				t.Errorf("%s watching %+v: %v", c.name, w, err)
			}
			if len(r.WatchHits) != hits {
				t.Errorf("%s: %d hits recorded, %d stops", c.name, len(r.WatchHits), hits)
			}
		}
	}
}

func TestWatchStop(t *testing.T) {
	exe := mustExe(t, watchProg, nil)
	opts := RunOptions{Input: watchInput(), Budget: 100, WatchStop: true,
		Watches: []Watch{{Addr: ebpf.MMStackStart, Len: 1 << 16, Kind: WatchAny}}}
	r := Interpreter{}.Run(exe, opts)
	var ws *WatchStop
	if !errors.As(r.Err, &ws) || !errors.Is(r.Err, ErrWatchStop) || ws.Hit.PC != 4 || r.Executed != 4 || r.InstructionCount != 4 {
		t.Fatalf("result %v, executed %d, count %d", r.Err, r.Executed, r.InstructionCount)
	}
	if r.Err.Error() != "stopped at a watchpoint: pc 4 (insn #33) wrote 8 bytes at 0x200000ff8" {
		t.Errorf("error text %q", r.Err)
	}
	// Stepped to the hit (as a recorder steps), Run ends there too.
	opts.Input = watchInput()
	m, err := New(exe, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, hit := m.WatchHit(); !hit && !m.Done(); _, hit = m.WatchHit() {
		m.Step(3)
	}
	if s := m.Run(); !errors.Is(s.Err, ErrWatchStop) || s.Err.Error() != r.Err.Error() || s.Executed != 4 || s.InstructionCount != 4 {
		t.Errorf("stepped, then run: %v, executed %d, count %d", s.Err, s.Executed, s.InstructionCount)
	}
	// The instruction that exhausts the meter ends the run with the
	// meter's error even when it hits a watch.
	opts.Input, opts.Budget = watchInput(), 4
	r = Interpreter{}.Run(exe, opts)
	if r.Err == nil || errors.Is(r.Err, ErrWatchStop) || len(r.WatchHits) != 1 {
		t.Errorf("budget 4: %v, %d hits", r.Err, len(r.WatchHits))
	}
}

func TestWatchLimitsAndChanges(t *testing.T) {
	src := "mov64 r2, 0\nstxb [r1], r2\nadd64 r2, 1\njlt r2, 10, -3\nexit"
	exe := mustExe(t, src, nil)
	w := []Watch{{Addr: ebpf.MMInputStart, Len: 1, Kind: WatchWrite}}
	r := Interpreter{}.Run(exe, RunOptions{Input: make([]byte, 1), Budget: 100, Watches: w, MaxWatchHits: 3})
	if len(r.WatchHits) != 3 || r.WatchHitsDropped != 7 || !bytes.Equal(r.WatchHits[2].New, []byte{2}) {
		t.Errorf("%d hits kept, %d dropped", len(r.WatchHits), r.WatchHitsDropped)
	}
	m, err := New(exe, RunOptions{Input: make([]byte, 1), Budget: 100, Watches: w})
	if err != nil {
		t.Fatal(err)
	}
	m.Step(100)
	m.Step(100)
	if err := m.SetWatches(nil); err != nil {
		t.Fatal(err)
	}
	if r := m.Run(); r.Err != nil || len(r.WatchHits) != 2 {
		t.Errorf("after removing the watch: %v, %d hits", r.Err, len(r.WatchHits))
	}
	if err := m.Reset(make([]byte, 1), 100); err != nil || len(m.WatchHits()) != 0 {
		t.Fatalf("reset: %v, %d hits", err, len(m.WatchHits()))
	}
	for _, bad := range []Watch{{Addr: 1, Len: 0, Kind: WatchRead}, {Addr: ^uint64(0), Len: 2, Kind: WatchRead}, {Addr: 1, Len: 1}, {Addr: 1, Len: 1, Kind: 4}} {
		if err := m.SetWatches([]Watch{bad}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
		if _, err := New(exe, RunOptions{Watches: []Watch{bad}}); err == nil {
			t.Errorf("New accepted %+v", bad)
		}
	}
	if (Watch{Addr: ^uint64(0), Len: 1, Kind: WatchRead}).Check() != nil {
		t.Error("the last byte of the address space cannot be watched")
	}
}

// TestWatchAfterReset: a reset with a longer input keeps the watches,
// which then cover the input's new bytes too.
func TestWatchAfterReset(t *testing.T) {
	m := newWatchVM(t, "stb [r1+40], 1\nexit", make([]byte, 8), 10, Watch{Addr: ebpf.MMInputStart + 40, Len: 8, Kind: WatchWrite})
	if r := m.Run(); r.Err == nil {
		t.Fatal("the store past the input succeeded")
	}
	if err := m.Reset(make([]byte, 48), 10); err != nil {
		t.Fatal(err)
	}
	if r := m.Run(); r.Err != nil || len(r.WatchHits) != 1 {
		t.Errorf("after the reset: %v, %d hits", r.Err, len(r.WatchHits))
	}
}
