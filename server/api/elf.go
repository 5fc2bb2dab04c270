package api

import (
	"context"
	"net/http"

	"github.com/rbpfgo/rbpfgo/core/inspect"
)

// ELFRequest is the body of POST /api/elf.
type ELFRequest struct {
	// ELF is the file, base64.
	ELF string `json:"elf"`
}

// serveELF answers the document `rbpf elf --json` prints (core/inspect).
// A file the loader rejects gets status 422 with the same document, whose
// "error" is rbpf's text and whose checklist and relocation log stop at the
// failing step.
func (h *Handler) serveELF(ctx context.Context, r *http.Request) (any, error) {
	var req ELFRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	prog, err := ProgramSource{ELF: &req.ELF}.decode()
	if err != nil {
		return nil, err
	}
	if err := h.describable("/api/elf", "ELF file", len(prog.data)); err != nil {
		return nil, err
	}
	doc := inspect.Build(prog.data)
	if !doc.OK {
		return nil, &documentError{status: http.StatusUnprocessableEntity, doc: doc, msg: *doc.Error}
	}
	return doc, nil
}

// describable refuses a program of n bytes above MaxDescribeBytes, before
// any work that grows with it.
func (h *Handler) describable(endpoint, what string, n int) error {
	if n > h.cfg.MaxDescribeBytes {
		return httpErrorf(http.StatusRequestEntityTooLarge, "the %s is %d bytes; %s describes programs of at most %d bytes (the rbpf CLI has no limit)", what, n, endpoint, h.cfg.MaxDescribeBytes)
	}
	return nil
}
