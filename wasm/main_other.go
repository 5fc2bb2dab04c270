//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main outside the browser only explains how to build the playground, so
// that `go build ./...` works on every platform.
func main() {
	fmt.Fprintln(os.Stderr, "the playground runs in a browser: build it with `make wasm` (GOOS=js GOARCH=wasm) and serve web/dist with `make run`")
	os.Exit(2)
}
