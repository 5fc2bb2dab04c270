package main

import "github.com/rbpfgo/rbpfgo/server/api"

// jitReason is the explanation the jit engine's 501 carries in a Worker.
const jitReason = "this server runs as a Cloudflare Worker, i.e. as WebAssembly, " +
	"which cannot map executable memory for the JIT's x86-64 machine code; " +
	"use the native server (go run ./server) or the CLI for the jit engine"

// workRate is the interpreter's speed assumed in a Worker, in instructions
// per second (measured in workerd: 10-30 million). A Worker's clock stands
// still while it computes, so the time limit is enforced as an instruction
// allowance of Timeout × workRate.
const workRate = 20e6

// workerConfig is the API configuration of the Worker: the defaults, no
// static files (Cloudflare serves the page as static assets, see
// wrangler.toml), the time limit as an instruction allowance and the JIT
// off with an explanation.
func workerConfig() api.Config {
	return api.Config{DisableJIT: true, JITUnavailable: jitReason, WorkRate: workRate}
}
