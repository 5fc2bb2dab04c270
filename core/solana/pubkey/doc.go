// Package pubkey holds Solana account addresses: the Pubkey type, its
// base58 text form, program-derived addresses and the well-known ids the
// runtime refers to. It follows sdk/program/src/pubkey.rs of Solana v1.6.13
// and the declare_id! lines of that release's sdk/program/src.
//
// # Text form
//
// A Pubkey is written in base58 with the Bitcoin alphabet, as Solana's bs58
// crate writes it. String, Parse, MarshalText/UnmarshalText and
// MarshalJSON/UnmarshalJSON all use that form. Parse rejects what the
// release's FromStr rejects, in the same order, and says exactly why: a
// *ParseError whose Kind is the release's ParsePubkeyError (WrongSize or
// Invalid). EncodeBase58 and DecodeBase58 expose the same codec for other
// bytes, such as instruction data given as text.
//
// The codec is github.com/mr-tron/base58: a small, dependency-free,
// maintained package whose default alphabet is Bitcoin's, the one Solana
// uses. This package checks the alphabet itself before decoding so that an
// error names the offending character and its offset, and callers never see
// the library's error values.
//
// # Program-derived addresses
//
// CreateProgramAddress and FindProgramAddress compute the addresses a
// program can sign for, with the release's limits (MaxSeeds seeds of at
// most MaxSeedLen bytes), hash (SHA-256 of seeds, program id and
// "ProgramDerivedAddress") and bump search (255 down to 1). Their errors are
// PubkeyError values with the release's texts. A candidate is rejected when
// it decodes as an ed25519 point; see Pubkey.IsOnCurve and RATIONALE.md for
// why filippo.io/edwards25519 decides that exactly as the release does.
// CreateWithSeed is the release's create_with_seed.
package pubkey
