package api

import (
	"net/http"
	"net/url"
	"slices"
)

// cors applies the cross-origin policy. A request without an Origin header,
// or from the handler's own origin, passes untouched. A cross-origin request
// from an allowed origin gets the CORS headers, and a preflight is answered
// here. A cross-origin request from any other origin is refused with 403, so
// foreign pages cannot spend the server's CPU. It reports whether the request
// still needs serving.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || sameOrigin(origin, r) {
		return true
	}
	if !h.originAllowed(origin) {
		writeError(w, httpErrorf(http.StatusForbidden, "origin %q is not allowed to call this server", origin))
		return false
	}
	hdr := w.Header()
	hdr.Add("Vary", "Origin")
	hdr.Set("Access-Control-Allow-Origin", origin)
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		hdr.Set("Access-Control-Allow-Headers", "Content-Type")
		hdr.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	return true
}

func (h *Handler) originAllowed(origin string) bool {
	return slices.Contains(h.cfg.AllowedOrigins, "*") || slices.Contains(h.cfg.AllowedOrigins, origin)
}

// sameOrigin reports whether origin names the host the request was sent to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == r.Host
}
