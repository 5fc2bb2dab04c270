//go:build !js

// Package browsertest drives the playground in Chromium from `go test`.
//
// The test builds the page exactly as `make wasm` does (go run ./web/mkdist)
// into a temporary directory, serves it from httptest with the
// pre-compressed main.wasm.gz, and drives a headless Chromium with chromedp.
// Without a Chromium the tests skip, except under CI=true where a missing
// browser is a failure. Screenshots of each view go to the directory the
// test prints (RBPF_SHOTS overrides it). The package is native only
// (chromedp does not build for js), so its files are excluded from
// GOOS=js builds and `GOOS=js GOARCH=wasm go vet ./...` covers the rest.
package browsertest
