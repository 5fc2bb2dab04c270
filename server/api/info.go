package api

import (
	"context"
	"net/http"
)

// Health is the body of GET /api/health.
type Health struct {
	Status string `json:"status"`
}

func (h *Handler) serveHealth(context.Context, *http.Request) (any, error) {
	return Health{Status: "ok"}, nil
}

// Version is the body of GET /api/version: what is running, where, which
// engines answer and the limits in force.
type Version struct {
	Version  string            `json:"version"`
	Revision string            `json:"revision,omitempty"`
	RBPF     string            `json:"rbpf"`
	Engines  map[string]string `json:"engines"`
	Limits   Limits            `json:"limits"`
	Machine  Machine           `json:"machine"`
}

// Limits are Config's limits as a client sees them.
type Limits struct {
	MaxBodyBytes  int64  `json:"max_body_bytes"`
	MaxHeld       int64  `json:"max_held_bytes"`
	MaxJITSlots   int    `json:"max_jit_slots"`
	MaxListing    int    `json:"max_listing_slots"`
	MaxResponse   int    `json:"max_response_bytes"`
	MaxDescribe   int    `json:"max_describe_bytes"`
	DefaultBudget uint64 `json:"default_budget"`
	MaxBudget     uint64 `json:"max_budget"`
	MaxRepeat     int    `json:"max_repeat"`
	// MaxAccountData bounds the accounts' data of an instruction document.
	MaxAccountData int    `json:"max_account_data"`
	MaxTraceInsns  uint64 `json:"max_trace_insns"`
	TimeoutMS      int64  `json:"timeout_ms"`
	MaxConcurrent  int    `json:"max_concurrent"`
}

func (h *Handler) serveVersion(context.Context, *http.Request) (any, error) {
	v, rev := moduleVersion()
	jit := "available"
	if reason := h.jitUnavailable(); reason != "" {
		jit = "unavailable: " + reason
	}
	c := h.cfg
	return Version{
		Version:  v,
		Revision: rev,
		RBPF:     "v0.2.8",
		Engines:  map[string]string{"interp": "available", "jit": jit},
		Limits: Limits{
			MaxBodyBytes:   c.MaxBodyBytes,
			MaxHeld:        c.MaxHeldBytes,
			MaxJITSlots:    c.MaxJITSlots,
			MaxListing:     c.MaxListingSlots,
			MaxResponse:    c.MaxResponseBytes,
			MaxDescribe:    c.MaxDescribeBytes,
			DefaultBudget:  c.DefaultBudget,
			MaxBudget:      c.MaxBudget,
			MaxRepeat:      c.MaxRepeat,
			MaxAccountData: c.MaxAccountData,
			MaxTraceInsns:  c.MaxTraceInsns,
			TimeoutMS:      c.Timeout.Milliseconds(),
			MaxConcurrent:  c.MaxConcurrent,
		},
		Machine: machineOnce(),
	}, nil
}
