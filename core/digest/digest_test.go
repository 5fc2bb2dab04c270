package digest

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/sha3"
)

// TestAgainstReference hashes random inputs of every length around the
// block sizes, written in random pieces, and compares with crypto/sha256
// and x/crypto/sha3's legacy Keccak-256.
func TestAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 600; n++ {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(r.IntN(256))
		}
		for _, c := range []struct {
			name      string
			got, want interface {
				Write([]byte) (int, error)
				Sum([]byte) []byte
			}
		}{
			{"sha256", NewSHA256(), sha256.New()},
			{"keccak256", NewKeccak256(), sha3.NewLegacyKeccak256()},
		} {
			rest := msg
			for len(rest) > 0 {
				k := r.IntN(len(rest) + 1)
				c.got.Write(rest[:k])
				rest = rest[k:]
			}
			c.want.Write(msg)
			g, w := c.got.Sum([]byte{7}), c.want.Sum([]byte{7})
			if !bytes.Equal(g, w) {
				t.Fatalf("%s of %d bytes: %x, want %x", c.name, n, g, w)
			}
			// Sum leaves the state alone: more input continues the hash.
			c.got.Write([]byte("more"))
			c.want.Write([]byte("more"))
			if g, w := c.got.Sum(nil), c.want.Sum(nil); !bytes.Equal(g, w) {
				t.Fatalf("%s after Sum: %x, want %x", c.name, g, w)
			}
		}
	}
	if Sum256([]byte("ab"), []byte("c")) != sha256.Sum256([]byte("abc")) {
		t.Error("Sum256 of parts")
	}
}

func TestReset(t *testing.T) {
	for _, h := range []interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
		Reset()
	}{NewSHA256(), NewKeccak256()} {
		empty := h.Sum(nil)
		h.Write([]byte("x"))
		h.Reset()
		if !bytes.Equal(h.Sum(nil), empty) {
			t.Errorf("%T: Reset does not start over", h)
		}
	}
}
