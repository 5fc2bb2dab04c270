package tracefile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/digest"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Magic starts every trace file: "RBPFTRC" and the format version.
const Magic = "RBPFTRC\x01"

// FormatName and Version are the Header's format and version fields.
const (
	FormatName = "rbpf-trace"
	Version    = 1
)

// Header is the file's JSON document: what ran and how it ended.
type Header struct {
	Format  string  `json:"format"`
	Version int     `json:"version"`
	Program Program `json:"program"`
	// Spec is the run request; its program is left out for an ELF file
	// (Program names it) and kept for assembly and raw bytes.
	Spec runspec.Spec `json:"spec"`
	// Result is the run's result document, without its trace text.
	Result runspec.Result `json:"result"`
	// Steps is how many trace entries follow.
	Steps int `json:"steps"`
	// Truncated is set when the run's tracer stopped recording before the
	// run ended (vm.RunOptions.MaxTraceEntries): the run went on.
	Truncated bool `json:"truncated,omitempty"`
}

// Program identifies the program a trace was recorded on.
type Program struct {
	// Name is the program file's base name, as the recording tool got it.
	Name string       `json:"name,omitempty"`
	Kind runspec.Kind `json:"kind"`
	// Size and SHA256 are those of the program file's bytes (the ELF file,
	// the assembly text or the raw instruction bytes).
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Run is a finished run, what New records.
type Run struct {
	// Name is the program file's name (kept as given; tools pass the base
	// name).
	Name string
	// Spec is the run request, with its program.
	Spec *runspec.Spec
	// Result is the run's result document.
	Result runspec.Result
	// Trace is the run's tracer (vm.Result.Trace); nil records no steps.
	Trace *vm.Tracer
}

// programBytes is the program file a Spec carries.
func programBytes(s *runspec.Spec) []byte {
	if s.Kind == runspec.KindAsm && s.Source != "" {
		return []byte(s.Source)
	}
	return s.Program
}

// Identify returns the Program of a program file's bytes.
func Identify(name string, kind runspec.Kind, data []byte) Program {
	sum := digest.Sum256(data)
	return Program{Name: name, Kind: kind, Size: len(data), SHA256: hex.EncodeToString(sum[:])}
}

// File is a recorded run: its header and its steps, held in their
// encoded form with a full state every checkpointEvery steps, so that a
// million-step trace stays a few megabytes in memory.
type File struct {
	Header
	steps       []byte       // the step records
	checkpoints []checkpoint // the state before step k*checkpointEvery
}

// checkpointEvery is the distance between two kept full states: Entry
// decodes at most this many records.
const checkpointEvery = 128

type checkpoint struct {
	off  int           // offset of the record of step k*checkpointEvery
	prev vm.TraceEntry // the state before it
}

// start is the state before the first step: zero registers, and the pc
// one before 0 so that a first step at pc 0 needs no explicit pc.
var start = vm.TraceEntry{11: math.MaxUint64}

// New records a run. The spec's program is kept for assembly and raw
// bytes and left out for an ELF file.
func New(run Run) (*File, error) {
	if run.Spec == nil {
		return nil, errors.New("tracefile: no run request")
	}
	spec := *run.Spec
	spec.Verifier = nil
	prog := programBytes(&spec)
	f := &File{Header: Header{Format: FormatName, Version: Version,
		Program: Identify(run.Name, spec.Kind, prog)}}
	switch spec.Kind {
	case runspec.KindAsm:
		spec.Source, spec.Program = string(prog), nil
	case runspec.KindELF:
		spec.Program = nil
	}
	f.Spec = spec
	f.Result = run.Result
	f.Result.Trace = ""
	var log []vm.TraceEntry
	if run.Trace != nil {
		log, f.Truncated = run.Trace.Log, run.Trace.Truncated
	}
	f.Steps = len(log)
	prev := start
	buf := make([]byte, 0, 3*len(log)) // most steps take 2-3 bytes
	for i, e := range log {
		if i%checkpointEvery == 0 {
			f.checkpoints = append(f.checkpoints, checkpoint{off: len(buf), prev: prev})
		}
		buf = appendStep(buf, &prev, e)
		prev = e
	}
	f.steps = buf
	return f, nil
}

// appendStep appends the record of e after the state prev.
func appendStep(b []byte, prev *vm.TraceEntry, e vm.TraceEntry) []byte {
	var mask uint64
	for r := 0; r < 11; r++ {
		if e[r] != prev[r] {
			mask |= 1 << r
		}
	}
	jump := e[11] != prev[11]+1
	tag := mask << 1
	if jump {
		tag |= 1
	}
	b = binary.AppendUvarint(b, tag)
	if jump {
		b = binary.AppendVarint(b, int64(e[11]-(prev[11]+1)))
	}
	for r := 0; r < 11; r++ {
		if mask&(1<<r) != 0 {
			b = binary.AppendVarint(b, int64(e[r]-prev[r]))
		}
	}
	return b
}

// errRecord is a step record that does not decode.
var errRecord = errors.New("damaged step record")

// readStep decodes the record at b[off:] after the state prev into prev,
// returning the offset of the next record.
func readStep(b []byte, off int, prev *vm.TraceEntry) (int, error) {
	tag, n := binary.Uvarint(b[off:])
	if n <= 0 || tag >= 1<<12 {
		return 0, errRecord
	}
	off += n
	next := prev[11] + 1
	if tag&1 != 0 {
		d, n := binary.Varint(b[off:])
		if n <= 0 {
			return 0, errRecord
		}
		off += n
		next += uint64(d)
	}
	prev[11] = next
	for mask := tag >> 1; mask != 0; mask &= mask - 1 {
		r := bits.TrailingZeros64(mask)
		d, n := binary.Varint(b[off:])
		if n <= 0 {
			return 0, errRecord
		}
		off += n
		prev[r] += uint64(d)
	}
	return off, nil
}

// WriteTo writes the file: the magic, then the gzip stream of the header
// and the step records.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	head, err := json.Marshal(f.Header)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: w}
	if _, err := io.WriteString(cw, Magic); err != nil {
		return cw.n, err
	}
	// BestSpeed: on a million steps of register values that look random
	// it writes about three times faster than the default level for a
	// file 1 % larger (BenchmarkWrite).
	z, _ := gzip.NewWriterLevel(cw, gzip.BestSpeed)
	body := binary.AppendUvarint(nil, uint64(len(head)))
	for _, part := range [][]byte{body, head, f.steps} {
		if _, err := z.Write(part); err != nil {
			return cw.n, err
		}
	}
	err = z.Close()
	return cw.n, err
}

