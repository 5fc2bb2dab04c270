package runspec

import (
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// EngineName is the short name results carry: "interp" for the
// interpreter, the engine's own name otherwise ("jit").
func EngineName(e vm.Engine) string {
	if n := e.Name(); n != "interpreter" {
		return n
	}
	return "interp"
}

// Options returns the vm.RunOptions of one run, with fresh copies of the
// input and the heap.
func (b *Built) Options() vm.RunOptions {
	opts := vm.RunOptions{
		Input:           append([]byte(nil), b.Input...),
		Budget:          b.Budget,
		Log:             b.Log,
		MaxTraceEntries: b.MaxTraceEntries,
	}
	if b.Heap > 0 {
		opts.Regions = []vm.MemoryRegion{vm.NewRegion(make([]byte, b.Heap), ebpf.MMHeapStart, 0, true)}
	}
	return opts
}

// Run runs the built program once on e.
func (b *Built) Run(e vm.Engine) Result {
	return b.Convert(EngineName(e), e.Run(b.Exe, b.Options()))
}

// Convert turns an engine's vm.Result into the result document.
func (b *Built) Convert(engine string, r vm.Result) Result {
	out := Result{Engine: engine, InstructionCount: r.InstructionCount, Log: r.Log}
	if r.Err != nil {
		msg := r.Err.Error()
		out.Error = &msg
	} else {
		v := r.Value
		out.Value = &v
	}
	if out.Log == nil {
		out.Log = []string{}
	}
	out.LogTruncated = r.LogTruncated
	if r.Trace != nil {
		out.TraceTruncated = r.Trace.Truncated
	}
	if b.Trace && r.Trace != nil {
		var sb strings.Builder
		if err := r.Trace.Write(&sb, b.Exe.Program.Text); err == nil {
			out.Trace = sb.String()
		}
	}
	return out
}

// Run builds the Spec and runs it once on e. A Spec that fails to build
// gives a Result holding the load error.
func (s *Spec) Run(e vm.Engine) Result {
	b, err := s.Build()
	if err != nil {
		return Failed(EngineName(e), err)
	}
	return b.Run(e)
}
