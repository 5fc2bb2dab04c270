package ebpf

import (
	"encoding/binary"
	"math/bits"
)

// HashBlock records how one 4-byte block of the input changes the state.
type HashBlock struct {
	Offset int    `json:"offset"` // byte offset of the block in the input
	Bytes  []byte `json:"bytes"`  // the four input bytes
	K      uint32 `json:"k"`      // the bytes read as a little-endian word
	KMul1  uint32 `json:"k_mul1"` // k * c1
	KRot   uint32 `json:"k_rot"`  // rotl(k * c1, 15)
	KMul2  uint32 `json:"k_mul2"` // rotl(k * c1, 15) * c2, the scrambled block
	HIn    uint32 `json:"h_in"`   // state before the block
	HXor   uint32 `json:"h_xor"`  // state ^ scrambled block
	HRot   uint32 `json:"h_rot"`  // rotl(state ^ block, 13)
	HOut   uint32 `json:"h_out"`  // rotl(...) * 5 + 0xe6546b64, the state after the block
}

// HashTail records how the 1 to 3 bytes left after the last whole block are
// mixed in. It is absent when the input length is a multiple of four.
type HashTail struct {
	Offset int    `json:"offset"`
	Bytes  []byte `json:"bytes"`
	K      uint32 `json:"k"`      // the tail bytes as a little-endian number
	KMul1  uint32 `json:"k_mul1"` // k * c1
	KRot   uint32 `json:"k_rot"`  // rotl(k * c1, 15)
	KMul2  uint32 `json:"k_mul2"` // rotl(k * c1, 15) * c2
	HIn    uint32 `json:"h_in"`
	HOut   uint32 `json:"h_out"` // state ^ scrambled tail
}

// HashFinal records the finalization ("fmix32") of the state.
type HashFinal struct {
	HIn    uint32 `json:"h_in"`
	Length uint32 `json:"length"`
	XorLen uint32 `json:"xor_len"` // h ^ length
	Shr16a uint32 `json:"shr16a"`  // h ^= h >> 16
	Mul1   uint32 `json:"mul1"`    // h *= 0x85ebca6b
	Shr13  uint32 `json:"shr13"`   // h ^= h >> 13
	Mul2   uint32 `json:"mul2"`    // h *= 0xc2b2ae35
	Shr16b uint32 `json:"shr16b"`  // h ^= h >> 16, the hash
}

// HashSteps is every intermediate value of HashSymbolName for one input, for
// showing how a name or an instruction index becomes a `call` immediate.
type HashSteps struct {
	Input  []byte      `json:"input"`
	Seed   uint32      `json:"seed"`
	Blocks []HashBlock `json:"blocks"`
	Tail   *HashTail   `json:"tail,omitempty"`
	Final  HashFinal   `json:"final"`
	Hash   uint32      `json:"hash"`
	// Imm is the hash as the signed 32-bit immediate a `call` instruction holds.
	Imm int32 `json:"imm"`
}

// HashSymbolNameSteps computes HashSymbolName(name) and records each step.
// The result's Hash always equals HashSymbolName(name).
func HashSymbolNameSteps(name []byte) HashSteps {
	s := HashSteps{Input: append([]byte(nil), name...)}
	h := uint32(0)
	n := len(name) &^ 3
	for i := 0; i < n; i += 4 {
		b := HashBlock{Offset: i, Bytes: append([]byte(nil), name[i:i+4]...), HIn: h}
		b.K = binary.LittleEndian.Uint32(name[i:])
		b.KMul1 = b.K * murmurC1
		b.KRot = bits.RotateLeft32(b.KMul1, 15)
		b.KMul2 = b.KRot * murmurC2
		b.HXor = h ^ b.KMul2
		b.HRot = bits.RotateLeft32(b.HXor, 13)
		b.HOut = b.HRot*5 + murmurN
		h = b.HOut
		s.Blocks = append(s.Blocks, b)
	}
	if len(name) > n {
		t := &HashTail{Offset: n, Bytes: append([]byte(nil), name[n:]...), HIn: h}
		t.K = murmurTail(name[n:])
		t.KMul1 = t.K * murmurC1
		t.KRot = bits.RotateLeft32(t.KMul1, 15)
		t.KMul2 = t.KRot * murmurC2
		t.HOut = h ^ t.KMul2
		h = t.HOut
		s.Tail = t
	}
	f := HashFinal{HIn: h, Length: uint32(len(name))}
	f.XorLen = h ^ f.Length
	f.Shr16a = f.XorLen ^ f.XorLen>>16
	f.Mul1 = f.Shr16a * murmurFinal1
	f.Shr13 = f.Mul1 ^ f.Mul1>>13
	f.Mul2 = f.Shr13 * murmurFinal2
	f.Shr16b = f.Mul2 ^ f.Mul2>>16
	s.Final = f
	s.Hash = f.Shr16b
	s.Imm = int32(s.Hash)
	return s
}
