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
// Hostile input is expected. Each limit of Config is enforced before the work
// it bounds: the body size (413), the instruction budget and repetition caps
// (400), the number of requests in flight (503 at once, never a queue), and
// a wall-time limit per request that stops even an endless loop given a huge
// budget (the interpreter runs in slices of instructions and checks the
// deadline between them; the JIT's budget is clipped to what it can execute
// in the remaining time). Panics become a 500 with a message and the server
// keeps serving.
package api
