//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "server/worker is a Cloudflare Worker: build it with `make worker` (GOOS=js GOARCH=wasm), run it with server/worker/serve.sh")
	os.Exit(2)
}
