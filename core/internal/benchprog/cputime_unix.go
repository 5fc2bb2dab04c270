//go:build unix

package benchprog

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time this process has used (user + system), so that
// benchmarks on a shared, overloaded machine can report a cost that does
// not count time spent waiting for a core.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
