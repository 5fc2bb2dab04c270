package pubkey

import (
	"fmt"

	"filippo.io/edwards25519"

	"github.com/rbpfgo/rbpfgo/core/digest"
)

// PubkeyError is the release's PubkeyError enum: why a seed list yields no
// address. Its values are the enum's numbers (MaxSeedLengthExceeded = 0,
// InvalidSeeds = 1) and Error returns the release's text.
type PubkeyError int

// The values of PubkeyError, in the release's order.
const (
	// MaxSeedLengthExceeded: a seed is longer than MaxSeedLen bytes, or
	// there are more than MaxSeeds seeds.
	MaxSeedLengthExceeded PubkeyError = iota
	// InvalidSeeds: the derived address lies on the ed25519 curve.
	InvalidSeeds
)

func (e PubkeyError) Error() string {
	switch e {
	case MaxSeedLengthExceeded:
		return "Length of the seed is too long for address generation"
	case InvalidSeeds:
		return "Provided seeds do not result in a valid address"
	}
	return fmt.Sprintf("PubkeyError(%d)", int(e))
}

// programDerivedMarker ends the hash input of every program address.
const programDerivedMarker = "ProgramDerivedAddress"

// checkSeeds returns MaxSeedLengthExceeded if there are more than MaxSeeds
// seeds or any seed is longer than MaxSeedLen bytes.
func checkSeeds(seeds [][]byte) error {
	if len(seeds) > MaxSeeds {
		return MaxSeedLengthExceeded
	}
	for _, s := range seeds {
		if len(s) > MaxSeedLen {
			return MaxSeedLengthExceeded
		}
	}
	return nil
}

// CreateProgramAddress derives the address that program can sign for with
// seeds: SHA-256 of the seeds concatenated, then program, then the bytes
// "ProgramDerivedAddress". The seeds are joined without separators, so
// {"abcdef"} and {"abc", "def"} give the same address.
//
// It returns MaxSeedLengthExceeded if there are more than MaxSeeds seeds or
// a seed is longer than MaxSeedLen bytes, and InvalidSeeds if the hash is
// an ed25519 point (such an address could have a private key).
func CreateProgramAddress(seeds [][]byte, program Pubkey) (Pubkey, error) {
	if err := checkSeeds(seeds); err != nil {
		return Pubkey{}, err
	}
	h := digest.NewSHA256()
	for _, s := range seeds {
		h.Write(s)
	}
	h.Write(program[:])
	h.Write([]byte(programDerivedMarker))
	var addr Pubkey
	h.Sum(addr[:0])
	if addr.IsOnCurve() {
		return Pubkey{}, InvalidSeeds
	}
	return addr, nil
}

// FindProgramAddress looks for the bump seed that, appended to seeds as a
// one-byte seed, gives a valid program address. It tries 255, 254, ... down
// to 1 and returns the first address CreateProgramAddress accepts, with its
// bump. Like the release it never tries 0.
//
// Where the release's try_find_program_address returns None (and
// find_program_address panics), FindProgramAddress returns an error:
// MaxSeedLengthExceeded if seeds plus the bump would break the seed limits
// (then no bump can succeed), and InvalidSeeds if all 255 candidates lie on
// the curve.
func FindProgramAddress(seeds [][]byte, program Pubkey) (Pubkey, uint8, error) {
	withBump := make([][]byte, len(seeds)+1)
	copy(withBump, seeds)
	if err := checkSeeds(withBump); err != nil {
		return Pubkey{}, 0, err
	}
	var bump [1]byte
	withBump[len(seeds)] = bump[:]
	for b := 255; b > 0; b-- {
		bump[0] = byte(b)
		addr, err := CreateProgramAddress(withBump, program)
		if err == nil {
			return addr, bump[0], nil
		}
	}
	return Pubkey{}, 0, InvalidSeeds
}

// CreateWithSeed derives an address from a base address, a text seed of
// at most MaxSeedLen bytes and an owner program: SHA-256 of base, seed and
// owner. Unlike a program address it may lie on the curve. It returns
// MaxSeedLengthExceeded for a longer seed.
func CreateWithSeed(base Pubkey, seed string, owner Pubkey) (Pubkey, error) {
	if len(seed) > MaxSeedLen {
		return Pubkey{}, MaxSeedLengthExceeded
	}
	h := digest.NewSHA256()
	h.Write(base[:])
	h.Write([]byte(seed))
	h.Write(owner[:])
	var addr Pubkey
	h.Sum(addr[:0])
	return addr, nil
}

// IsOnCurve reports whether p is the compressed form of an ed25519 point,
// as the release's bytes_are_curve_point does with curve25519-dalek's
// CompressedEdwardsY::decompress.
//
// Both decoders read the low 255 bits as y without requiring y < p (so the
// 19 values p..2^255-1 stand for 0..18), take bit 255 as the sign of x, and
// accept the sign bit set when x is 0. filippo.io/edwards25519's SetBytes
// documents exactly these rules, so its verdict is dalek's; the tests check
// it against a big-integer decoder written from the curve equation.
func (p Pubkey) IsOnCurve() bool {
	_, err := new(edwards25519.Point).SetBytes(p[:])
	return err == nil
}
