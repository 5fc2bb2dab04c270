package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// httpError is an error with the HTTP status that reports it.
type httpError struct {
	status  int
	msg     string
	detail  string // more than msg says, when known
	wrapped error  // for errors.Is; may be nil
	retry   bool   // an overload: the answer carries Retry-After
}

func (e *httpError) Error() string { return e.msg }

func (e *httpError) Unwrap() error { return e.wrapped }

func httpErrorf(status int, format string, args ...any) *httpError {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *httpError {
	return httpErrorf(http.StatusBadRequest, format, args...)
}

func errNotFound(path string) *httpError {
	return httpErrorf(http.StatusNotFound, "%s: not found", path)
}

// errorBody is the body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	// Detail adds what the error's own text leaves out, e.g. which rule
	// the verifier applied where rbpf displays only "VerifierError".
	Detail string `json:"detail,omitempty"`
}

// writeError answers err as {"error": message} with err's status (500 for
// an error that carries none).
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var (
		he *httpError
		de *documentError
	)
	switch {
	case errors.As(err, &de):
		writeJSON(w, de.status, de.doc) // small: a rejected file has no text
		return
	case errors.As(err, &he):
		if he.retry {
			w.Header().Set("Retry-After", "1")
		}
		writeJSON(w, he.status, errorBody{Error: he.msg, Detail: he.detail})
		return
	}
	writeJSON(w, status, errorBody{Error: err.Error()})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONMax(w, status, v, 0)
}

// writeJSONMax answers v as JSON with status, or, when the JSON would
// exceed max bytes (max > 0), a 422 saying so.
func writeJSONMax(w http.ResponseWriter, status int, v any, max int) {
	body, err := json.Marshal(v)
	switch {
	case err != nil:
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{Error: "encoding the answer: " + err.Error()})
	case max > 0 && len(body) > max:
		status = http.StatusUnprocessableEntity
		body, _ = json.Marshal(errorBody{Error: fmt.Sprintf(
			"the answer would be %d bytes, over this server's limit of %d: send a smaller program", len(body), max)})
	}
	body = append(body, '\n')
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// documentError is an error answered with a whole document rather than
// {"error": message}; the document carries its own "error" field.
type documentError struct {
	status int
	doc    any
	msg    string
}

func (e *documentError) Error() string { return e.msg }

// loadError is the 422 of a program that does not load: rbpf's text, and
// the first wrapped error's text that rbpf's does not show, as the detail
// (rbpf displays a verifier rejection as just "VerifierError").
func loadError(err error) error {
	he := &httpError{status: http.StatusUnprocessableEntity, msg: err.Error()}
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(inner) {
		if !strings.Contains(he.msg, inner.Error()) {
			he.detail = inner.Error()
			break
		}
	}
	return he
}
