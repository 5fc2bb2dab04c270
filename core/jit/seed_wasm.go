//go:build js && wasm

package jit

import "math/rand/v2"

// randomSeed is a blinding seed from the Go runtime's generator (ChaCha8,
// seeded from the browser's crypto.getRandomValues). Under js/wasm the
// compiled code is only shown, never run, and crypto/rand would add about
// 170 KB to the playground's module (72 KB gzip) for nothing.
func randomSeed() uint64 {
	return rand.Uint64()
}
