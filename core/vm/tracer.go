package vm

import (
	"fmt"
	"io"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// TraceEntry is the state before one instruction: r0-r10 and, at index 11,
// the instruction index.
type TraceEntry [12]uint64

// PC is the instruction index of the entry.
func (e TraceEntry) PC() int { return int(e[11]) }

// Tracer records the state before every executed instruction, as rbpf's
// Tracer.
type Tracer struct {
	Log []TraceEntry
	// Truncated is set when RunOptions.MaxTraceEntries stopped recording.
	Truncated bool
}

// Trace appends one entry.
func (t *Tracer) Trace(e TraceEntry) { t.Log = append(t.Log, e) }

// Write prints the trace exactly as rbpf's Tracer::write does: for each
// entry its index (width 5), the eleven registers as 16 upper-case hex
// digits in a bracketed list, the instruction number (index + 29, width 5)
// and the disassembled instruction.
func (t *Tracer) Write(w io.Writer, program []byte) error {
	lines := asm.DisassembleInsns(program)
	byPC := map[int]int{}
	for i, l := range lines {
		byPC[l.Ptr] = i
		byPC[l.Ptr+1] = i
	}
	var b strings.Builder
	for i, e := range t.Log {
		b.Reset()
		fmt.Fprintf(&b, "%5d [", i)
		for r := 0; r < 11; r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%016X", e[r])
		}
		desc := ""
		if li, ok := byPC[int(e[11])]; ok {
			desc = lines[li].Desc
		}
		fmt.Fprintf(&b, "] %5d: %s\n", e[11]+ebpf.ElfInsnDumpOffset, desc)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// Compare reports whether a JIT trace matches an interpreter trace, as
// rbpf's Tracer::compare: the JIT's may be longer (it checks the meter only
// at branches), so it is cut to the interpreter's length first.
func Compare(interpreter, jit *Tracer) bool {
	a, b := interpreter.Log, jit.Log
	if len(b) > len(a) {
		b = b[:len(a)]
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
