package ui

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// The Recorded run view opens a trace file (core/tracefile: what the
// debugger's "trace file" button and `rbpf run --save-trace` write) and
// steps through it without running the program: the registers before
// each step and the instruction at its pc. A second file dropped while one
// is open is compared with it (tracefile.Compare): the view says where
// the two runs part and goes there.

// pageTraceLimits bound a dropped trace file: 2^21 steps (about 100 MB of
// registers as the page holds them decoded: tracefile keeps them compact,
// 2-7 bytes a step) and 64 MiB decompressed.
var pageTraceLimits = tracefile.Limits{MaxBytes: 64 << 20, MaxSteps: 1 << 21, Instruction: solana.DefaultLimits}

// TraceState is the Recorded run view.
type TraceState struct {
	hub  hub
	file *tracefile.File
	name string
	fmt  *vm.TraceFormatter // the program's instructions, nil until known
	Step int
	Err  string
	// other and diff are the file compared with this one.
	other     *tracefile.File
	otherName string
	diff      *tracefile.Difference
}

// IsTraceFile reports whether data starts as a trace file does.
func IsTraceFile(data []byte) bool {
	return bytes.HasPrefix(data, []byte(tracefile.Magic[:len(tracefile.Magic)-1])) // any version: Decode says which
}

// Open reads a dropped trace file: the first opens, a second one is
// compared with it.
func (t *TraceState) Open(name string, data []byte) {
	defer t.hub.Recover("opening " + name)
	f, err := tracefile.Decode(data, pageTraceLimits)
	t.hub.screen().View = "trace"
	if err != nil {
		t.Err = fmt.Sprintf("%s: %v", name, err)
		return
	}
	t.Err = ""
	if t.file != nil && t.other == nil {
		t.compare(name, f)
		return
	}
	t.open(name, f)
}

// open shows f alone.
func (t *TraceState) open(name string, f *tracefile.File) {
	*t = TraceState{hub: t.hub, file: f, name: name}
	t.program()
}

// compare compares the open file with f and goes to where they part.
func (t *TraceState) compare(name string, f *tracefile.File) {
	d := tracefile.Compare(t.file, f)
	t.other, t.otherName, t.diff = f, name, &d
	if d.Diverge != nil {
		t.Step = d.Diverge.Step
	}
}

// openCompared shows a, compared with b, in the Recorded run view.
func (t *TraceState) openCompared(aName string, a *tracefile.File, bName string, b *tracefile.File) {
	t.hub.screen().View = "trace"
	t.open(aName, a)
	t.compare(bName, b)
}

// program finds the instructions of the trace's program: the file's own
// (assembly or bytes), or the loaded program when it is the ELF file the
// trace names.
func (t *TraceState) program() {
	var elf []byte
	if !t.file.Embedded() {
		p := t.hub.program()
		if p == nil || t.file.CheckProgram(p.ELF) != nil {
			return
		}
		elf = p.ELF
	}
	s, err := t.file.RunSpec(elf)
	if err != nil {
		return
	}
	b, err := s.Build()
	if err != nil || b == nil {
		return
	}
	t.fmt = vm.NewTraceFormatter(b.Exe.Program.Text)
}

// ProgramLoaded lets a trace waiting for its ELF file take the newly
// loaded program.
func (t *TraceState) ProgramLoaded() {
	if t.file != nil && t.fmt == nil {
		t.program()
	}
}

// Go moves to step i (clamped).
func (t *TraceState) Go(i int) {
	if t.file == nil {
		return
	}
	t.Step = max(0, min(i, t.file.Len()-1))
}

// click takes the view's buttons.
func (t *TraceState) click(verb, arg string) bool {
	switch verb {
	case "tr-first":
		t.Go(0)
	case "tr-prev":
		t.Go(t.Step - 1)
	case "tr-next":
		t.Go(t.Step + 1)
	case "tr-last":
		t.Go(t.file.Len() - 1)
	case "tr-go":
		if n, err := strconv.Atoi(arg); err == nil {
			t.Go(n)
		}
	case "tr-close":
		*t = TraceState{hub: t.hub}
	case "tr-uncompare":
		t.other, t.otherName, t.diff = nil, "", nil
	default:
		return false
	}
	return true
}

// traceView is what the view shows (traceTmpl).
type traceView struct {
	Open                bool
	Err, Name, About    string
	Result, Step, Steps string
	NoProgram           string
	Lines               []traceLine
	Regs                []RegRow
	Diff, OtherName     string
	DivergeStep         string
	_                   [0]func()
}

// traceLine is one instruction around the step's pc.
type traceLine struct {
	Class, PC, Text string
	_               [0]func()
}

