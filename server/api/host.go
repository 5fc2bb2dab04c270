package api

import (
	"context"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// DefaultMemoryLimit is the Go memory limit (debug.SetMemoryLimit) the
// server command sets unless told otherwise. It is sized for the
// documented limits: MaxHeldBytes (128 MiB) of bodies and JIT work, 16
// requests in flight holding their decoded requests, programs and VMs
// (each under 20 MiB for an 8 MiB body), and the runtime's own overhead.
// The limit is soft: the collector works harder near it (GOGC 400 would
// otherwise let garbage grow to five times the live heap) but never
// refuses memory; what bounds the live heap is the limits above.
const DefaultMemoryLimit = 384 << 20

// TuneRuntime sets the garbage collector as the server command runs it:
// GOGC 400 unless the environment sets GOGC (every run allocates its VM's
// 80 KiB stack while the live heap stays small, so the default collects
// after every few requests; 400 saves about a fifth of the CPU per
// request), and the memory limit: limit bytes when positive, none when
// negative, and when 0 DefaultMemoryLimit unless the environment sets
// GOMEMLIMIT (which the runtime has applied already). It returns the limit
// in force.
func TuneRuntime(limit int64) int64 {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	switch {
	case limit > 0:
		debug.SetMemoryLimit(limit)
	case limit < 0:
		debug.SetMemoryLimit(1<<63 - 1)
	case os.Getenv("GOMEMLIMIT") == "":
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}

// HTTPServer is the http.Server the server command runs h with: it bounds
// what a slow or hostile client can hold, since headers, body reading,
// writing and idle connections all time out.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// ReleaseMemory returns the memory a burst of large requests left behind
// to the operating system once no request holds any (MaxHeldBytes counts
// nothing), checking every interval until ctx ends. Without it the pages
// stay resident: with GOGC 400 and no allocation while idle no collection
// runs, so the runtime's scavenger keeps the heap sized for the burst.
// It acts only when the Go runtime holds at least 32 MiB more than after
// its last release, so steady small requests cost nothing.
func (h *Handler) ReleaseMemory(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	held := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64() - samples[1].Value.Uint64()
	}
	floor := held()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if h.held.Load() != 0 || held() < floor+32<<20 {
			continue
		}
		debug.FreeOSMemory()
		floor = held()
	}
}
