package api

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/server/apitest"
)

// quiet is a logger that drops everything: tests provoke errors on purpose.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newTestHandler(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	return New(cfg)
}

// TestSuite runs the shared API suite against the handler over loopback HTTP.
func TestSuite(t *testing.T) {
	h := newTestHandler(Config{Timeout: time.Second, MaxBodyBytes: 1 << 20})
	srv := httptest.NewServer(h)
	defer srv.Close()
	apitest.Run(t, apitest.Target{URL: srv.URL, JIT: h.jitUnavailable() == ""})
}

func serve(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPanicBecomes500(t *testing.T) {
	h := newTestHandler(Config{})
	h.routes["/api/boom"] = route{http.MethodGet, false, func(context.Context, *http.Request) (any, error) {
		panic("kaboom")
	}}
	rec := serve(h, http.MethodGet, "/api/boom", "")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"error":"internal error: kaboom"`) {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, http.MethodGet, "/api/health", ""); rec.Code != http.StatusOK {
		t.Fatalf("health after panic: %d", rec.Code)
	}
}

// TestConcurrencyLimit fills every slot with a blocked request and checks
// that the next one is refused at once with 503, and that light endpoints
// still answer.
func TestConcurrencyLimit(t *testing.T) {
	const slots = 3
	h := newTestHandler(Config{MaxConcurrent: slots})
	entered, release := make(chan struct{}), make(chan struct{})
	h.routes["/api/block"] = route{http.MethodGet, true, func(context.Context, *http.Request) (any, error) {
		entered <- struct{}{}
		<-release
		return Health{Status: "done"}, nil
	}}
	var wg sync.WaitGroup
	for range slots {
		wg.Go(func() {
			if rec := serve(h, http.MethodGet, "/api/block", ""); rec.Code != http.StatusOK {
				t.Errorf("blocked request: %d %s", rec.Code, rec.Body)
			}
		})
		<-entered
	}
	// Answered while every slot is still held: a queued request would
	// wait for the release below, which comes only after it returns.
	rec := serve(h, http.MethodPost, "/api/run", `{"asm": "exit"}`)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "server busy") {
		t.Errorf("excess request: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	if rec := serve(h, http.MethodGet, "/api/health", ""); rec.Code != http.StatusOK {
		t.Errorf("health while full: %d", rec.Code)
	}
	close(release)
	wg.Wait()
	if rec := serve(h, http.MethodPost, "/api/run", `{}`); rec.Code != http.StatusBadRequest {
		t.Errorf("after release: %d %s, want the request served (400 for {})", rec.Code, rec.Body)
	}
}

func TestCORS(t *testing.T) {
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/api/run", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	same := newTestHandler(Config{})
	if rec := preflight(same, "https://evil.example"); rec.Code != http.StatusForbidden ||
		rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("default policy let a foreign origin in: %d %v", rec.Code, rec.Header())
	}
	req := httptest.NewRequest(http.MethodGet, "http://example.com/api/health", nil)
	req.Header.Set("Origin", "http://example.com")
	rec := httptest.NewRecorder()
	same.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("same origin: %d %v", rec.Code, rec.Header())
	}

	open := newTestHandler(Config{AllowedOrigins: []string{"https://play.example"}})
	rec = preflight(open, "https://play.example")
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "https://play.example" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("allowed preflight: %d %v", rec.Code, rec.Header())
	}
	if rec := preflight(open, "https://other.example"); rec.Code != http.StatusForbidden {
		t.Errorf("other origin: %d", rec.Code)
	}
	if rec := preflight(newTestHandler(Config{AllowedOrigins: []string{"*"}}), "https://any.example"); rec.Code != http.StatusNoContent {
		t.Errorf("wildcard: %d", rec.Code)
	}
}

// TestMalformedFlood sends 10 000 malformed requests of many kinds from
// several goroutines and checks each got a 4xx JSON error, then that the
// handler still serves and no goroutine was left behind.
func TestMalformedFlood(t *testing.T) {
	h := newTestHandler(Config{MaxBodyBytes: 4096, MaxConcurrent: 64})
	before := runtime.NumGoroutine()
	const total, workers = 10_000, 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range total / workers {
				method, path, body := malformed(rng, i)
				rec := serve(h, method, path, body)
				if rec.Code < 400 || rec.Code >= 500 || !strings.HasPrefix(rec.Body.String(), `{"error":"`) {
					t.Errorf("%s %s %.80q: %d %.200s", method, path, body, rec.Code, rec.Body)
					return
				}
			}
		})
	}
	wg.Wait()
	if rec := serve(h, http.MethodGet, "/api/health", ""); rec.Code != http.StatusOK {
		t.Fatalf("health after flood: %d", rec.Code)
	}
	if len(h.slots) != 0 {
		t.Errorf("%d concurrency slots still held", len(h.slots))
	}
	time.Sleep(50 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines: %d before, %d after", before, after)
	}
}

