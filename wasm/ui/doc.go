// Package ui holds the playground's vugu components and the state they show.
//
// The state (App) is plain Go and knows nothing about the browser: the
// program in wasm/ supplies a Host for the few things only a browser can do
// (the URL fragment, HTTP, the clock, yielding to the event loop). That keeps
// this package buildable and testable natively.
//
// Every event handler starts with `defer c.App.Recover("what")`: a panic in
// a WebAssembly callback would end the Go program and leave a dead page, so
// handlers turn panics into an error banner instead.
//
// The *_gen.go files are vugugen's output, gofmt'ed (make check verifies that
// regenerating changes nothing).
//
//go:generate go tool vugugen -skip-go-mod -skip-main .
//go:generate gofmt -w .
package ui
