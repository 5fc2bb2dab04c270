package main

import "github.com/rbpfgo/rbpfgo/server/api"

// jitReason is the explanation the jit engine's 501 carries in a Worker.
const jitReason = "this server runs as a Cloudflare Worker, i.e. as WebAssembly, " +
	"which cannot map executable memory for the JIT's x86-64 machine code; " +
	"use the native server (go run ./server) or the CLI for the jit engine"

// workerConfig is the API configuration of the Worker: the defaults, no
// static files (Cloudflare serves the page as static assets, see
// wrangler.toml) and the JIT off with an explanation.
func workerConfig() api.Config {
	return api.Config{DisableJIT: true, JITUnavailable: jitReason}
}
