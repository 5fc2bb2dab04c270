package elf

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seeds are the fixtures and the hostile corpus.
func seeds(t testing.TB) [][]byte {
	var out [][]byte
	for _, n := range fixtureNames {
		out = append(out, readFixture(t, n))
	}
	files, _ := filepath.Glob("../../testdata/elf/hostile/*.so")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// checkLoad loads data every way there is and checks the answers agree and
// that a loaded program only points inside its image.
func checkLoad(t *testing.T, data []byte) {
	p1, err1 := Load(data)
	p2, l, err2 := LoadWithLog(data)
	if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
		t.Fatalf("Load: %v, LoadWithLog: %v", err1, err2)
	}
	if err1 != nil {
		if l.Error == nil || l.Error.Error() != err1.Error() {
			t.Fatalf("log error %v, want %v", l.Error, err1)
		}
		if _, ierr := Inspect(data); (ierr == nil) != (l.Info != nil) {
			t.Fatalf("Inspect error %v, log info %v", ierr, l.Info != nil)
		}
		return
	}
	if !reflect.DeepEqual(p1, p2) {
		t.Fatal("Load and LoadWithLog differ")
	}
	if p1.Entrypoint < 0 || p1.Entrypoint >= len(p1.Text)/8+1 || len(p1.Image()) != len(data) {
		t.Fatalf("entry %d, text %d bytes", p1.Entrypoint, len(p1.Text))
	}
	p1.Symbols()
	for _, pc := range []int{0, p1.Entrypoint, len(p1.Text) / 8, 1 << 40} {
		if err := p1.ReportUnresolvedSymbol(pc); err == nil {
			t.Fatal("ReportUnresolvedSymbol returned nil")
		}
	}
}

// FuzzLoad is rbpf's test_fuzz_load as a Go fuzz target: arbitrary bytes
// must never panic, and the loader, the logged loader and Inspect agree.
func FuzzLoad(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkLoad(t, data) })
}

// TestMangle is the deterministic part of rbpf's test_fuzz_load: random
// bytes, then a real file mangled in its ELF header, in its section
// headers and anywhere, a few bytes at a time.
func TestMangle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		b := make([]byte, 100)
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		checkLoad(t, b)
	}
	base := readFixture(t, "noop")
	shoff := int(le.Uint64(base[40:]))
	ranges := [][2]int{{0, 64}, {shoff, len(base)}, {0, len(base)}}
	n := 3000
	if testing.Short() {
		n = 300
	}
	for _, r := range ranges {
		for i := 0; i < n; i++ {
			b := append([]byte(nil), base...)
			for k := rng.IntN(8) + 1; k > 0; k-- {
				b[r[0]+rng.IntN(r[1]-r[0])] = byte(rng.IntN(256))
			}
			checkLoad(t, b)
		}
	}
}
