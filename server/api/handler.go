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
	"sync/atomic"
)

// Handler is the API and static host. Build it with New.
type Handler struct {
	cfg    Config
	routes map[string]route
	slots  chan struct{}
	static http.Handler
	// held counts the memory requests in flight hold, against
	// MaxHeldBytes (see holdBytes).
	held atomic.Int64
	// large are the slots of large requests (MaxLargeConcurrent).
	large chan struct{}
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
	h := &Handler{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent), large: make(chan struct{}, cfg.MaxLargeConcurrent)}
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
		// hold one. The bytes held count against MaxHeldBytes until the
		// request is answered, with what its work holds (see holding).
		if r.ContentLength > SmallBodyBytes && len(h.large) == cap(h.large) {
			// It would be refused after its upload: refuse it before.
			writeError(w, h.largeBusy())
			return
		}
		held, err := h.bufferBody(w, r)
		hold := &holding{n: held}
		defer h.release(hold)
		if err == nil && held > 0 {
			err = h.takeLarge(hold)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), holdingKey{}, hold))
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
//
// Bytes beyond the first SmallBodyBytes are counted in h.held, all
// requests together, against MaxHeldBytes: a declared Content-Length
// is counted before anything is read, a body of unknown length as it
// arrives. held is what this request added; the caller subtracts it once
// the request is answered, error or not. Going past the limit is a 503
// with Retry-After, the answer to any overload.
func (h *Handler) bufferBody(w http.ResponseWriter, r *http.Request) (held int64, err error) {
	limit := h.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return 0, tooLarge(limit)
	}
	lr := http.MaxBytesReader(w, r.Body, limit)
	size := max(r.ContentLength, 0)
	if held, err = h.holdBytes(size); err != nil {
		return 0, err
	}
	// Room for the declared length (and the read that finds its end), so
	// that a large body is not copied as it grows; a body longer than
	// declared (not from net/http, which enforces it) is counted as read.
	br := &budgetReader{r: lr, h: h, held: held}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err = buf.ReadFrom(br)
	held = br.held
	data := buf.Bytes()
	if err != nil {
		var (
			mbe *http.MaxBytesError
			he  *httpError
		)
		switch {
		case errors.As(err, &mbe):
			return held, tooLarge(limit)
		case errors.As(err, &he):
			return held, he
		}
		return held, badRequest("reading the body: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	return held, nil
}

// holdBytes counts a body of n bytes against MaxHeldBytes and returns
// how much it added (what lies beyond SmallBodyBytes).
func (h *Handler) holdBytes(n int64) (int64, error) {
	return h.hold(n - SmallBodyBytes)
}

// hold counts extra more bytes against MaxHeldBytes, or refuses them with
// a 503 when they would go past it.
func (h *Handler) hold(extra int64) (int64, error) {
	if extra <= 0 {
		return 0, nil
	}
	if h.held.Add(extra) > h.cfg.MaxHeldBytes {
		h.held.Add(-extra)
		return 0, &httpError{status: http.StatusServiceUnavailable, retry: true, msg: fmt.Sprintf(
			"server busy: the requests in flight would hold more than %d bytes, try again", h.cfg.MaxHeldBytes)}
	}
	return extra, nil
}

// holding is what one API request holds against MaxHeldBytes, and
// whether it is a large request with a slot of its own (see takeLarge);
// the request context carries it so that its work can add to it
// (holdWork).
type holding struct {
	n     int64
	large bool
}

// takeLarge gives a request that holds memory one of the
// MaxLargeConcurrent slots of large requests, or refuses it with 503 at
// once (no queue, as for the slots of all requests). Large requests are
// the ones that cost CPU by the hundred milliseconds (bodies of
// megabytes, large compilations and listings); without a bound of their
// own they would take every core, and small requests would wait for them.
func (h *Handler) takeLarge(hold *holding) error {
	if hold.large {
		return nil
	}
	select {
	case h.large <- struct{}{}:
		hold.large = true
		return nil
	default:
		return h.largeBusy()
	}
}

func (h *Handler) largeBusy() error {
	return &httpError{status: http.StatusServiceUnavailable, retry: true, msg: fmt.Sprintf(
		"server busy: %d large requests in flight, try again", cap(h.large))}
}

// release gives back what a request held.
func (h *Handler) release(hold *holding) {
	h.held.Add(-hold.n)
	if hold.large {
		<-h.large
	}
}

type holdingKey struct{}

// holdWork counts n more bytes of the request's work, beyond the first
// SmallWorkBytes, against MaxHeldBytes
// until the request is answered (503 past it). Outside serveAPI (no
// holding in ctx) it holds nothing.
func (h *Handler) holdWork(ctx context.Context, n int64) error {
	hold, ok := ctx.Value(holdingKey{}).(*holding)
	if n -= SmallWorkBytes; !ok || n <= 0 {
		return nil
	}
	if err := h.takeLarge(hold); err != nil {
		return err
	}
	add, err := h.hold(n)
	hold.n += add
	return err
}

// budgetReader counts a body of unknown length against MaxHeldBytes as it
// is read.
type budgetReader struct {
	r    io.Reader
	h    *Handler
	read int64
	held int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += int64(n)
	if want := b.read - SmallBodyBytes; want > b.held {
		add, herr := b.h.hold(want - b.held)
		if herr != nil {
			return n, herr
		}
		b.held += add
	}
	return n, err
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
