//go:build !(js && wasm)

package jit

import (
	"crypto/rand"
	"encoding/binary"
)

// randomSeed is a blinding seed from the operating system's cryptographic
// random source, on every platform whose code may run.
func randomSeed() uint64 {
	var s [8]byte
	_, _ = rand.Read(s[:])
	return binary.LittleEndian.Uint64(s[:])
}
