package tracefile

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/solana"
)

// fuzzLimits keep the fuzzer's inputs small.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxSteps: 1 << 16, Instruction: solana.Limits{
	MaxAccounts: 8, MaxAccountData: 1 << 12, MaxTotalData: 1 << 14, MaxInstruction: 1 << 12, MaxHeap: 1 << 16, MaxComputeUnits: 1 << 20}}

// FuzzDecode: any bytes either fail to decode with an error or give a
// File that steps to the end, and reads back the same after writing it
// again; never a panic. The corpus in testdata/fuzz/FuzzDecode holds
// recorded runs (assembly, raw bytes, a runtime run, a truncated trace).
func FuzzDecode(f *testing.F) {
	for _, spec := range seedRuns() {
		g, _ := record(f, "seed", spec)
		data, err := g.Bytes()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Decode(data, fuzzLimits)
		if err != nil {
			return
		}
		c := g.Cursor()
		n := 0
		for c.Next() {
			e, ok := g.Entry(n)
			if !ok || e != c.Entry() {
				t.Fatalf("step %d: Entry %v %v, cursor %v", n, e, ok, c.Entry())
			}
			n++
		}
		if n != g.Len() {
			t.Fatalf("cursor stopped at %d of %d", n, g.Len())
		}
		again, err := g.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		h, err := Decode(again, fuzzLimits)
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		if !bytes.Equal(h.steps, g.steps) || h.Len() != g.Len() {
			t.Fatal("re-encoded file differs")
		}
		if d := Compare(g, h); d.Diverge != nil || d.Prefix != "" {
			t.Fatalf("re-encoded file steps differently: %+v", d)
		}
	})
}

// FuzzDecodeBody fuzzes the decompressed contents directly, past the
// gzip CRC that turns most mutations of a whole file away.
func FuzzDecodeBody(f *testing.F) {
	for _, spec := range seedRuns() {
		g, _ := record(f, "seed", spec)
		f.Add(body(f, g))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := decodeBody(data, fuzzLimits)
		if err != nil {
			return
		}
		n := 0
		for c := g.Cursor(); c.Next(); n++ {
			if e, ok := g.Entry(n); !ok || e != c.Entry() {
				t.Fatalf("step %d: Entry %v %v, cursor %v", n, e, ok, c.Entry())
			}
		}
		if n != g.Len() {
			t.Fatalf("cursor stopped at %d of %d", n, g.Len())
		}
		if _, err := Decode(mustBytes(t, g), fuzzLimits); err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
	})
}

// body is a file's decompressed contents.
func body(t testing.TB, g *File) []byte {
	data := mustBytes(t, g)
	z, err := gzip.NewReader(bytes.NewReader(data[len(Magic):]))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustBytes(t testing.TB, g *File) []byte {
	data, err := g.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}
