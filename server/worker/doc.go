// Command worker serves rbpfgo's HTTP API (package server/api) as a
// Cloudflare Worker: the same handler as the native server, compiled with
// GOOS=js GOARCH=wasm and started by the JavaScript shim that
// `go tool workers-assets-gen -mode=go` writes.
//
// Build it with `make worker` (output in server/worker/build); run it
// locally with ./serve.sh (workerd from node_modules, config workerd.capnp).
// The JIT engine answers 501: WebAssembly cannot map executable memory for
// x86-64 machine code. See docs/deploy-worker.md for deploying, and for what
// the fresh instance each request starts costs.
//
// Built natively, the command only says how to build it.
package main
