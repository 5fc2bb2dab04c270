//go:build js && wasm

// Command floor is the smallest Go program that renders into the
// playground's page: it writes one line into the mount point and records
// the time as the playground does. TestFirstRender serves it in the
// playground's own index.html to measure what any Go WebAssembly page costs
// before its first render on the same browser and machine.
package main

import "syscall/js"

func main() {
	win := js.Global()
	mount := win.Get("document").Call("getElementById", "vugu_mount_point")
	mount.Set("textContent", "a minimal Go program")
	now := win.Get("performance").Call("now")
	win.Set("rbpfFirstRender", now)
	if t := win.Get("rbpfTimes"); t.Truthy() {
		t.Set("main", now)
		t.Set("firstRender", now)
	}
}
