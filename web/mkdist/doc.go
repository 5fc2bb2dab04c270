// Command mkdist builds the playground into a directory that any static file
// server can serve: index.html, style.css, Go's wasm_exec.js, main.wasm
// (built with GOOS=js GOARCH=wasm -ldflags='-s -w') and main.wasm.gz, the
// same bytes pre-compressed for servers that send it with
// Content-Encoding: gzip.
//
// Usage: go run ./web/mkdist [-o web/dist]
package main
