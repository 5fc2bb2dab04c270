//go:build js

package provenance

import (
	"syscall/js"
	"time"
)

// cpuTime is the CPU time of the JavaScript host process (Node's
// process.cpuUsage: user + system, all of its threads), so that under
// GOOS=js the benchmarks report a cost comparable to the native one on a
// loaded machine; 0 without Node's process object.
func cpuTime() time.Duration {
	proc := js.Global().Get("process")
	if proc.Type() != js.TypeObject || proc.Get("cpuUsage").Type() != js.TypeFunction {
		return 0
	}
	u := proc.Call("cpuUsage")
	return time.Duration(u.Get("user").Float()+u.Get("system").Float()) * time.Microsecond
}
