package api

import (
	"io/fs"
	"log/slog"
	"runtime"
	"time"
)

// Config holds the handler's limits and options. The zero value of each
// field means its default (see Defaults).
type Config struct {
	// MaxBodyBytes bounds a request body; larger bodies get 413.
	MaxBodyBytes int64
	// MaxResponseBytes bounds an answer's JSON; a larger one is replaced by
	// a 422 (an ELF document or JIT listing grows with the program: a
	// 4 MiB ELF of 500 000 instructions makes a 47 MB document, which
	// MaxDescribeBytes now refuses first).
	MaxResponseBytes int
	// MaxDescribeBytes bounds the program /api/elf and /api/jit describe:
	// the ELF file for /api/elf, the instruction bytes for /api/jit (413
	// above it). Their answers, and the memory spent building them, grow
	// with the program: up to about 150 bytes allocated per byte of a
	// crafted ELF. `rbpf elf` and `rbpf jit` have no such limit.
	MaxDescribeBytes int
	// DefaultBudget is the instruction budget of a run request that names none.
	DefaultBudget uint64
	// MaxBudget caps the instruction budget a request may ask for (400 above it).
	MaxBudget uint64
	// MaxTraceInsns bounds the instructions a traced run may execute
	// (400 beyond): the trace keeps every one of them.
	MaxTraceInsns uint64
	// MaxRepeat caps a run request's repetitions (400 above it).
	MaxRepeat int
	// MaxAccountData bounds the accounts' data of a run's instruction
	// document, all accounts together (400 above it, checked before any
	// of it is decoded or allocated): "data_len" asks for zeroed data
	// that costs nothing in the body, and the serialized input, its copy
	// per repetition and the answer's hex all grow with it. One account
	// may hold at most the runtime's 10 MiB as well.
	MaxAccountData int
	// Timeout bounds the wall time of one request's work. A run that is
	// still executing when it expires stops with a time-limit error.
	Timeout time.Duration
	// WorkRate, when set, enforces Timeout as an instruction allowance of
	// Timeout × WorkRate interpreted instructions per request, for hosts
	// whose clock stands still while the code computes (a Cloudflare Worker
	// sees time advance only across I/O, so a deadline would never expire).
	WorkRate float64
	// MaxConcurrent bounds the API requests in flight. An excess request
	// gets 503 at once: there is no queue.
	MaxConcurrent int
	// AllowedOrigins lists the origins allowed to call the API across
	// origins ("*" allows any). Empty means same-origin only: no CORS
	// headers are sent.
	AllowedOrigins []string
	// Static is the file tree served for every non-API path (nil: 404).
	Static fs.FS
	// DisableJIT makes the jit engine answer 501 with JITUnavailable as the
	// explanation, even where the JIT is supported.
	DisableJIT bool
	// JITUnavailable explains why the JIT is not offered; empty means the
	// default explanation for the platform.
	JITUnavailable string
	// Logger receives one line per 500 answer and per recovered panic
	// (nil: slog.Default()).
	Logger *slog.Logger
}

// Default limits.
const (
	DefaultMaxBodyBytes   = 8 << 20
	DefaultMaxResponse    = 32 << 20
	DefaultMaxDescribe    = 1 << 20
	DefaultDefaultBudget  = 1_000_000
	DefaultMaxBudget      = 10_000_000_000
	DefaultMaxRepeat      = 100
	DefaultMaxAccountData = 4 << 20
	DefaultMaxTraceInsns  = 20_000
	DefaultTimeout        = 5 * time.Second
)

// Defaults returns c with every unset field given its default.
func (c Config) Defaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponse
	}
	if c.MaxDescribeBytes <= 0 {
		c.MaxDescribeBytes = DefaultMaxDescribe
	}
	if c.DefaultBudget == 0 {
		c.DefaultBudget = DefaultDefaultBudget
	}
	if c.MaxBudget == 0 {
		c.MaxBudget = DefaultMaxBudget
	}
	if c.DefaultBudget > c.MaxBudget {
		c.DefaultBudget = c.MaxBudget
	}
	if c.MaxTraceInsns == 0 {
		c.MaxTraceInsns = DefaultMaxTraceInsns
	}
	if c.MaxRepeat <= 0 {
		c.MaxRepeat = DefaultMaxRepeat
	}
	if c.MaxAccountData <= 0 {
		c.MaxAccountData = DefaultMaxAccountData
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 8 * runtime.GOMAXPROCS(0)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
