package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/jit"
)

// TestHeldBytes: large bodies share MaxHeldBytes, counted before reading
// when declared and as read when not; past it a 503 with Retry-After; small
// bodies never count; everything held is given back once answered.
func TestHeldBytes(t *testing.T) {
	h := newTestHandler(Config{MaxHeldBytes: 100 << 10})
	blank := func(n int) string { return strings.Repeat(strings.Repeat(" ", 1022)+`\n`, n>>10) }
	big := `{"asm": "` + blank(200<<10) + `exit"}`
	for _, declared := range []bool{true, false} {
		req := httptest.NewRequest(http.MethodPost, "/api/run", io.MultiReader(strings.NewReader(big)))
		if declared {
			req.ContentLength = int64(len(big))
		} else {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			!strings.Contains(rec.Body.String(), "would hold more than 102400 bytes") {
			t.Errorf("declared %v: %d %s", declared, rec.Code, rec.Body)
		}
	}
	// Within the limit: SmallBodyBytes free plus 100 KiB.
	fits := `{"asm": "` + blank(SmallBodyBytes+90<<10) + `exit"}`
	if rec := serve(h, http.MethodPost, "/api/run", fits); rec.Code != http.StatusOK {
		t.Errorf("a body within the limit: %d %s", rec.Code, rec.Body)
	}
	// While 100 KiB are held by another request, small ones still pass.
	h.held.Add(100 << 10)
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "exit"}`); rec.Code != http.StatusOK {
		t.Errorf("a small body while the limit is reached: %d %s", rec.Code, rec.Body)
	}
	h.held.Add(-100 << 10)
	if n := h.held.Load(); n != 0 {
		t.Errorf("%d bytes still held after every answer", n)
	}
}

// TestJITSlotLimit: a program over MaxJITSlots is refused with 413 before
// any engine runs (the interpreter would have run first), and /api/jit
// refuses one over MaxListingSlots.
func TestJITSlotLimit(t *testing.T) {
	h := newTestHandler(Config{MaxJITSlots: 100, MaxListingSlots: 50})
	src := func(n int) string { return strings.Repeat(`add r0, 1\n`, n-1) + `exit` }
	rec := serve(h, http.MethodPost, "/api/run", `{"asm": "`+src(101)+`", "engines": ["interp", "jit"]}`)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "the program has 101 instruction slots; this server's JIT compiles at most 100") {
		t.Errorf("/api/run over the limit: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "`+src(101)+`"}`); rec.Code != http.StatusOK {
		t.Errorf("the interpreter alone: %d %s", rec.Code, rec.Body)
	}
	if !jit.Supported() {
		return
	}
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "`+src(100)+`", "engines": ["jit"]}`); rec.Code != http.StatusOK {
		t.Errorf("/api/run at the limit: %d %s", rec.Code, rec.Body)
	}
	rec = serve(h, http.MethodPost, "/api/jit", `{"asm": "`+src(51)+`"}`)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "/api/jit lists programs of at most 50") {
		t.Errorf("/api/jit over the limit: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, http.MethodPost, "/api/jit", `{"asm": "`+src(50)+`"}`); rec.Code != http.StatusOK {
		t.Errorf("/api/jit at the limit: %d %.200s", rec.Code, rec.Body)
	}
}

// TestJITWorkHeld: a compilation and a listing count their cost per slot
// beyond SmallWorkBytes against MaxHeldBytes before they start; small
// programs count nothing.
func TestJITWorkHeld(t *testing.T) {
	src := func(n int) string { return strings.Repeat(`add r0, 1\n`, n-1) + `exit` }
	h := newTestHandler(Config{MaxHeldBytes: 1 << 20})
	rec := serve(h, http.MethodPost, "/api/jit", `{"asm": "`+src(400)+`"}`) // 1.4 MB beyond
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "server busy") {
		t.Errorf("/api/jit: %d %.200s", rec.Code, rec.Body)
	}
	h = newTestHandler(Config{MaxHeldBytes: 512 << 10})
	rec = serve(h, http.MethodPost, "/api/run", `{"asm": "`+src(3000)+`", "engines": ["interp", "jit"]}`) // 0.9 MB beyond
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "server busy") {
		t.Errorf("/api/run: %d %.200s", rec.Code, rec.Body)
	}
	if !jit.Supported() {
		return
	}
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "`+src(1000)+`", "engines": ["jit"]}`); rec.Code != http.StatusOK {
		t.Errorf("a small program: %d %.200s", rec.Code, rec.Body)
	}
	if n := h.held.Load(); n != 0 || len(h.large) != 0 {
		t.Errorf("%d bytes and %d large slots still held", n, len(h.large))
	}
}

