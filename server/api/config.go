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
	// MaxHeldBytes bounds the memory all API requests in flight may hold
	// at once, counted before it is spent: their bodies beyond the first
	// SmallBodyBytes of each (so that small requests never wait for large
	// ones), and the JIT's compilations and listings at their measured
	// cost per instruction slot (JITBytesPerSlot, ListingBytesPerSlot)
	// beyond the first SmallWorkBytes (1 638 slots compiled, 170 listed). A
	// request that would go past it gets 503 at once, a large upload before
	// its body is read when it declares a Content-Length.
	MaxHeldBytes int64
	// MaxJITSlots bounds the program the JIT compiles for /api/run
	// (instruction slots, 8 bytes of text each); a larger one gets 413
	// before any engine runs. Compiling costs about 80 bytes of machine
	// code and 180 bytes of memory per slot of memory accesses, up to
	// about 240 bytes of code for a slot of callx.
	MaxJITSlots int
	// MaxListingSlots bounds the program /api/jit lists (413 above it):
	// the listing costs about 6 KiB of memory and 500 bytes of answer per
	// slot, far more than compiling.
	MaxListingSlots int
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
	// MaxLargeConcurrent bounds, among them, the large requests: those
	// that hold memory against MaxHeldBytes (a body over SmallBodyBytes,
	// a compilation or listing over SmallWorkBytes). They cost CPU by the
	// hundred milliseconds; bounding them leaves cores to the small ones
	// (default: half the CPUs, at least one). An excess one gets 503 at
	// once.
	MaxLargeConcurrent int
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
	DefaultMaxHeld        = 128 << 20
	DefaultMaxJITSlots    = 1 << 16
	DefaultMaxListing     = 1 << 14
	SmallBodyBytes        = 64 << 10
	SmallWorkBytes        = 1 << 20
	JITBytesPerSlot       = 640
	ListingBytesPerSlot   = 6 << 10
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
	if c.MaxHeldBytes <= 0 {
		c.MaxHeldBytes = DefaultMaxHeld
	}
	if c.MaxJITSlots <= 0 {
		c.MaxJITSlots = DefaultMaxJITSlots
	}
	if c.MaxListingSlots <= 0 {
		c.MaxListingSlots = DefaultMaxListing
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
	if c.MaxLargeConcurrent <= 0 {
		c.MaxLargeConcurrent = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
