package digest

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

// keccakRC are the round constants of Keccak-f[1600].
var keccakRC = [24]uint64{
	0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
	0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
	0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
	0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
	0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
	0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
}

// keccakRho and keccakPi are the rotation of each lane and where pi moves
// it, in the order the combined rho-pi step visits the lanes.
var (
	keccakRho = [24]int{1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44}
	keccakPi  = [24]int{10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1}
)

// keccakF1600 permutes the state a.
func keccakF1600(a *[25]uint64) {
	var c [5]uint64
	for r := range 24 {
		for x := range 5 {
			c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
		}
		for x := range 5 {
			d := c[(x+4)%5] ^ bits.RotateLeft64(c[(x+1)%5], 1)
			for y := 0; y < 25; y += 5 {
				a[y+x] ^= d
			}
		}
		t := a[1]
		for i := range 24 {
			j := keccakPi[i]
			t, a[j] = a[j], bits.RotateLeft64(t, keccakRho[i])
		}
		for y := 0; y < 25; y += 5 {
			for x := range 5 {
				c[x] = a[y+x]
			}
			for x := range 5 {
				a[y+x] = c[x] ^ ^c[(x+1)%5]&c[(x+2)%5]
			}
		}
		a[0] ^= keccakRC[r]
	}
}

// keccak256Rate is the sponge's rate for a 256-bit output: 1088 bits.
const keccak256Rate = 136

// Keccak256 is a Keccak-256 hash in progress.
type Keccak256 struct {
	a   [25]uint64
	buf [keccak256Rate]byte
	n   int
}

// NewKeccak256 returns a Keccak-256 hash with the original padding (0x01),
// not SHA3-256's (0x06).
func NewKeccak256() hash.Hash { return &Keccak256{} }

// Reset starts over.
func (k *Keccak256) Reset() { *k = Keccak256{} }

// Size is 32, BlockSize the rate, 136.
func (k *Keccak256) Size() int      { return 32 }
func (k *Keccak256) BlockSize() int { return keccak256Rate }

// Write absorbs p; it never fails.
func (k *Keccak256) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		c := copy(k.buf[k.n:], p)
		k.n += c
		p = p[c:]
		if k.n == keccak256Rate {
			k.absorb()
		}
	}
	return n, nil
}

func (k *Keccak256) absorb() {
	for i := range keccak256Rate / 8 {
		k.a[i] ^= binary.LittleEndian.Uint64(k.buf[8*i:])
	}
	keccakF1600(&k.a)
	k.n = 0
}

// Sum appends the hash of what was written to b, leaving k as it was.
func (k *Keccak256) Sum(b []byte) []byte {
	c := *k
	clear(c.buf[c.n:])
	c.buf[c.n] ^= 0x01
	c.buf[keccak256Rate-1] ^= 0x80
	c.absorb()
	for i := range 4 {
		b = binary.LittleEndian.AppendUint64(b, c.a[i])
	}
	return b
}
