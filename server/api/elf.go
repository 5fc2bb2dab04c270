package api

import (
	"context"
	"net/http"
)

// ELFRequest is the body of POST /api/elf.
type ELFRequest struct {
	// ELF is the file, base64.
	ELF string `json:"elf"`
}

func (h *Handler) serveELF(ctx context.Context, r *http.Request) (any, error) {
	var req ELFRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	if _, err := (ProgramSource{ELF: &req.ELF}).decode(); err != nil {
		return nil, err
	}
	return nil, errNotWired("ELF inspection")
}