// TestLargeSlots: while every slot of large requests is taken, another
// large request gets 503 at once and small ones are still served.
func TestLargeSlots(t *testing.T) {
	h := newTestHandler(Config{MaxLargeConcurrent: 1})
	h.large <- struct{}{}
	body := `{"asm": "` + strings.Repeat(strings.Repeat(" ", 1022)+`\n`, 80) + `exit"}` // 80 KiB
	rec := serve(h, http.MethodPost, "/api/run", body)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "1 large requests in flight") {
		t.Errorf("large request: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "exit"}`); rec.Code != http.StatusOK {
		t.Errorf("small request: %d %s", rec.Code, rec.Body)
	}
	<-h.large
	if rec := serve(h, http.MethodPost, "/api/run", body); rec.Code != http.StatusOK {
		t.Errorf("large request with a free slot: %d %s", rec.Code, rec.Body)
	}
	if n := h.held.Load(); n != 0 || len(h.large) != 0 {
		t.Errorf("%d bytes and %d large slots still held", n, len(h.large))
	}
}

// TestCompileDeadline: a compilation that starts past the request's
// deadline stops at once and is answered as the time limit.
func TestCompileDeadline(t *testing.T) {
	if !jit.Supported() {
		t.Skip("no JIT executor")
	}
	h := newTestHandler(Config{})
	spec := runJob{prog: program{kind: "asm", source: "exit"}, budget: 10}.spec()
	built, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var mc machine
	defer mc.close()
	_, err = h.runJIT(ctx, built, outcome{}, &mc)
	var he *httpError
	if !errors.As(err, &he) || he.status != http.StatusUnprocessableEntity || !errors.Is(err, errTimeLimit) ||
		!strings.Contains(he.msg, "the JIT's compilation was stopped") {
		t.Fatalf("%v", err)
	}
}

// TestInputAndOddBytes pins two decisions: "input" is hex with an optional
// 0x prefix ("0x12" is the one byte 0x12), and a "bytes" program whose
// length is not a multiple of 8 runs its whole slots and ignores the rest,
// as rbpf v0.2.8 does (7 bytes are an empty text), while the verifier
// refuses it.
func TestInputAndOddBytes(t *testing.T) {
	h := newTestHandler(Config{})
	prog := `ldxb r0, [r1]\nexit`
	for _, in := range []string{"0x12", "12", "0X12", " 1 2 "} {
		rec := serve(h, http.MethodPost, "/api/run", `{"asm": "`+prog+`", "input": "`+in+`"}`)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"result":18,`) {
			t.Errorf("input %q: %d %s", in, rec.Code, rec.Body)
		}
	}
	if rec := serve(h, http.MethodPost, "/api/run", `{"asm": "exit", "input": "0x123"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("odd hex: %d %s", rec.Code, rec.Body)
	}
	seven := base64.StdEncoding.EncodeToString([]byte{0x95, 0, 0, 0, 0, 0, 0})
	rec := serve(h, http.MethodPost, "/api/run", `{"bytes": "`+seven+`"}`)
	var out RunResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != http.StatusOK || len(out.Results) != 1 || out.Results[0].Error == nil ||
		!strings.Contains(*out.Results[0].Error, "attempted to execute past the end of the text segment at instruction #29") {
		t.Errorf("7 bytes: %d %s", rec.Code, rec.Body)
	}
	rec = serve(h, http.MethodPost, "/api/run", `{"bytes": "`+seven+`", "verify": true}`)
	if !strings.Contains(rec.Body.String(), "VerifierError") {
		t.Errorf("7 bytes verified: %d %s", rec.Code, rec.Body)
	}
}
