package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// decodeJSON reads r's body into v: at most maxBytes of it, exactly one
// JSON object, no unknown fields. The Content-Type is not checked, so
// `curl -d` works; cross-origin misuse is stopped by the CORS policy. Every failure is a 4xx error whose message
// says what was wrong.
func decodeJSON(r *http.Request, maxBytes int64, v any) error {
	if r.ContentLength > maxBytes {
		return tooLarge(maxBytes)
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, maxBytes)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(maxBytes)
		}
		return badRequest("malformed JSON: the body holds more than one value")
	}
	// The body is decoded: let its bytes go while the request works.
	r.Body = http.NoBody
	return nil
}

func tooLarge(maxBytes int64) error {
	return httpErrorf(http.StatusRequestEntityTooLarge, "request body exceeds the limit of %d bytes", maxBytes)
}

// jsonError turns a decoding error into a message that names the place.
func jsonError(err error, maxBytes int64) error {
	var (
		mbe  *http.MaxBytesError
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		msg  string
		stat = http.StatusBadRequest
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(maxBytes)
	case errors.Is(err, io.EOF):
		msg = "empty body: send a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "malformed JSON: unexpected end of body"
	case errors.As(err, &syn):
		msg = fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		msg = fmt.Sprintf("%s: expected %s, got JSON %s", field, typ.Type, typ.Value)
	default:
		msg = "malformed JSON: " + err.Error()
	}
	return httpErrorf(stat, "%s", msg)
}
