package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Target is a served API.
type Target struct {
	// URL is the base URL, e.g. "http://127.0.0.1:8080".
	URL string
	// Client sends the requests (nil: a client with a 60 s timeout).
	Client *http.Client
	// JIT says the jit engine is expected to run; when false it must answer 501.
	JIT bool
}

// Limits mirrors the "limits" object of GET /api/version.
type Limits struct {
	MaxBodyBytes   int64  `json:"max_body_bytes"`
	DefaultBudget  uint64 `json:"default_budget"`
	MaxBudget      uint64 `json:"max_budget"`
	MaxRepeat      int    `json:"max_repeat"`
	MaxAccountData int    `json:"max_account_data"`
	MaxTraceInsns  uint64 `json:"max_trace_insns"`
	TimeoutMS      int64  `json:"timeout_ms"`
	MaxConcurrent  int    `json:"max_concurrent"`
}

// Response is one answer: status, headers and body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer is not JSON (%v): %.300s", err, r.Body)
	}
}

// ErrorText returns the "error" of an error answer, failing the test when
// the answer is not the JSON error document.
func (r Response) ErrorText(t testing.TB) string {
	t.Helper()
	var body struct {
		Error *string `json:"error"`
	}
	r.JSON(t, &body)
	if body.Error == nil || *body.Error == "" {
		t.Fatalf("status %d without an error message: %.300s", r.Status, r.Body)
	}
	return *body.Error
}

// Do sends one request. body is sent as is (a string, bytes, or a reader,
// which goes without a Content-Length) or as JSON (anything else).
func (tg Target) Do(t testing.TB, method, path string, body any) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, tg.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := tg.client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

func (tg Target) client() *http.Client {
	if tg.Client != nil {
		return tg.Client
	}
	return &http.Client{Timeout: 60 * time.Second}
}

// Limits fetches the limits in force.
func (tg Target) Limits(t testing.TB) Limits {
	t.Helper()
	resp := tg.Do(t, http.MethodGet, "/api/version", nil)
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /api/version: status %d: %s", resp.Status, resp.Body)
	}
	var v struct {
		Limits Limits `json:"limits"`
	}
	resp.JSON(t, &v)
	if v.Limits.MaxBodyBytes <= 0 || v.Limits.MaxBudget == 0 || v.Limits.MaxRepeat <= 0 || v.Limits.MaxAccountData <= 0 || v.Limits.TimeoutMS <= 0 {
		t.Fatalf("GET /api/version: incomplete limits %+v", v.Limits)
	}
	return v.Limits
}

// Run runs every case of the suite against tg, each as a subtest.
func Run(t *testing.T, tg Target) {
	lim := tg.Limits(t)
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) { c.run(t, tg, lim) })
	}
}

// testCase is one case of the suite.
type testCase struct {
	name string
	run  func(t *testing.T, tg Target, lim Limits)
}

// expectError sends a request and checks it fails with status and an
// error message containing want.
func expectError(t *testing.T, tg Target, method, path string, body any, status int, want string) Response {
	t.Helper()
	resp := tg.Do(t, method, path, body)
	if resp.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %.300s", method, path, resp.Status, status, resp.Body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error answer has Content-Type %q, want JSON", ct)
	}
	if msg := resp.ErrorText(t); !strings.Contains(msg, want) {
		t.Errorf("error %q does not contain %q", msg, want)
	}
	return resp
}
