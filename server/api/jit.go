package api

import (
	"context"
	"net/http"
)

// JITRequest is the body of POST /api/jit: the program to compile.
type JITRequest struct {
	ProgramSource
}

func (h *Handler) serveJIT(ctx context.Context, r *http.Request) (any, error) {
	var req JITRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	if _, err := req.ProgramSource.decode(); err != nil {
		return nil, err
	}
	return nil, errNotWired("the JIT listing")
}
