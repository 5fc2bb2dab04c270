package vm

import "io"

// DefaultMaxLogBytes bounds the text a run's syscalls may log when
// RunOptions.MaxLogBytes is 0.
const DefaultMaxLogBytes = 1 << 20

// runLog collects the lines syscalls print during one run.
type runLog struct {
	lines     []string
	bytes     int
	limit     int
	truncated bool
	w         io.Writer
}

func (l *runLog) full() bool { return l.bytes >= l.limit }

func (l *runLog) add(line string) {
	if l.w != nil {
		_, _ = io.WriteString(l.w, line+"\n")
	}
	if l.bytes+len(line) > l.limit {
		l.truncated = true
		l.bytes = l.limit
		return
	}
	l.bytes += len(line)
	l.lines = append(l.lines, line)
}
