package pubkey

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBase58Vectors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		text string
	}{
		{"empty", []byte{}, ""},
		{"one zero", []byte{0}, "1"},
		{"leading zeros", []byte{0, 0, 1}, "112"},
		{"one", []byte{1}, "2"},
		{"57", []byte{57}, "z"},
		{"58", []byte{58}, "21"},
		{"hello", []byte("Hello World!"), "2NEpo7TZRRrLZSi2U"},
		{"32 zeros", make([]byte, 32), "11111111111111111111111111111111"},
		{"32 x 0xff", bytes.Repeat([]byte{0xff}, 32), "JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EncodeBase58(tt.raw); got != tt.text {
				t.Errorf("EncodeBase58(%x) = %q, want %q", tt.raw, got, tt.text)
			}
			got, err := DecodeBase58(tt.text)
			if err != nil {
				t.Fatalf("DecodeBase58(%q): %v", tt.text, err)
			}
			if got == nil || !bytes.Equal(got, tt.raw) {
				t.Errorf("DecodeBase58(%q) = %#v, want %x", tt.text, got, tt.raw)
			}
		})
	}
}

func TestDecodeBase58Errors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		char   rune
		msg    string
	}{
		{"0", 0, '0', "invalid base58 character '0' at offset 0"},
		{"abcO", 3, 'O', "invalid base58 character 'O' at offset 3"},
		{"I", 0, 'I', "invalid base58 character 'I' at offset 0"},
		{"21l", 2, 'l', "invalid base58 character 'l' at offset 2"},
		{"1+1", 1, '+', "invalid base58 character '+' at offset 1"},
		{"11 ", 2, ' ', "invalid base58 character ' ' at offset 2"},
		{"2é", 1, 'é', "invalid base58 character 'é' at offset 1"},
		{"2\xff", 1, utf8.RuneError, "invalid base58 character '�' at offset 1"},
		{"\x00", 0, 0, `invalid base58 character '\x00' at offset 0`},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			got, err := DecodeBase58(tt.in)
			if got != nil {
				t.Errorf("DecodeBase58(%q) returned %x with an error", tt.in, got)
			}
			var b58 *Base58Error
			if !errors.As(err, &b58) {
				t.Fatalf("DecodeBase58(%q) error = %v, want *Base58Error", tt.in, err)
			}
			if b58.Offset != tt.offset || b58.Char != tt.char || err.Error() != tt.msg {
				t.Errorf("got {%d %q %q}, want {%d %q %q}",
					b58.Offset, b58.Char, err.Error(), tt.offset, tt.char, tt.msg)
			}
		})
	}
}

// bigEncode is base58 written from its definition with math/big, a
// reference for EncodeBase58.
func bigEncode(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var digits []byte
	base, mod := big.NewInt(58), new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		digits = append(digits, alphabet[mod.Int64()])
	}
	for i := 0; i < len(b) && b[i] == 0; i++ {
		digits = append(digits, '1')
	}
	for i, j := 0, len(digits)-1; i < j; i, j = i+1, j-1 {
		digits[i], digits[j] = digits[j], digits[i]
	}
	return string(digits)
}

func TestBase58MatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.IntN(80))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if r.IntN(4) == 0 { // leading zeros
			for j := 0; j < len(b) && j < r.IntN(5); j++ {
				b[j] = 0
			}
		}
		want := bigEncode(b)
		got := EncodeBase58(b)
		if got != want {
			t.Fatalf("EncodeBase58(%x) = %q, want %q", b, got, want)
		}
		back, err := DecodeBase58(got)
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("DecodeBase58(%q) = %x, %v; want %x", got, back, err, b)
		}
	}
}

func TestAlphabet(t *testing.T) {
	if len(alphabet) != 58 {
		t.Fatalf("alphabet has %d characters", len(alphabet))
	}
	for _, c := range "0OIl" {
		if strings.ContainsRune(alphabet, c) {
			t.Errorf("alphabet contains %q", c)
		}
	}
}