// Bytes is the encoded file.
func (f *File) Bytes() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(f.steps)/2 + 4096)
	_, err := f.WriteTo(&b)
	return b.Bytes(), err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Limits bound what Decode accepts, checked before the memory is held.
type Limits struct {
	// MaxBytes bounds the decompressed contents (header and records).
	MaxBytes int
	// MaxSteps bounds the number of steps.
	MaxSteps int
	// Instruction bounds the run's instruction document (an account's
	// data_len allocates without bytes in the file).
	Instruction solana.Limits
}

// DefaultLimits are the CLI's: 64 M steps (a step record takes one byte
// at least), 1 GiB decompressed, and the CLI's instruction limits. The
// page passes smaller ones.
var DefaultLimits = Limits{MaxBytes: 1 << 30, MaxSteps: 1 << 26, Instruction: solana.DefaultLimits}

// Decode reads a trace file. Its errors say what is wrong with the file;
// it never panics, whatever data holds.
func Decode(data []byte, lim Limits) (*File, error) {
	if len(data) < len(Magic) || string(data[:len(Magic)-1]) != Magic[:len(Magic)-1] {
		return nil, errors.New("not an rbpf trace file")
	}
	if v := data[len(Magic)-1]; v != Magic[len(Magic)-1] {
		return nil, fmt.Errorf("trace file format version %d; this reads version %d", v, Version)
	}
	z, err := gzip.NewReader(bytes.NewReader(data[len(Magic):]))
	if err != nil {
		return nil, fmt.Errorf("trace file: %v", err)
	}
	z.Multistream(false)
	// The gzip trailer's ISIZE (the size modulo 2^32) sizes the buffer,
	// bounded by the limit and by what DEFLATE can expand the stream to
	// (at most 1032 bytes per byte), so a lying trailer costs nothing.
	hint := 0
	if rest := data[len(Magic):]; len(rest) >= 4 {
		hint = int(binary.LittleEndian.Uint32(rest[len(rest)-4:]))
		hint = min(hint, lim.MaxBytes, 1032*len(rest))
	}
	body, err := readLimited(z, lim.MaxBytes, hint)
	if err != nil {
		return nil, err
	}
	return decodeBody(body, lim)
}

