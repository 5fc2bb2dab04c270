package ebpf

import (
	"encoding/binary"
	"math/bits"
	"testing"
)

// referenceMurmur3 is a deliberately different formulation of murmur3_32
// (byte-at-a-time accumulation, written from the published algorithm) used as
// an independent oracle for HashSymbolName.
func referenceMurmur3(data []byte, seed uint32) uint32 {
	h := seed
	var k uint32
	var nk int
	for i, c := range data {
		k |= uint32(c) << (8 * uint(nk))
		nk++
		if nk == 4 {
			k *= 0xcc9e2d51
			k = k<<15 | k>>17
			k *= 0x1b873593
			h ^= k
			h = h<<13 | h>>19
			h = h*5 + 0xe6546b64
			k, nk = 0, 0
		}
		_ = i
	}
	if nk > 0 {
		k *= 0xcc9e2d51
		k = k<<15 | k>>17
		k *= 0x1b873593
		h ^= k
	}
	h ^= uint32(len(data))
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

func TestHashKnownValues(t *testing.T) {
	// Well-known hashes of Solana program symbols and of murmur3 test vectors.
	cases := []struct {
		in   string
		want uint32
	}{
		{"", 0},
		{"entrypoint", 0x71e3cf81},
		{"abort", 0xb6fc1a11},
		{"sol_log_", 0x207559bd},
		{"sol_log_64_", 0x5c2a3178},
		{"sol_panic_", 0x686093bb},
		{"The quick brown fox jumps over the lazy dog", 0x2e4ff723},
	}
	for _, c := range cases {
		if got := HashSymbolName([]byte(c.in)); got != c.want {
			t.Errorf("HashSymbolName(%q) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

func TestHashMatchesReference(t *testing.T) {
	buf := make([]byte, 0, 64)
	for n := 0; n < 64; n++ {
		for _, s := range []uint32{1, 7, 0x9e3779b9} {
			in := buf[:n]
			for i := range in {
				in[i] = byte(bits.RotateLeft32(s*uint32(i+1), i))
			}
			want := referenceMurmur3(in, 0)
			if got := HashSymbolName(in); got != want {
				t.Fatalf("len %d: got %#x want %#x", n, got, want)
			}
			if st := HashSymbolNameSteps(in); st.Hash != want || st.Imm != int32(want) {
				t.Fatalf("steps len %d: got %#x want %#x", n, st.Hash, want)
			}
		}
	}
}

func TestHashSteps(t *testing.T) {
	st := HashSymbolNameSteps([]byte("log_64"))
	if len(st.Blocks) != 1 || st.Tail == nil || len(st.Tail.Bytes) != 2 {
		t.Fatalf("log_64: %d blocks, tail %+v", len(st.Blocks), st.Tail)
	}
	if st.Blocks[0].K != binary.LittleEndian.Uint32([]byte("log_")) {
		t.Errorf("block word %#x", st.Blocks[0].K)
	}
	if st.Tail.HIn != st.Blocks[0].HOut || st.Final.HIn != st.Tail.HOut {
		t.Errorf("steps do not chain: %+v", st)
	}
	if st.Final.Length != 6 {
		t.Errorf("length %d", st.Final.Length)
	}
	if HashPC(5) != HashSymbolName([]byte{5, 0, 0, 0, 0, 0, 0, 0}) {
		t.Error("HashPC(5) differs from the hash of its little-endian key")
	}
}

func FuzzHashSteps(f *testing.F) {
	f.Add([]byte("log"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		if a, b := HashSymbolName(in), HashSymbolNameSteps(in).Hash; a != b || a != referenceMurmur3(in, 0) {
			t.Fatalf("%x: %#x %#x", in, a, b)
		}
	})
}
