package api

import (
	"context"
	"net/http"
	"time"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit"
)

// JITRequest is the body of POST /api/jit: the program to compile.
type JITRequest struct {
	ProgramSource
	// Blinding turns constant blinding on or off (default on, as for runs).
	Blinding *bool `json:"blinding,omitempty"`
}

func (h *Handler) serveJIT(ctx context.Context, r *http.Request) (any, error) {
	var req JITRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	prog, err := req.ProgramSource.decode()
	if err != nil {
		return nil, err
	}
	spec := runJob{prog: prog}.spec()
	built, err := spec.Build()
	if err != nil {
		return nil, loadError(err)
	}
	if err := h.describable("/api/jit", "program's text", len(built.Exe.Program.Text)); err != nil {
		return nil, err
	}
	if n := len(built.Exe.Program.Text) / ebpf.InsnSize; n > h.cfg.MaxListingSlots {
		return nil, httpErrorf(http.StatusRequestEntityTooLarge,
			"the program has %d instruction slots; /api/jit lists programs of at most %d (the rbpf CLI has no limit)", n, h.cfg.MaxListingSlots)
	} else if err := h.holdWork(ctx, int64(n)*ListingBytesPerSlot); err != nil {
		return nil, err
	}
	blinding := req.Blinding == nil || *req.Blinding
	t0 := time.Now()
	p, err := jit.Compile(built.Exe, h.jitOptions(ctx, blinding))
	took := time.Since(t0)
	if err != nil {
		return nil, h.compileError(err)
	}
	defer p.Close() // never mapped, but Close is the contract
	l := jit.NewListing(p, built.Exe.Program.Text)
	l.Blinding, l.CompileNS, l.Routines = blinding, took.Nanoseconds(), jit.DisassembleRoutines(p)
	return l, nil
}
