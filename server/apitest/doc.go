// Package apitest is the API test suite shared by every way the API is
// served: the in-process handler (package server/api), the native binary
// and the Cloudflare Worker running in workerd (server/worker). Run takes a
// base URL, so the same cases check all three over real HTTP.
//
// The suite reads the limits in force from GET /api/version and checks each
// against them, so it holds for any configuration. Cases that need the JIT
// run only when Target.JIT is set; otherwise the suite checks that the jit
// engine answers 501 with an explanation.
package apitest
