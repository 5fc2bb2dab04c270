// Command mkdist builds the playground into a directory that any static file
// server can serve: index.html, style.css, Go's wasm_exec.js, main.wasm
// (built with GOOS=js GOARCH=wasm -ldflags='-s -w') and main.wasm.gz, the
// same bytes pre-compressed for servers that send it with
// Content-Encoding: gzip. index.html holds the first view, prerendered
// (wasm/prerender), so that it is drawn before main.wasm has arrived.
//
// Usage: go run ./web/mkdist [-o web/dist]
package main
