package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// staticHandler serves a file tree read once at start. A file with a
// pre-gzipped sibling (name.gz) is sent gzipped to clients that accept it;
// other compressible files are gzipped on first request and kept. Every
// answer carries a strong ETag and "Cache-Control: no-cache", so browsers
// revalidate (a 304 costs one round trip) and never run a stale page.
type staticHandler struct {
	files map[string]*staticFile
}

type staticFile struct {
	ctype string
	plain []byte
	etag  string
	link  string // Link header: a page preloads its sibling main.wasm

	gzOnce sync.Once
	gz     []byte // nil when gzip would not help
	gzTag  string
}

func newStaticHandler(fsys fs.FS) *staticHandler {
	s := &staticHandler{files: map[string]*staticFile{}}
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), ".") {
			return nil
		}
		data, err := readPlain(fsys, name)
		if err != nil {
			return nil
		}
		name = strings.TrimSuffix(name, ".gz")
		f := &staticFile{ctype: contentType(name, data), plain: data, etag: etag(data, "")}
		if gz, err := fs.ReadFile(fsys, name+".gz"); err == nil {
			f.gzOnce.Do(func() { f.gz, f.gzTag = gz, etag(data, "-gz") })
		}
		s.files["/"+name] = f
		return nil
	})
	for name, f := range s.files {
		if wasm := path.Join(path.Dir(name), "main.wasm"); path.Ext(name) == ".html" && s.files[wasm] != nil {
			f.link = "<" + wasm + ">; rel=preload; as=fetch; crossorigin"
		}
	}
	return s
}

func (s *staticHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, httpErrorf(http.StatusMethodNotAllowed, "%s %s: method not allowed, use GET", r.Method, r.URL.Path))
		return
	}
	name := path.Clean("/" + r.URL.Path)
	f := s.files[name]
	if f == nil {
		f = s.files[path.Join(name, "index.html")]
	}
	if f == nil {
		writeError(w, errNotFound(r.URL.Path))
		return
	}
	body, tag := f.plain, f.etag
	hdr := w.Header()
	if gz, gzTag := f.gzipped(); gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body, tag = gz, gzTag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("Content-Type", f.ctype)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", tag)
	hdr.Set("X-Content-Type-Options", "nosniff")
	if f.link != "" {
		// The browser starts fetching the module with the page's
		// headers, before the page is parsed; the page's own
		// fetch("main.wasm") then takes this response.
		hdr.Set("Link", f.link)
	}
	if etagMatches(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

// gzipped returns the gzip form of f, compressing it on first use when f is
// of a compressible type and large enough to gain.
func (f *staticFile) gzipped() ([]byte, string) {
	f.gzOnce.Do(func() {
		if len(f.plain) < 1024 || !compressible(f.ctype) {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(f.plain)
		_ = zw.Close()
		if buf.Len() < len(f.plain) {
			f.gz, f.gzTag = buf.Bytes(), etag(f.plain, "-gz")
		}
	})
	return f.gz, f.gzTag
}

// typesByExt fixes the types the playground depends on, whatever the
// host's mime tables say (a .wasm must be application/wasm for streaming
// compilation).
var typesByExt = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
	".map":  "application/json; charset=utf-8",
}

func contentType(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := typesByExt[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/wasm") ||
		strings.HasPrefix(ctype, "application/json") || strings.HasPrefix(ctype, "image/svg")
}

func etag(data []byte, suffix string) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:12]) + suffix + `"`
}

func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether the Accept-Encoding header admits gzip with a
// non-zero quality.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// readPlain reads name, except that a .gz file is read only when the tree
// has no uncompressed form of it, and is then decompressed: a build may ship
// main.wasm.gz alone. Other .gz files are skipped (fs.ErrNotExist).
func readPlain(fsys fs.FS, name string) ([]byte, error) {
	base, isGz := strings.CutSuffix(name, ".gz")
	if !isGz {
		return fs.ReadFile(fsys, name)
	}
	if _, err := fs.Stat(fsys, base); err == nil {
		return nil, fs.ErrNotExist
	}
	gz, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
