package pubkey

import (
	"fmt"
	"unicode/utf8"

	"github.com/mr-tron/base58"
)

// alphabet is the Bitcoin base58 alphabet, the one Solana's bs58 crate
// uses by default: digits and letters without 0, O, I and l.
const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// inAlphabet[c] reports whether byte c is a base58 digit.
var inAlphabet = func() (t [256]bool) {
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = true
	}
	return t
}()

// Base58Error reports a character outside the base58 alphabet.
type Base58Error struct {
	Offset int  // byte offset of the character in the input
	Char   rune // the character, or utf8.RuneError if the bytes are not UTF-8
}

func (e *Base58Error) Error() string {
	return fmt.Sprintf("invalid base58 character %q at offset %d", e.Char, e.Offset)
}

// EncodeBase58 returns b in base58: one '1' for each leading zero byte,
// then the rest of b as a big-endian number in base 58. It returns "" for
// an empty b.
func EncodeBase58(b []byte) string {
	return base58.Encode(b)
}

// DecodeBase58 is the inverse of EncodeBase58. The empty string decodes to
// an empty, non-nil slice. A character outside the alphabet is reported as
// a *Base58Error naming the first such character.
func DecodeBase58(s string) ([]byte, error) {
	if err := checkBase58(s); err != nil {
		return nil, err
	}
	if s == "" {
		return []byte{}, nil
	}
	b, err := base58.Decode(s)
	if err != nil {
		// checkBase58 accepted every character, and for such input the
		// library has no other failure; keep its text out of our API anyway.
		return nil, fmt.Errorf("base58: cannot decode %d characters", len(s))
	}
	return b, nil
}

// checkBase58 returns a *Base58Error for the first byte of s that is not a
// base58 digit, or nil.
func checkBase58(s string) error {
	for i := 0; i < len(s); i++ {
		if !inAlphabet[s[i]] {
			r, _ := utf8.DecodeRuneInString(s[i:])
			return &Base58Error{Offset: i, Char: r}
		}
	}
	return nil
}
