package runspec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// counterIx is an instruction with one writable account of 8 bytes owned
// by the program, whose data counterSrc increments.
const counterIx = `{"program_id": "Counter111111111111111111111111111111111111",
 "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_writable": true,
  "lamports": 1000000, "owner": "Counter111111111111111111111111111111111111", "data_hex": "2900000000000000"}]}`

const counterSrc = `
	ldxdw r7, [r1+0x60]
	add64 r7, 1
	stxdw [r1+0x60], r7
	mov64 r0, 0
	exit`

func TestParseWatch(t *testing.T) {
	ix, err := solana.Parse([]byte(counterIx), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	in := solana.Serialize(ix)
	for _, c := range []struct {
		text string
		want vm.Watch
	}{
		{"0x400000060+8", vm.Watch{Addr: 0x400000060, Len: 8, Kind: vm.WatchWrite}},
		{"0x400000060+8:r", vm.Watch{Addr: 0x400000060, Len: 8, Kind: vm.WatchRead}},
		{"0x400000060-0x400000068:rw", vm.Watch{Addr: 0x400000060, Len: 8, Kind: vm.WatchAny}},
		{"17179869280+1:w", vm.Watch{Addr: 0x400000060, Len: 1, Kind: vm.WatchWrite}},
		{"accounts[0].data", vm.Watch{Addr: 0x400000060, Len: 8, Kind: vm.WatchWrite}},
		{"accounts[0].data[4..8]:r", vm.Watch{Addr: 0x400000064, Len: 4, Kind: vm.WatchRead}},
		{"accounts[0].lamports:rw", vm.Watch{Addr: 0x400000050, Len: 8, Kind: vm.WatchAny}},
	} {
		got, err := ParseWatch(c.text, in)
		if err != nil || got != c.want {
			t.Errorf("%s: %+v %v, want %+v", c.text, got, err, c.want)
		}
	}
	for _, bad := range []string{"0x10+0", "0x10-0x10", "0x10", "0x10+8:x", "accounts[1].data", "0xffffffffffffffff+2", "zz+1", ":r"} {
		if _, err := ParseWatch(bad, in); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseWatch("accounts[0].data", nil); err == nil || !strings.Contains(err.Error(), "instruction") {
		t.Errorf("a field name without an instruction: %v", err)
	}
}

// TestWatchHitsDocument: a runtime run names the bytes a hit touches,
// and stopping at the hit says so.
func TestWatchHitsDocument(t *testing.T) {
	ix, err := solana.Parse([]byte(counterIx), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s := Spec{Kind: KindAsm, Source: counterSrc, Instruction: ix}
	b, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWatch("accounts[0].data[0..8]:rw", b.Invocation.Input)
	if err != nil {
		t.Fatal(err)
	}
	b.Watches = []vm.Watch{w}
	r := b.Run(vm.Interpreter{})
	if len(r.WatchHits) != 2 || r.Failed() {
		t.Fatalf("%d hits, %s", len(r.WatchHits), r.Summary())
	}
	h := r.WatchHits[1]
	if got := h.String(); got != "pc 2 (insn #31) wrote 8 bytes at 0x400000060 (accounts[0].data): 2900000000000000 -> 2a00000000000000" {
		t.Errorf("hit %q", got)
	}
	doc, _ := json.Marshal(h)
	if !strings.Contains(string(doc), `"pc":2,"insn":31,"executed":3,"access":"write","addr":17179869280,"size":8,"field":"accounts[0].data","old":"2900000000000000","new":"2a00000000000000"`) {
		t.Errorf("document %s", doc)
	}
	if r.WatchHits[0].Access != "read" || r.WatchHits[0].Old != "" {
		t.Errorf("read hit %+v", r.WatchHits[0])
	}
	b.WatchStop = true
	r = b.Run(vm.Interpreter{})
	if !r.WatchStopped || len(r.WatchHits) != 1 || r.Summary() != "stopped at the watchpoint, 1 of 200000 compute units" ||
		!strings.HasPrefix(*r.Error, "stopped at a watchpoint: pc 0 (insn #29) read 8 bytes at 0x400000060") {
		t.Errorf("stopped: %+v %s", r.WatchHits, r.Summary())
	}
	// Outside a runtime run nothing is named.
	plain := Spec{Kind: KindAsm, Source: "stb [r1], 1\nexit", Input: []byte{0}}
	pb, err := plain.Build()
	if err != nil {
		t.Fatal(err)
	}
	pb.Watches = []vm.Watch{{Addr: ebpf.MMInputStart, Len: 1, Kind: vm.WatchWrite}}
	if r := pb.Run(vm.Interpreter{}); len(r.WatchHits) != 1 || r.WatchHits[0].Field != "" {
		t.Errorf("plain run hits %+v", r.WatchHits)
	}
}
