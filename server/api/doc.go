// Package api is rbpfgo's HTTP API and static page host: one http.Handler
// that the native server (package server) and the Cloudflare Worker
// (server/worker) both serve.
//
// Endpoints, all JSON in and out, every error a body {"error": "message"}:
//
//	POST /api/run      run a program (asm, ELF or raw bytes) on the chosen engines
//	POST /api/elf      the `rbpf elf --json` document of an ELF file
//	POST /api/jit      the x86-64 code the JIT emits for each eBPF instruction
//	GET  /api/health   liveness
//	GET  /api/version  build and machine information
//
// Every other path is served from Config.Static (the embedded playground),
// with pre-gzipped files sent as Content-Encoding: gzip.
//
// Hostile input is expected. Each limit of Config is enforced before the
// work it bounds: the body and the program to describe or compile (413),
// the instruction budget, repetitions, trace length and account data (400),
// the requests in flight and, among them, the large ones (503 at once,
// never a queue) and the memory all requests together hold (503). An answer
// larger than Config.MaxResponseBytes is replaced by a 422.
//
// Every request's work also has a wall-time limit (Config.Timeout; past it
// the answer is a time-limit error, 422) that stops even an endless loop
// given a huge budget. The interpreter runs in slices of instructions and
// looks at the deadline between them. The JIT looks at it while it
// compiles (jit.Options.Interrupt), and its machine code, which cannot be
// stopped, returns to Go every few million instructions, where
// jit.Program.RunVMInterruptible ends the run once the deadline has passed
// (jit.ErrInterrupted). The syscalls of every run look at it too, since one
// call may cost far more than an instruction. Where the clock stands still
// while code computes (a Cloudflare Worker), Config.WorkRate turns the
// limit into an allowance of instructions, with each syscall charged for
// its memory traffic. Panics become a 500 with a message and the server
// keeps serving.
package api
