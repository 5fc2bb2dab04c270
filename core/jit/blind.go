package jit

import (
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
)

// blinder produces the keys of constant blinding: each immediate is
// emitted as imm^key together with key, and XORed back at run time.
type blinder struct {
	on    bool
	state uint64
}

func newBlinder(o Options) blinder {
	b := blinder{on: o.ConstantBlinding, state: o.BlindingSeed}
	if b.on && b.state == 0 {
		b.state = randomSeed() | 1
	}
	return b
}

// next returns the next key (splitmix64).
func (b *blinder) next() uint64 {
	b.state += 0x9e3779b97f4a7c15
	z := b.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// blindedImm sets dst to the sign-extended imm without imm appearing in
// the code.
func (c *compiler) blindedImm(dst amd64.Reg, imm int32) {
	c.blindedConst(dst, int64(imm))
}

// blindedConst sets dst to v without v appearing in the code.
func (c *compiler) blindedConst(dst amd64.Reg, v int64) {
	key := int64(c.blind.next())
	if v == int64(int32(v)) {
		key = int64(int32(key))
	}
	if key == 0 {
		key = int64(bits.RotateLeft64(1, int(v&63)))
	}
	c.a.MovImm(dst, v^key)
	c.a.MovImm(amd64.RDX, key)
	c.a.Alu(amd64.Xor, amd64.W64, dst, amd64.RDX)
}
