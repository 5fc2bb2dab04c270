package api

import "context"

// runEngine runs job on one engine. Placeholder until core/vm lands.
func (h *Handler) runEngine(ctx context.Context, engine string, job runJob) (EngineResult, error) {
	return EngineResult{}, errNotWired("running programs")
}

// jitUnavailable explains why the JIT cannot run here; empty when it can.
func (h *Handler) jitUnavailable() string {
	if h.cfg.DisableJIT {
		if h.cfg.JITUnavailable != "" {
			return h.cfg.JITUnavailable
		}
		return "disabled by the server's configuration"
	}
	return ""
}

// JITAvailable reports whether the jit engine runs on this handler.
func (h *Handler) JITAvailable() bool { return h.jitUnavailable() == "" }
