package vm

import (
	"io"
	"strconv"

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
	f := NewTraceFormatter(program)
	buf := make([]byte, 0, 512)
	for i, e := range t.Log {
		if _, err := w.Write(f.AppendLine(buf[:0], uint64(i), e)); err != nil {
			return err
		}
	}
	return nil
}

// TraceFormatter writes single lines of Tracer.Write's text, for traces
// that are not held as one Tracer (a trace file read back step by step).
type TraceFormatter struct {
	lines []asm.Line
	byPC  map[int]int
}

// NewTraceFormatter disassembles program once for the lines to come.
func NewTraceFormatter(program []byte) *TraceFormatter {
	lines := asm.DisassembleInsns(program)
	byPC := make(map[int]int, 2*len(lines))
	for i, l := range lines {
		byPC[l.Ptr] = i
		byPC[l.Ptr+1] = i
	}
	return &TraceFormatter{lines: lines, byPC: byPC}
}

// AppendLine appends the line of entry e, numbered step, newline included.
func (f *TraceFormatter) AppendLine(buf []byte, step uint64, e TraceEntry) []byte {
	buf = appendPadded(buf, step, 5)
	buf = append(buf, " ["...)
	for r := 0; r < 11; r++ {
		if r > 0 {
			buf = append(buf, ", "...)
		}
		buf = appendHex16(buf, e[r])
	}
	buf = append(buf, "] "...)
	buf = appendPadded(buf, e[11]+ebpf.ElfInsnDumpOffset, 5)
	buf = append(buf, ": "...)
	buf = append(buf, f.Instruction(e[11])...)
	return append(buf, '\n')
}

// Instruction is the disassembled instruction at pc, "" when the program
// has none there.
func (f *TraceFormatter) Instruction(pc uint64) string {
	if pc > uint64(len(f.lines))*2 {
		return ""
	}
	if li, ok := f.byPC[int(pc)]; ok {
		return f.lines[li].Desc
	}
	return ""
}

// appendPadded appends v in decimal, right-aligned in width columns.
func appendPadded(b []byte, v uint64, width int) []byte {
	var d [20]byte
	digits := strconv.AppendUint(d[:0], v, 10)
	for n := len(digits); n < width; n++ {
		b = append(b, ' ')
	}
	return append(b, digits...)
}

// appendHex16 appends v as 16 upper-case hex digits.
func appendHex16(b []byte, v uint64) []byte {
	const hex = "0123456789ABCDEF"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hex[v>>uint(shift)&0xf])
	}
	return b
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
