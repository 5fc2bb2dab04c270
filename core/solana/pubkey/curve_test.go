package pubkey

import (
	"crypto/sha256"
	"math/big"
	"math/rand/v2"
	"testing"
)

// refOnCurve decides from the curve equation -x² + y² = 1 + d·x²·y² over
// GF(p), p = 2^255-19, whether b decodes to a point the way
// curve25519-dalek's CompressedEdwardsY::decompress does: y is the low 255
// bits reduced mod p (values >= p allowed), and a point exists when
// x² = (y²-1)/(d·y²+1) has a root. The sign bit only picks which root, and
// is accepted even when the root is 0.
func refOnCurve(b Pubkey) bool {
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	le := make([]byte, 32)
	for i := range le {
		le[i] = b[31-i]
	}
	le[0] &= 0x7f
	y := new(big.Int).SetBytes(le)
	y.Mod(y, p)
	d := new(big.Int).Mul(big.NewInt(-121665), new(big.Int).ModInverse(big.NewInt(121666), p))
	d.Mod(d, p)
	y2 := new(big.Int).Mul(y, y)
	u := new(big.Int).Sub(y2, big.NewInt(1))
	u.Mod(u, p)
	v := new(big.Int).Mul(d, y2)
	v.Add(v, big.NewInt(1)).Mod(v, p)
	if u.Sign() == 0 {
		return true
	}
	x2 := new(big.Int).Mul(u, new(big.Int).ModInverse(v, p))
	x2.Mod(x2, p)
	return big.Jacobi(x2, p) == 1
}

// encodeY returns the 32-byte little-endian encoding of p + k with the
// sign bit set to sign: a non-canonical encoding of y = k for k < 19.
func encodeY(k int, sign bool) Pubkey {
	// p = 2^255 - 19 is ed ff ... ff 7f in little-endian.
	var b Pubkey
	for i := range b {
		b[i] = 0xff
	}
	b[0] = byte(0xed + k)
	b[31] = 0x7f
	if sign {
		b[31] |= 0x80
	}
	return b
}

// TestIsOnCurveNonCanonical covers every encoding with y >= p, with both
// sign bits. Each must get the verdict of y - p, which the table pins and
// refOnCurve recomputes.
func TestIsOnCurveNonCanonical(t *testing.T) {
	onCurve := map[int]bool{
		0: true, 1: true, 2: false, 3: true, 4: true, 5: true, 6: true,
		7: false, 8: false, 9: true, 10: true, 11: false, 12: false,
		13: false, 14: true, 15: true, 16: true, 17: false, 18: true,
	}
	for k := 0; k < 19; k++ {
		for _, sign := range []bool{false, true} {
			b := encodeY(k, sign)
			var canonical Pubkey
			canonical[0] = byte(k)
			if sign {
				canonical[31] = 0x80
			}
			got := b.IsOnCurve()
			if got != onCurve[k] || got != refOnCurve(b) || got != canonical.IsOnCurve() {
				t.Errorf("y = p+%d sign %v (%x): IsOnCurve = %v, want %v (reference %v, y=%d %v)",
					k, sign, b[:], got, onCurve[k], refOnCurve(b), k, canonical.IsOnCurve())
			}
		}
	}
}

func TestIsOnCurveKnownPoints(t *testing.T) {
	var identity, identitySign, yZero, yTwo Pubkey
	identity[0] = 1 // (0, 1)
	identitySign[0], identitySign[31] = 1, 0x80
	yTwo[0] = 2
	minusOneSign := encodeY(0, true) // y = p: ed ff .. ff ff
	minusOneSign[0] = 0xec           // y = p-1 = -1, so x = 0; sign bit set
	var basepoint Pubkey             // y = 4/5: 58 66 66 .. 66
	basepoint[0] = 0x58
	for i := 1; i < 32; i++ {
		basepoint[i] = 0x66
	}
	tests := []struct {
		name string
		b    Pubkey
		want bool
	}{
		{"identity", identity, true},
		{"identity with sign bit (x = -0)", identitySign, true},
		{"y = 0", yZero, true},
		{"y = 2", yTwo, false},
		{"y = -1 with sign bit (x = -0)", minusOneSign, true},
		{"base point", basepoint, true},
	}
	for _, tt := range tests {
		if got := tt.b.IsOnCurve(); got != tt.want || refOnCurve(tt.b) != tt.want {
			t.Errorf("%s (%x): IsOnCurve = %v, reference %v, want %v",
				tt.name, tt.b[:], got, refOnCurve(tt.b), tt.want)
		}
	}
}

func TestIsOnCurveMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	on := 0
	const n = 3000
	for i := 0; i < n; i++ {
		var b Pubkey
		if i%2 == 0 {
			for j := range b {
				b[j] = byte(r.Uint32())
			}
		} else {
			b = sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		}
		got := b.IsOnCurve()
		if got != refOnCurve(b) {
			t.Fatalf("%x: IsOnCurve = %v, reference %v", b[:], got, !got)
		}
		if got {
			on++
		}
	}
	// About half of all y values have a point.
	if on < n/3 || on > 2*n/3 {
		t.Errorf("%d of %d on the curve", on, n)
	}
}
