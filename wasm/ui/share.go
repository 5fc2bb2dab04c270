package ui

import (
	"fmt"
	"path"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/conformance/export"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Sharing a run: the debugger's current run request, run again from the
// start on the interpreter, is offered as a trace file (core/tracefile:
// the program's identity, the request, the result and every step's
// registers, what `rbpf run --save-trace` writes and `rbpf trace` reads)
// or as a conformance case (core/conformance/export, what `rbpf run
// --export-case` writes).

// maxShareSteps bounds the steps a trace file records: the tracer holds
// 96 bytes a step until the file compacts them (about 2-7 bytes a step).
const maxShareSteps = 1 << 20

// The result documents' names of the page's two engines.
var (
	interpDocName = runspec.EngineName(vm.Interpreter{})
	wasmDocName   = runspec.EngineName(wasmjit.Engine{})
)

// runBuilt runs b once with run (the interpreter's is (*vm.VM).Run) on a
// VM of its own, and returns the result document and the trace.
func runBuilt(b *runspec.Built, engine string, run func(*vm.VM) vm.Result) (runspec.Result, *vm.Tracer) {
	pr := b.Prepare()
	m, err := vm.New(b.Exe, pr.Options)
	r := vm.Result{Err: err}
	if err == nil {
		r = run(m)
	}
	return b.Finish(engine, pr, r), r.Trace
}

// traceFile is the run of b with run as a trace file.
func (d *DebugState) traceFile(spec *runspec.Spec, b *runspec.Built, engine string, run func(*vm.VM) vm.Result) (*tracefile.File, error) {
	res, tr := runBuilt(b, engine, run)
	return tracefile.New(tracefile.Run{Name: d.hub.program().Name, Spec: spec, Result: res, Trace: tr})
}

// shareBuild builds the current request for a run to share, recording the
// trace as steps (not as rbpf's text listing) when trace is set.
func (d *DebugState) shareBuild(trace bool) (*runspec.Spec, *runspec.Built, error) {
	p := d.hub.program()
	if p == nil || p.Prog == nil {
		return nil, nil, fmt.Errorf("load a program that the loader accepts first")
	}
	spec, _, err := d.runSpec(p)
	if err != nil {
		return nil, nil, err
	}
	s := *spec
	s.Trace = trace
	s.Syscalls = calledBindings(s.Syscalls, p.Prog.Text)
	b, err := s.Build()
	if err != nil {
		return nil, nil, err
	}
	b.Trace, b.MaxTraceEntries = false, maxShareSteps
	return &s, b, nil
}

// calledBindings keeps the bindings of a bare run (bareBindings) that the
// program calls: a case lists the syscalls its run registers, and the
// page's bare runs bind every rbpf helper by name, bpf_time_getns and
// bpf_trace_printf twice (by name, and at 5 and 6 as rbpf's tests do),
// which a case cannot say.
func calledBindings(bs []runspec.Binding, text []byte) []runspec.Binding {
	called := map[uint32]bool{}
	for pc := 0; pc < len(text)/ebpf.InsnSize; pc++ {
		if in, ok := ebpf.GetInsn(text, pc); ok && in.Opc == ebpf.CallImm {
			called[uint32(in.Imm)] = true
		}
	}
	var out []runspec.Binding
	for _, b := range bs {
		if called[ebpf.HashSymbolName([]byte(b.Key))] {
			out = append(out, b)
		}
	}
	return out
}

// baseName is the program's name without its extension, for the files
// the page offers.
func (d *DebugState) baseName() string {
	name := "program"
	if p := d.hub.program(); p != nil && p.Name != "" {
		name = p.Name
	}
	return strings.TrimSuffix(path.Base(name), path.Ext(name))
}

// SaveTrace offers the current run as a trace file.
func (d *DebugState) SaveTrace() {
	defer d.hub.Recover("saving the trace")
	h := d.hub.host()
	spec, b, err := d.shareBuild(true)
	if err == nil {
		var f *tracefile.File
		if f, err = d.traceFile(spec, b, interpDocName, (*vm.VM).Run); err == nil {
			var data []byte
			if data, err = f.Bytes(); err == nil && h != nil {
				h.Download(d.baseName()+".trace", data)
				d.Status = fmt.Sprintf("saved the run as %s.trace: %s, %d bytes (rbpf trace reads it)", d.baseName(), count(uint64(f.Len()), "step"), len(data))
			}
		}
	}
	if err != nil {
		d.Status = "no trace file: " + err.Error()
	}
}

// ExportCase offers the current run as a conformance case.
func (d *DebugState) ExportCase() {
	defer d.hub.Recover("exporting the case")
	h := d.hub.host()
	spec, b, err := d.shareBuild(false)
	if err == nil {
		res, _ := runBuilt(b, interpDocName, (*vm.VM).Run)
		var text []byte
		var suite string
		name := d.baseName()
		if text, suite, err = export.Case(export.Run{Name: name, Spec: spec, Result: res, ProgramName: d.hub.program().Name}); err == nil && h != nil {
			h.Download(name+".txtar", text)
			d.Status = fmt.Sprintf("exported the run as %s.txtar, a case of the %s suite", name, suite)
		}
	}
	if err != nil {
		d.Status = "no case: " + err.Error()
	}
}

// CompareTiers runs the current request again, traced, on the interpreter
// and on the compiled tier (the program compiled to WebAssembly), and
// opens the two traces in the Recorded run view, compared: the first step
// where the tiers part, if any, as `rbpf run --engine both` compares the
// interpreter with the native JIT. The compiled tier is loaded in a
// goroutine (the browser instantiates asynchronously), outside the page's
// lock.
func (d *DebugState) CompareTiers() {
	defer d.hub.Recover("comparing the tiers")
	tier, h := d.hub.compiled(), d.hub.host()
	if tier == nil || h == nil || d.Running {
		return
	}
	spec, b, err := d.shareBuild(true)
	var interp *tracefile.File
	if err == nil {
		interp, err = d.traceFile(spec, b, interpDocName, (*vm.VM).Run)
	}
	if err != nil {
		d.Status = "no comparison: " + err.Error()
		return
	}
	d.Status = "running the program compiled to WebAssembly…"
	d.hub.Go("comparing the tiers", func() {
		mod, err := wasmjit.Compile(b.Exe)
		var run CompiledRun
		if err == nil {
			run, err = tier.Load(mod)
		}
		d.hub.Update("comparing the tiers", func() {
			var compiled *tracefile.File
			if err == nil {
				// A run of its own: b.Prepare gives it fresh runtime
				// state.
				compiled, err = d.traceFile(spec, b, wasmDocName, run)
			}
			if err != nil {
				d.Status = "no comparison: " + err.Error()
				return
			}
			d.Status = fmt.Sprintf("compared %s of the interpreter with the compiled tier's (Recorded run)", count(uint64(interp.Len()), "step"))
			d.trace.openCompared(d.baseName()+".interpreter.trace", interp, d.baseName()+".wasm.trace", compiled)
		})
	})
}
