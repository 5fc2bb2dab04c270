// Package digest is SHA-256 and Keccak-256 (the original Keccak padding,
// as Ethereum and Solana's sol_keccak256 use it) in plain Go, for the
// runtime's syscalls and program-derived addresses.
//
// The standard library's crypto/sha256 brings the FIPS 140 module with it
// (its DRBG, AES-GCM, HMAC and SHA-512), and golang.org/x/crypto/sha3 the
// same through crypto/sha3: about 60 KB of the playground's gzipped
// WebAssembly, whose budget is 2 MB. These two hashes take a few KB. They
// are tested against crypto/sha256 and x/crypto/sha3 on random inputs.
package digest