// Read reads a trace file from r (at most lim.MaxBytes of it).
func Read(r io.Reader, lim Limits) (*File, error) {
	data, err := readLimited(bufio.NewReader(r), lim.MaxBytes, 0)
	if err != nil {
		return nil, err
	}
	return Decode(data, lim)
}

// readLimited reads all of r, failing when it holds more than max bytes;
// hint is the size expected.
func readLimited(r io.Reader, limit, hint int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(max(hint, 0) + bytes.MinRead)
	n, err := b.ReadFrom(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("trace file: %v", err)
	}
	if n > int64(limit) {
		return nil, fmt.Errorf("trace file: more than %d bytes", limit)
	}
	return b.Bytes(), nil
}

// decodeBody reads the decompressed contents: the header, then every
// step record, checking that they are exactly the steps the header says.
func decodeBody(body []byte, lim Limits) (*File, error) {
	hlen, n := binary.Uvarint(body)
	if n <= 0 || hlen > uint64(len(body)-n) {
		return nil, errors.New("trace file: damaged header length")
	}
	// The instruction document is read by solana.Parse with the caller's
	// limits, not by its UnmarshalJSON (the CLI's limits).
	var w struct {
		Header
		Spec struct {
			runspec.Spec
			Instruction json.RawMessage `json:"instruction"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(body[n:n+int(hlen)], &w); err != nil {
		return nil, fmt.Errorf("trace file header: %v", err)
	}
	f := File{Header: w.Header}
	f.Spec = w.Spec.Spec
	if raw := w.Spec.Instruction; len(raw) > 0 && string(raw) != "null" {
		ix, err := solana.Parse(raw, lim.Instruction)
		if err != nil {
			return nil, fmt.Errorf("trace file header: instruction: %v", err)
		}
		f.Spec.Instruction = ix
	}
	steps := body[n+int(hlen):]
	switch {
	case f.Format != FormatName || f.Version != Version:
		return nil, fmt.Errorf("trace file header: format %q version %d, want %q version %d", f.Format, f.Version, FormatName, Version)
	case f.Steps < 0 || f.Steps > lim.MaxSteps:
		return nil, fmt.Errorf("trace file: %d steps, more than the %d allowed", f.Steps, lim.MaxSteps)
	case f.Steps > len(steps):
		return nil, fmt.Errorf("trace file: %d steps in %d bytes of records", f.Steps, len(steps))
	}
	if err := f.checkHeader(); err != nil {
		return nil, err
	}
	f.steps = steps
	f.checkpoints = make([]checkpoint, 0, (f.Steps+checkpointEvery-1)/checkpointEvery)
	prev, off := start, 0
	for i := 0; i < f.Steps; i++ {
		if i%checkpointEvery == 0 {
			f.checkpoints = append(f.checkpoints, checkpoint{off: off, prev: prev})
		}
		var err error
		if off, err = readStep(steps, off, &prev); err != nil {
			return nil, fmt.Errorf("trace file: step %d: %v", i, err)
		}
	}
	if off != len(steps) {
		return nil, fmt.Errorf("trace file: %d bytes after the last of %d steps", len(steps)-off, f.Steps)
	}
	return &f, nil
}

// checkHeader checks what the header says about the program.
func (f *File) checkHeader() error {
	p := f.Program
	switch p.Kind {
	case runspec.KindAsm, runspec.KindBytes, runspec.KindELF:
	default:
		return fmt.Errorf("trace file header: unknown program kind %q", p.Kind)
	}
	if p.Kind != f.Spec.Kind {
		return fmt.Errorf("trace file header: program kind %q, run request kind %q", p.Kind, f.Spec.Kind)
	}
	if sum, err := hex.DecodeString(p.SHA256); err != nil || len(sum) != 32 || p.Size < 0 {
		return errors.New("trace file header: program sha256 or size missing")
	}
	if p.Kind != runspec.KindELF {
		if err := f.CheckProgram(programBytes(&f.Spec)); err != nil {
			return fmt.Errorf("trace file header: the program it holds: %v", err)
		}
	}
	return nil
}

// Len is the number of steps.
func (f *File) Len() int { return f.Steps }

// Entry returns the state before step i (0-based): r0-r10 and the pc.
// ok is false when there is no step i.
func (f *File) Entry(i int) (e vm.TraceEntry, ok bool) {
	if i < 0 || i >= f.Steps {
		return vm.TraceEntry{}, false
	}
	cp := f.checkpoints[i/checkpointEvery]
	e, off := cp.prev, cp.off
	for k := i - i%checkpointEvery; k <= i; k++ {
		var err error
		if off, err = readStep(f.steps, off, &e); err != nil {
			return vm.TraceEntry{}, false // Decode and New checked every record
		}
	}
	return e, true
}

// Entries returns the states before steps from..to-1, clipped to the
// trace.
func (f *File) Entries(from, to int) []vm.TraceEntry {
	from, to = max(from, 0), min(to, f.Steps)
	if from >= to {
		return nil
	}
	out := make([]vm.TraceEntry, 0, to-from)
	c := f.Cursor()
	c.Seek(from)
	for len(out) < to-from && c.Next() {
		out = append(out, c.Entry())
	}
	return out
}

// Cursor reads the steps in order, decoding each once.
type Cursor struct {
	f    *File
	next int // the step Next moves to
	off  int
	e    vm.TraceEntry
}

// Cursor returns a cursor before the first step.
func (f *File) Cursor() *Cursor { c := &Cursor{f: f}; c.Seek(0); return c }

// Seek places the cursor before step i (clipped to 0..Len).
func (c *Cursor) Seek(i int) {
	i = max(0, min(i, c.f.Steps))
	c.next = i
	if len(c.f.checkpoints) == 0 {
		c.off, c.e = 0, start
		return
	}
	k := min(i/checkpointEvery, len(c.f.checkpoints)-1)
	cp := c.f.checkpoints[k]
	c.off, c.e = cp.off, cp.prev
	for j := k * checkpointEvery; j < i; j++ {
		c.off, _ = readStep(c.f.steps, c.off, &c.e)
	}
}

// Next moves to the next step; false after the last.
func (c *Cursor) Next() bool {
	if c.next >= c.f.Steps {
		return false
	}
	off, err := readStep(c.f.steps, c.off, &c.e)
	if err != nil {
		c.next = c.f.Steps
		return false
	}
	c.off = off
	c.next++
	return true
}

// Step is the index of the step Next moved to.
func (c *Cursor) Step() int { return c.next - 1 }

// Entry is the state before the current step.
func (c *Cursor) Entry() vm.TraceEntry { return c.e }

// CheckProgram reports whether data is the program file the trace was
// recorded on (same size and SHA-256).
func (f *File) CheckProgram(data []byte) error {
	got := Identify("", f.Program.Kind, data)
	if got.Size != f.Program.Size || got.SHA256 != f.Program.SHA256 {
		return fmt.Errorf("program of %d bytes with sha256 %s; the trace was recorded on %d bytes with sha256 %s",
			got.Size, got.SHA256, f.Program.Size, f.Program.SHA256)
	}
	return nil
}

// Embedded reports whether the file holds its program (assembly or raw
// bytes); an ELF program must be supplied to RunSpec.
func (f *File) Embedded() bool { return f.Program.Kind != runspec.KindELF }

// RunSpec returns the run request ready to build again: program is the
// ELF file (checked against the recorded hash), or nil when the file
// holds its program.
func (f *File) RunSpec(program []byte) (*runspec.Spec, error) {
	s := f.Spec
	if f.Embedded() {
		if program != nil {
			if err := f.CheckProgram(program); err != nil {
				return nil, err
			}
		}
		return &s, nil
	}
	if program == nil {
		return nil, fmt.Errorf("the trace was recorded on the ELF file %s (sha256 %s): give that file", f.Program.Name, f.Program.SHA256)
	}
	if err := f.CheckProgram(program); err != nil {
		return nil, err
	}
	s.Program = program
	return &s, nil
}

// EncodedSize is the size of the step records before compression.
func (f *File) EncodedSize() int { return len(f.steps) }
