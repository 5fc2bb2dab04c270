package pubkey

import (
	"encoding/json"
	"fmt"
)

// Sizes and limits of sdk/program/src/pubkey.rs.
const (
	// PubkeyBytes is the length of a Pubkey in bytes.
	PubkeyBytes = 32
	// MaxSeedLen is the longest seed, in bytes, that CreateProgramAddress
	// and CreateWithSeed accept.
	MaxSeedLen = 32
	// MaxSeeds is the most seeds CreateProgramAddress accepts.
	MaxSeeds = 16
	// maxBase58Len is the longest base58 text of 32 bytes (32 bytes of
	// 0xff encode to 44 characters). Parse rejects longer text before
	// decoding it.
	maxBase58Len = 44
)

// Pubkey is a Solana account address: 32 bytes, shown as base58.
// The zero value is the system program's id.
type Pubkey [PubkeyBytes]byte

// String returns p in base58.
func (p Pubkey) String() string {
	return EncodeBase58(p[:])
}

// IsZero reports whether all 32 bytes of p are zero.
func (p Pubkey) IsZero() bool {
	return p == Pubkey{}
}

// ParsePubkeyError classifies why text is not a Pubkey, as the release's
// ParsePubkeyError enum does. Error returns the release's text.
type ParsePubkeyError int

// The kinds of ParsePubkeyError, in the release's order.
const (
	// WrongSize: the text is longer than 44 characters or does not decode
	// to exactly 32 bytes.
	WrongSize ParsePubkeyError = iota
	// Invalid: the text has a character outside the base58 alphabet.
	Invalid
)

func (k ParsePubkeyError) Error() string {
	switch k {
	case WrongSize:
		return "String is the wrong size"
	case Invalid:
		return "Invalid Base58 string"
	}
	return fmt.Sprintf("ParsePubkeyError(%d)", int(k))
}

// ParseError is the error Parse returns. errors.Is(err, WrongSize) and
// errors.Is(err, Invalid) tell the kinds apart; for Invalid, errors.As
// finds the *Base58Error with the offending character.
type ParseError struct {
	Input string           // the rejected text, cut to 64 bytes
	Kind  ParsePubkeyError // the release's classification
	Msg   string           // what exactly is wrong
	Err   error            // the *Base58Error for Invalid, else nil
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parse pubkey %q: %s", e.Input, e.Msg)
}

// Unwrap returns the kind and, if there is one, the underlying cause.
func (e *ParseError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func parseError(s string, kind ParsePubkeyError, err error, format string, args ...any) *ParseError {
	if len(s) > 64 {
		s = s[:64]
	}
	return &ParseError{Input: s, Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Parse decodes a base58 Pubkey. Like the release's FromStr it first
// rejects text longer than 44 characters, then text with a character
// outside the alphabet, then text that does not decode to 32 bytes.
// Errors are *ParseError.
func Parse(s string) (Pubkey, error) {
	if len(s) > maxBase58Len {
		return Pubkey{}, parseError(s, WrongSize, nil,
			"%d characters, more than the %d of any 32-byte value", len(s), maxBase58Len)
	}
	b, err := DecodeBase58(s)
	if err != nil {
		return Pubkey{}, parseError(s, Invalid, err, "%v", err)
	}
	if len(b) != PubkeyBytes {
		return Pubkey{}, parseError(s, WrongSize, nil,
			"decodes to %d bytes, want %d", len(b), PubkeyBytes)
	}
	return Pubkey(b), nil
}

// MustParse is Parse for constants: it panics if s is not a Pubkey.
func MustParse(s string) Pubkey {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

// MarshalText returns p in base58.
func (p Pubkey) MarshalText() ([]byte, error) {
	return []byte(p.String()), nil
}

// UnmarshalText sets p from base58 text, as Parse does.
func (p *Pubkey) UnmarshalText(text []byte) error {
	q, err := Parse(string(text))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// MarshalJSON returns p as a JSON string holding its base58 text.
func (p Pubkey) MarshalJSON() ([]byte, error) {
	// Base58 digits never need escaping in JSON.
	s := p.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnmarshalJSON sets p from a JSON string holding base58 text. JSON null
// leaves p unchanged, as encoding/json does for other types.
func (p *Pubkey) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("pubkey: want a JSON string of base58 text: %w", err)
	}
	return p.UnmarshalText([]byte(s))
}
