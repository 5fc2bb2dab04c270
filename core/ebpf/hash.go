package ebpf

import (
	"encoding/binary"
	"math/bits"
)

// Constants of the 32-bit murmur3 hash (x86_32 variant).
const (
	murmurC1     uint32 = 0xcc9e2d51
	murmurC2     uint32 = 0x1b873593
	murmurN      uint32 = 0xe6546b64
	murmurFinal1 uint32 = 0x85ebca6b
	murmurFinal2 uint32 = 0xc2b2ae35
)

// HashSymbolName is rbpf's `hash_symbol_name`: the 32-bit murmur3 hash of
// name with seed 0. It is the key under which syscalls and functions are
// looked up when a `call imm` executes.
func HashSymbolName(name []byte) uint32 {
	h := uint32(0)
	n := len(name) &^ 3
	for i := 0; i < n; i += 4 {
		h = murmurRound(h, binary.LittleEndian.Uint32(name[i:]))
	}
	if k := murmurTail(name[n:]); len(name) > n {
		h ^= murmurScramble(k)
	}
	return murmurFinalize(h, uint32(len(name)))
}

// PCKey returns the bytes that rbpf hashes to name the function starting at
// instruction index pc: the index as a little-endian 64-bit integer.
func PCKey(pc uint64) []byte {
	return binary.LittleEndian.AppendUint64(nil, pc)
}

// HashPC is the key rbpf registers a function under when it is known only by
// its instruction index (relative calls and local symbols).
func HashPC(pc uint64) uint32 { return HashSymbolName(PCKey(pc)) }

func murmurScramble(k uint32) uint32 {
	k *= murmurC1
	k = bits.RotateLeft32(k, 15)
	return k * murmurC2
}

func murmurRound(h, k uint32) uint32 {
	h ^= murmurScramble(k)
	h = bits.RotateLeft32(h, 13)
	return h*5 + murmurN
}

func murmurTail(tail []byte) uint32 {
	var k uint32
	for i := len(tail) - 1; i >= 0; i-- {
		k = k<<8 | uint32(tail[i])
	}
	return k
}

func murmurFinalize(h, length uint32) uint32 {
	h ^= length
	h ^= h >> 16
	h *= murmurFinal1
	h ^= h >> 13
	h *= murmurFinal2
	h ^= h >> 16
	return h
}