// malformed makes the i-th hostile request.
func malformed(rng *rand.Rand, i int) (method, path, body string) {
	junk := make([]byte, rng.IntN(64))
	for j := range junk {
		junk[j] = byte(rng.UintN(256))
	}
	bodies := []string{
		string(junk),
		`{"asm": ` + string(junk),
		`{"elf": "` + strings.Repeat("A", rng.IntN(64)) + `!"}`,
		`{"bytes": 12}`,
		`{"asm": "exit", "engines": ["` + string(junk) + `x"]}`,
		`{"asm": "exit", "repeat": 1e9}`,
		strings.Repeat("[", 1+rng.IntN(20000)),
		`{"asm": "` + strings.Repeat("x", 5000) + `"}`,
		`{"asm": "exit", "budget": 99999999999999999999}`,
		`{"asm": "exit"}{"asm": "exit"}`,
		`{"elf": "` + strings.Repeat("@", 1+rng.IntN(9)) + `"}`,
	}
	body = bodies[i%len(bodies)]
	switch i % 7 {
	case 0:
		return http.MethodPost, "/api/elf", body
	case 1:
		return http.MethodPost, "/api/jit", body
	case 2:
		return http.MethodPut, "/api/run", body
	case 3:
		return http.MethodGet, "/api/" + strings.Repeat("a/", rng.IntN(50)), ""
	default:
		return http.MethodPost, "/api/run", body
	}
}

// TestSlowUploadHoldsNoSlot checks that a client still sending its body
// does not occupy a concurrency slot.
func TestSlowUploadHoldsNoSlot(t *testing.T) {
	h := newTestHandler(Config{MaxConcurrent: 1})
	srv := httptest.NewServer(h)
	defer srv.Close()
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		resp, err := http.Post(srv.URL+"/api/run", "application/json", pr)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	pw.Write([]byte(`{"asm": "mov r0, 1\n`)) // and nothing more for now
	time.Sleep(100 * time.Millisecond)
	resp, err := http.Post(srv.URL+"/api/run", "application/json", strings.NewReader(`{"asm": "exit"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("request beside a slow upload: %d, want 200", resp.StatusCode)
	}
	pw.Write([]byte(`exit"}`))
	pw.Close()
	if code := <-done; code != http.StatusOK {
		t.Errorf("slow upload: %d", code)
	}
}

// TestClaimedSize checks a body claiming more than the limit is refused
// before anything is read.
func TestClaimedSize(t *testing.T) {
	h := newTestHandler(Config{})
	for _, path := range []string{"/api/run", "/api/elf", "/api/jit"} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"asm": "exit"}`))
		req.ContentLength = 1 << 40
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "exceeds the limit of 8388608 bytes") {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// TestConcurrentRuns mixes every endpoint and both engines from several
// goroutines (run it with -race) and checks every answer.
func TestConcurrentRuns(t *testing.T) {
	h := newTestHandler(Config{MaxConcurrent: 64})
	engines := `["interp"]`
	if h.JITAvailable() {
		engines = `["interp", "jit"]`
	}
	reqs := []struct{ path, body, want string }{
		{"/api/run", `{"asm": "mov r0, 6\nmul r0, 7\nexit", "engines": ` + engines + `, "repeat": 3}`, `"result":42,`},
		{"/api/run", `{"asm": "ldxb r0, [r1]\nexit", "input": "09", "engines": ` + engines + `}`, `"result":9,`},
		{"/api/run", `{"asm": "mov r0, 1\nmov r1, 0\ndiv r0, r1\nexit", "engines": ` + engines + `}`, `"error":"divide by zero at instruction 31"`},
		{"/api/jit", `{"asm": "mov r0, 1\nexit"}`, `"asm":"mov64 r0, 0x1"`},
		{"/api/elf", `{"elf": "f0VMRg=="}`, `"ok":false`},
		{"/api/run", `{"asm": "f:\ncall f\nexit", "engines": ` + engines + `}`, `call depth of 20`},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 60 {
				r := reqs[(g+i)%len(reqs)]
				rec := serve(h, http.MethodPost, r.path, r.body)
				if !strings.Contains(rec.Body.String(), r.want) {
					t.Errorf("%s %s: %d %.300s", r.path, r.body, rec.Code, rec.Body)
					return
				}
			}
		})
	}
	wg.Wait()
}