// HTML draws the view.
func (t *TraceState) HTML() vugu.HTML {
	v := traceView{Err: t.Err}
	f := t.file
	if f == nil {
		return traceTmpl.render(v)
	}
	v.Open, v.Name = true, t.name
	v.About = fmt.Sprintf("%s (%s, %s bytes, sha256 %.16s…): %s recorded", f.Program.Name, f.Program.Kind, thousands(uint64(f.Program.Size)), f.Program.SHA256, count(uint64(f.Len()), "step"))
	if f.Truncated {
		v.About += ", the rest of the run not recorded"
	}
	executed := f.Result.InstructionCount
	if !f.Truncated {
		executed = uint64(f.Len())
	}
	v.Result = resultLine(f.Result.Value, f.Result.Error, f.Result.InstructionCount, executed)
	if f.Len() > 0 {
		e, _ := f.Entry(t.Step)
		var prev vm.TraceEntry
		if t.Step > 0 {
			prev, _ = f.Entry(t.Step - 1)
		}
		v.Step, v.Steps = strconv.Itoa(t.Step), strconv.Itoa(f.Len()-1)
		var regs, before [11]uint64
		copy(regs[:], e[:11])
		copy(before[:], prev[:11])
		if t.Step == 0 {
			before = regs
		}
		v.Regs = regRows(regs, before)
		pc := e.PC()
		if t.fmt == nil {
			v.NoProgram = fmt.Sprintf("Drop %s (sha256 %s) to see the instructions; the registers need no program.", f.Program.Name, f.Program.SHA256)
			v.Lines = []traceLine{{Class: "cur", PC: ebpf.PCRef(pc)}}
		} else {
			for p := max(0, pc-6); p <= pc+6; p++ {
				txt := t.fmt.Instruction(uint64(p))
				if txt == "" {
					continue
				}
				l := traceLine{PC: ebpf.PCRef(p), Text: txt}
				if p == pc {
					l.Class = "cur"
				}
				v.Lines = append(v.Lines, l)
			}
		}
	}
	if t.diff != nil {
		v.OtherName = t.otherName
		v.Diff = t.diff.Summary(nil)
		if d := t.diff.Diverge; d != nil {
			v.DivergeStep = strconv.Itoa(d.Step)
		}
	}
	return traceTmpl.render(v)
}

// resultLine is a run's result in one line: the instructions it executed
// and, where it differs, what the meter counted (rbpf's instruction
// count, which the runtime's syscalls charge too).
func resultLine(value *uint64, err *string, metered, executed uint64) string {
	n := executedLine(metered, executed)
	if err != nil {
		return fmt.Sprintf("error: %s, after %s", *err, n)
	}
	if value != nil {
		return fmt.Sprintf("exited: r0 = %d (0x%x), %s", *value, *value, n)
	}
	return ""
}

// executedLine counts a run's instructions, with the meter's count beside
// them when the two differ: rbpf v0.2.8's get_total_instruction_count is
// what the meter consumed (src/vm.rs: initial_insn_count -
// instruction_meter.get_remaining()), and the runtime's syscalls consume
// from the same meter.
func executedLine(metered, executed uint64) string {
	n := count(executed, "instruction")
	if metered != executed && metered != 0 {
		n += fmt.Sprintf(" (the meter counted %d: syscalls charge it too)", metered)
	}
	return n
}

var traceTmpl = newTmpl(`<h2>Recorded run</h2>
{!Open}<p class="note">Drop a trace file here, or anywhere on the page, to step through a run without running it again: the debugger's "⤓ trace file" makes one, and so does <code>rbpf run --save-trace FILE</code>. Drop a second one to compare the two runs and go to where they part.</p>{/}
{?Err}<div class="err" id="trace-err">{Err}</div>{/}
{?Open}<p class="what" id="trace-about"><b>{Name}</b>: {About}</p>
<p class="note" id="trace-result">{Result}</p>
<div class="controls toolbar"><button class="plain" id="tr-first" name="do:tr-first">« first</button><button class="plain" id="tr-prev" name="do:tr-prev">◀ previous</button>
<button class="plain" id="tr-next" name="do:tr-next">next ▶</button><button class="plain" id="tr-last" name="do:tr-last">last »</button>
<label class="field">step <input type="text" class="mono short" id="tr-step" name="tr-step" value="{Step}"></label><span class="note">of 0–{Steps}</span>
<button class="plain small" id="tr-close" name="do:tr-close">close</button></div>
{?Diff}<div class="trace-diff" id="trace-diff"><h3>Compared with {OtherName}</h3><pre class="mono">{Diff}</pre>
{?DivergeStep}<button class="plain" id="tr-diverge" name="do:tr-go:{DivergeStep}">go to step {DivergeStep}, where they part</button>{/}
<button class="plain small" name="do:tr-uncompare">stop comparing</button></div>{/}
{?NoProgram}<p class="note" id="trace-noprog">{NoProgram}</p>{/}
<div class="trace-grid"><div><h3>Instructions</h3><table class="facts trace-lines" id="trace-lines">{*Lines}<tr class="{Class}"><td>{PC}</td><td>{Text}</td></tr>{/}</table></div>
<div><h3>Registers before the step</h3><table class="regs" id="trace-regs">{*Regs}<tr class="{Class}"><th>{Name}</th><td class="hexv">{Hex}</td><td class="dec">{Dec}</td></tr>{/}</table></div></div>{/}`)
