package runspec

import (
	"errors"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
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

// Prepared is one run about to start: its vm.RunOptions and, for a
// runtime run, the runtime's state of it, which Finish reads.
type Prepared struct {
	Options vm.RunOptions
	runtime *solana.Run
}

// Prepare makes the inputs of one run: fresh copies of the input and the
// heap and, for a runtime run, fresh syscall state.
func (b *Built) Prepare() Prepared {
	if b.Invocation != nil {
		// The runtime run copies the serialized input and makes the heap.
		p := Prepared{runtime: b.Invocation.NewRun()}
		p.Options = p.runtime.Options(vm.RunOptions{Log: b.Log, MaxTraceEntries: b.MaxTraceEntries})
		b.watchOptions(&p.Options)
		return p
	}
	p := Prepared{Options: b.options()}
	b.watchOptions(&p.Options)
	return p
}

func (b *Built) watchOptions(o *vm.RunOptions) {
	o.Watches, o.WatchStop, o.MaxWatchHits = b.Watches, b.WatchStop, b.MaxWatchHits
}

// InputRegion is the run's input region (as the program left it, after
// the run).
func (p *Prepared) InputRegion() []byte { return p.Options.Input }

func (b *Built) options() vm.RunOptions {
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
	p := b.Prepare()
	return b.Finish(EngineName(e), p, e.Run(b.Exe, p.Options))
}

// Finish turns an engine's vm.Result of the run p into the result
// document; a runtime run adds the runtime's outcome.
func (b *Built) Finish(engine string, p Prepared, r vm.Result) Result {
	out := Result{Engine: engine, InstructionCount: r.InstructionCount, Log: r.Log}
	if p.runtime != nil {
		out.Outcome = p.runtime.Finish(r)
	}
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
	var in *solana.Input
	if b.Invocation != nil {
		in = b.Invocation.Input
	}
	out.WatchHits, out.WatchHitsDropped = watchHits(r.WatchHits, in), r.WatchHitsDropped
	out.WatchStopped = errors.Is(r.Err, vm.ErrWatchStop)
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
