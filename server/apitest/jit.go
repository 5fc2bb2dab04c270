package apitest

import (
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
)

// JITListing mirrors the answer of POST /api/jit (core/jit.Listing, the
// document `rbpf jit --json` prints).
type JITListing struct {
	Slots     int      `json:"slots"`
	CodeBytes int      `json:"code_bytes"`
	Blinding  bool     `json:"blinding"`
	Routines  []string `json:"routines"`
	Insns     []struct {
		PC     int      `json:"pc"`
		Insn   int      `json:"insn"`
		Asm    string   `json:"asm"`
		Offset int      `json:"offset"`
		Bytes  int      `json:"bytes"`
		Native string   `json:"native"`
		X86    []string `json:"x86"`
	} `json:"insns"`
}

func jitCases() []testCase {
	listing := func(t *testing.T, tg Target, body map[string]any) JITListing {
		t.Helper()
		resp := tg.Do(t, http.MethodPost, "/api/jit", body)
		if resp.Status != http.StatusOK {
			t.Fatalf("jit listing: status %d: %.300s", resp.Status, resp.Body)
		}
		var l JITListing
		resp.JSON(t, &l)
		return l
	}
	return []testCase{
		{"jit listing", func(t *testing.T, tg Target, _ Limits) {
			l := listing(t, tg, map[string]any{"asm": "mov r0, 42\nlddw r1, 0x1122334455667788\nexit", "blinding": false})
			if l.Slots != 4 || len(l.Insns) != 3 || l.Blinding || len(l.Routines) == 0 {
				t.Fatalf("listing: %+v", l)
			}
			want := []struct {
				pc  int
				asm string
			}{{0, "mov64 r0, 0x2a"}, {1, "lddw r1, 0x1122334455667788"}, {3, "exit"}}
			for i, in := range l.Insns {
				code, err := hex.DecodeString(in.Native)
				if in.PC != want[i].pc || in.Insn != want[i].pc+29 || in.Asm != want[i].asm || err != nil ||
					in.Offset <= 0 || in.Bytes != len(code) || in.Offset+len(code) > l.CodeBytes {
					t.Errorf("instruction %d: %+v (%v)", i, in, err)
				}
			}
			if x := strings.Join(l.Insns[0].X86, "; "); !strings.Contains(x, "0x2a") {
				t.Errorf("unblinded mov r0, 42 became %q: no 0x2a in it", x)
			}
			if x := strings.Join(l.Insns[1].X86, "; "); !strings.Contains(x, "0x1122334455667788") {
				t.Errorf("unblinded lddw became %q", x)
			}
		}},
		{"jit listing blinds constants by default", func(t *testing.T, tg Target, _ Limits) {
			l := listing(t, tg, map[string]any{"asm": "lddw r1, 0x1122334455667788\nexit"})
			if !l.Blinding || len(l.Insns) != 2 {
				t.Fatalf("listing: %+v", l)
			}
			if strings.Contains(l.Insns[0].Native, "8877665544332211") {
				t.Errorf("blinded code holds the constant's bytes: %s", l.Insns[0].Native)
			}
		}},
		{"jit listing of a bad program", func(t *testing.T, tg Target, _ Limits) {
			expectError(t, tg, http.MethodPost, "/api/jit", map[string]any{"asm": "bogus"}, http.StatusUnprocessableEntity, "Invalid instruction")
		}},
	}
}
