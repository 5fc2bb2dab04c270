package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
)

// Handler is the API and static host. Build it with New.
type Handler struct {
	cfg    Config
	routes map[string]route
	slots  chan struct{}
	static http.Handler
}

// route is one API endpoint: its method, whether it takes a concurrency
// slot, and its work.
type route struct {
	method string
	heavy  bool
	serve  func(ctx context.Context, r *http.Request) (any, error)
}

// New returns the handler for cfg (unset fields take their defaults).
func New(cfg Config) *Handler {
	cfg = cfg.Defaults()
	h := &Handler{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent)}
	h.routes = map[string]route{
		"/api/run":     {http.MethodPost, true, h.serveRun},
		"/api/elf":     {http.MethodPost, true, h.serveELF},
		"/api/jit":     {http.MethodPost, true, h.serveJIT},
		"/api/health":  {http.MethodGet, false, h.serveHealth},
		"/api/version": {http.MethodGet, false, h.serveVersion},
	}
	if cfg.Static != nil {
		h.static = newStaticHandler(cfg.Static)
	}
	return h
}

// Config returns the configuration in force, defaults filled in.
func (h *Handler) Config() Config { return h.cfg }

// ServeHTTP recovers panics into a 500, applies CORS, then serves the API or
// the static page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.recoverPanic(w, r)
	if !h.cors(w, r) {
		return
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		h.serveAPI(w, r)
		return
	}
	if h.static == nil {
		writeError(w, errNotFound(r.URL.Path))
		return
	}
	h.static.ServeHTTP(w, r)
}

func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	rt, ok := h.routes[r.URL.Path]
	if !ok {
		writeError(w, errNotFound(r.URL.Path))
		return
	}
	if r.Method != rt.method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
		w.Header().Set("Allow", rt.method)
		writeError(w, httpErrorf(http.StatusMethodNotAllowed, "%s %s: method not allowed, use %s", r.Method, r.URL.Path, rt.method))
		return
	}
	if rt.heavy {
		// Read the body before taking a slot: a slow upload must not
		// hold one.
		if err := h.bufferBody(w, r); err != nil {
			writeError(w, err)
			return
		}
		select {
		case h.slots <- struct{}{}:
			defer func() { <-h.slots }()
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, httpErrorf(http.StatusServiceUnavailable, "server busy: %d requests in flight, try again", cap(h.slots)))
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	v, err := rt.serve(ctx, r)
	if err != nil {
		h.logIf500(r, err)
		writeError(w, err)
		return
	}
	writeJSONMax(w, http.StatusOK, v, h.cfg.MaxResponseBytes)
}

// bufferBody reads r's body (at most MaxBodyBytes) into memory and puts it
// back as a reader. Past the limit, w's connection is closed after the
// answer rather than reused with unread bytes in it.
func (h *Handler) bufferBody(w http.ResponseWriter, r *http.Request) error {
	max := h.cfg.MaxBodyBytes
	if r.ContentLength > max {
		return tooLarge(max)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(max)
		}
		return badRequest("reading the body: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	return nil
}

// recoverPanic turns a panic in any handler into a 500 with a message. The
// response may already be partly written; then the message is lost but the
// connection and the server survive.
func (h *Handler) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	h.cfg.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path,
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	writeError(w, httpErrorf(http.StatusInternalServerError, "internal error: %v", v))
}

func (h *Handler) logIf500(r *http.Request, err error) {
	var (
		he *httpError
		de *documentError
	)
	if errors.As(err, &de) || (errors.As(err, &he) && he.status != http.StatusInternalServerError) {
		return
	}
	h.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
}
