//go:build !unix && !js

package benchprog

import "time"

var processStart = time.Now()

// CPUTime falls back to wall-clock time where getrusage is not available.
func CPUTime() time.Duration { return time.Since(processStart) }
