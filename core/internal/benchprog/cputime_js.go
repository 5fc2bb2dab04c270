//go:build js

package benchprog

import (
	"syscall/js"
	"time"
)

// CPUTime is the CPU time of the JavaScript host process (Node's
// process.cpuUsage: user + system, all of its threads, so V8's background
// compilation counts too). Under GOOS=js the benchmarks then report a rate
// comparable to the native insn/cpu-s on a loaded machine. Without Node's
// process object it falls back to wall-clock time.
func CPUTime() time.Duration {
	proc := js.Global().Get("process")
	if proc.Type() != js.TypeObject || proc.Get("cpuUsage").Type() != js.TypeFunction {
		return time.Since(processStart)
	}
	u := proc.Call("cpuUsage")
	us := u.Get("user").Float() + u.Get("system").Float()
	return time.Duration(us) * time.Microsecond
}

var processStart = time.Now()
