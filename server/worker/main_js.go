//go:build js && wasm

package main

import (
	"github.com/syumai/workers"

	"github.com/rbpfgo/rbpfgo/server/api"
)

func main() {
	workers.Serve(api.New(workerConfig()))
}
