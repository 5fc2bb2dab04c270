//go:build !unix && !js

package provenance

import "time"

// cpuTime is 0 where the process's CPU time is not at hand: the
// benchmarks' CPU figures are then 0.
func cpuTime() time.Duration { return 0 }
