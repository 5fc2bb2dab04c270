package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func gunzipT(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func get(h http.Handler, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestStatic(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 some code "), 500)
	js := []byte(strings.Repeat("console.log('hi');\n", 200))
	fsys := fstest.MapFS{
		"index.html":        {Data: []byte("<!doctype html><title>rbpf</title>")},
		"main.wasm":         {Data: wasm},
		"main.wasm.gz":      {Data: gz(t, wasm)},
		"wasm_exec.js":      {Data: js},
		"only.wasm.gz":      {Data: gz(t, wasm)},
		".keep":             {Data: nil},
		"examples/add.json": {Data: []byte(`{"asm":"exit"}`)},
	}
	h := newTestHandler(Config{Static: fsys})

	rec := get(h, "/")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(rec.Body.String(), "<title>rbpf") || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("index: %d %v %q", rec.Code, rec.Header(), rec.Body)
	}
	if got, want := rec.Header().Get("Link"), "</main.wasm>; rel=preload; as=fetch; crossorigin"; got != want {
		t.Errorf("index: Link %q, want %q", got, want)
	}
	if rec := get(h, "/wasm_exec.js"); rec.Header().Get("Link") != "" {
		t.Errorf("a script preloads: %q", rec.Header().Get("Link"))
	}
	if rec := get(newTestHandler(Config{Static: fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}}), "/"); rec.Code != 200 || rec.Header().Get("Link") != "" {
		t.Errorf("a page without main.wasm beside it preloads it: %d %q", rec.Code, rec.Header().Get("Link"))
	}

	rec = get(h, "/main.wasm", "Accept-Encoding", "gzip, deflate, br")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/wasm" ||
		rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzipT(t, rec.Body.Bytes()), wasm) ||
		!strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("wasm gzip: %d %v", rec.Code, rec.Header())
	}
	tag := rec.Header().Get("ETag")
	if rec := get(h, "/main.wasm", "Accept-Encoding", "gzip", "If-None-Match", tag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("revalidation with %s: %d", tag, rec.Code)
	}

	rec = get(h, "/main.wasm")
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), wasm) {
		t.Errorf("wasm plain: %d %v", rec.Code, rec.Header())
	}
	if rec.Header().Get("ETag") == tag {
		t.Errorf("plain and gzip forms share the ETag %s", tag)
	}
	if rec := get(h, "/main.wasm", "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got gzip")
	}

	rec = get(h, "/only.wasm")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), wasm) {
		t.Errorf("gz-only file, plain: %d", rec.Code)
	}

	rec = get(h, "/wasm_exec.js", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzipT(t, rec.Body.Bytes()), js) ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("js compressed on the fly: %v", rec.Header())
	}

	for _, path := range []string{"/.keep", "/nope.js", "/main.wasm.gz/x"} {
		if rec := get(h, path); rec.Code != 404 || !strings.HasPrefix(rec.Body.String(), `{"error":`) {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	if rec := get(h, "/examples/add.json"); rec.Code != 200 || rec.Body.String() != `{"asm":"exit"}` {
		t.Errorf("subdirectory: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, http.MethodPost, "/index.html", ""); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST to a page: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodHead, "/main.wasm", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d %d %v", rec.Code, rec.Body.Len(), rec.Header())
	}

	if rec := get(newTestHandler(Config{}), "/"); rec.Code != 404 {
		t.Errorf("no static tree: %d", rec.Code)
	}
}
