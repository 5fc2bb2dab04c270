package runspec

import (
	"errors"
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Built is a Spec turned into what an engine runs. Exe may be shared by
// several runs; Run gives every run fresh copies of the input and the heap.
type Built struct {
	Exe *vm.Executable
	// Input, Heap and Budget are the per-run parameters.
	Input  []byte
	Heap   int
	Budget uint64
	// Log, when set, receives every line syscalls log, as it is logged.
	Log io.Writer
	// Trace asks Run to render the trace text into Result.Trace.
	Trace bool
	// MaxTraceEntries, when positive, bounds the trace a run keeps
	// (vm.RunOptions.MaxTraceEntries); Result.TraceTruncated tells.
	MaxTraceEntries int
	// Invocation is set for a Spec with an Instruction: every run gets
	// the serialized input, the heap and the syscalls from it.
	Invocation *solana.Invocation
	// Watches, WatchStop and MaxWatchHits are the runs' watchpoints
	// (vm.RunOptions); Result.WatchHits reports the hits.
	Watches      []vm.Watch
	WatchStop    bool
	MaxWatchHits int
}

// Config returns the vm.Config the Spec asks for: v0.2.8's defaults with the
// Spec's overrides.
func (s *Spec) Config() vm.Config {
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionMeter = !s.NoMeter
	cfg.EnableInstructionTracing = s.Trace
	if s.MaxCallDepth != 0 {
		cfg.MaxCallDepth = s.MaxCallDepth
	}
	if s.StackFrameSize != 0 {
		cfg.StackFrameSize = s.StackFrameSize
	}
	return cfg
}

// Build assembles or loads the program, runs the verifier when asked,
// binds the syscalls and registers the functions. Its error text is what
// rbpf displays for the failure ("ELF error: ...", "VerifierError", or the
// assembler's message).
func (s *Spec) Build() (*Built, error) {
	if s.Heap < 0 {
		return nil, fmt.Errorf("heap size %d is negative", s.Heap)
	}
	if s.Instruction != nil {
		if err := s.CheckRuntime(); err != nil {
			return nil, err
		}
	}
	cfg := s.Config()
	var inv *solana.Invocation
	if s.Instruction != nil {
		inv = solana.Prepare(s.Instruction)
		cfg = inv.Config(cfg)
	}
	verify := s.Verifier
	if verify == nil && s.Verify {
		verify = verifier.Check
	}
	var exe *vm.Executable
	var err error
	switch s.Kind {
	case KindAsm:
		exe, err = s.buildAsm(cfg, verify)
	case KindBytes:
		exe, err = vm.FromText(s.Program, cfg, verify)
	case KindELF:
		exe, err = vm.FromELF(s.Program, cfg, verify)
	default:
		return nil, fmt.Errorf("unknown program kind %q (want asm, bytes or elf)", s.Kind)
	}
	if err != nil {
		return nil, err
	}
	if inv != nil {
		if err := solana.VerifyProgram(exe.Program.Text); err != nil && !s.RunAnyway {
			return nil, &Rejected{Err: err, Outcome: inv.Rejected(err)}
		}
		exe.Syscalls = solana.Registry(s.Instruction.Features)
	} else if exe.Syscalls, err = s.registry(); err != nil {
		return nil, err
	}
	for _, f := range s.Functions {
		h, err := KeyHash(f.Key)
		if err != nil {
			return nil, fmt.Errorf("function %s: %v", f.Key, err)
		}
		exe.RegisterFunction(h, f.PC)
	}
	b := &Built{Exe: exe, Input: s.Input, Heap: s.Heap, Budget: s.BudgetOrDefault(), Trace: s.Trace, Invocation: inv}
	if inv != nil {
		b.Input, b.Heap, b.Budget = inv.Input.Bytes, inv.HeapSize(), inv.Budget.MaxUnits
	}
	return b, nil
}

// CheckRuntime rejects the settings a runtime run decides itself; Build
// calls it for a Spec with an Instruction.
func (s *Spec) CheckRuntime() error {
	var clash []string
	if s.Input != nil {
		clash = append(clash, "input")
	}
	if s.Heap != 0 {
		clash = append(clash, "heap")
	}
	if s.Budget != nil {
		clash = append(clash, "budget")
	}
	if s.NoMeter {
		clash = append(clash, "no_meter")
	}
	if len(s.Syscalls) > 0 || s.NoDefaultSyscalls {
		clash = append(clash, "syscalls")
	}
	if len(clash) > 0 {
		return fmt.Errorf("instruction: the runtime sets %v itself (the heap and compute units go in the instruction document)", clash)
	}
	return nil
}

// buildAsm assembles the source. Functions the source defines with labels
// (`call name` to a label of the program) are registered under the hash of
// their name, as an ELF loader registers function symbols; programs in
// v0.2.8's own syntax have no labels and so register nothing.
func (s *Spec) buildAsm(cfg vm.Config, verify vm.Verifier) (*vm.Executable, error) {
	src := s.Source
	if src == "" {
		src = string(s.Program)
	}
	p, err := asm.AssembleProgram(src)
	if err == nil && len(p.Loads) > 0 {
		_, err = asm.Assemble(src) // reports the data reference as an error
	}
	if err != nil {
		return nil, asmError(err)
	}
	exe, err := vm.FromText(p.Bytes, cfg, verify)
	if err != nil {
		return nil, err
	}
	for name, pc := range p.Functions {
		exe.RegisterFunction(ebpf.HashSymbolName([]byte(name)), pc)
	}
	return exe, nil
}

// asmError gives rbpf's text for errors v0.2.8's assembler also reports,
// and the positioned text for the syntax extensions it does not have.
func asmError(err error) error {
	var ae *asm.Error
	if errors.As(err, &ae) && ae.Kind != asm.ExtensionError {
		return errors.New(ae.Rbpf())
	}
	return err
}

// registry binds the default syscalls (unless disabled) and then the Spec's
// own; a binding replaces an earlier one under the same key.
func (s *Spec) registry() (*vm.SyscallRegistry, error) {
	var all []Binding
	if !s.NoDefaultSyscalls {
		all = append(all, DefaultSyscalls...)
	}
	all = append(all, s.Syscalls...)
	keys := map[uint32]int{} // hash -> index in order
	var order []Binding
	for _, b := range all {
		if err := b.check(); err != nil {
			return nil, err
		}
		h, _ := KeyHash(b.Key)
		if i, ok := keys[h]; ok {
			order[i] = b
			continue
		}
		keys[h] = len(order)
		order = append(order, b)
	}
	r := vm.NewSyscallRegistry()
	used := map[string]bool{}
	for _, b := range order {
		fn, _ := vm.LookupSyscallFunc(b.Name)
		if used[b.Name] {
			// rbpf refuses one function under two hashes (its registry is
			// keyed by function pointer); a second binding gets its own
			// copy of the implementation, with its own context object.
			copied := *fn
			fn = &copied
		}
		used[b.Name] = true
		h, _ := KeyHash(b.Key)
		if err := r.RegisterByHash(h, fn); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Rejected is the Build error of a runtime run whose program the loader's
// verifier refuses; Outcome is what the runtime reports for it.
type Rejected struct {
	Err     error
	Outcome *solana.Outcome
}

func (r *Rejected) Error() string { return r.Err.Error() }

// Unwrap returns the verifier's error.
func (r *Rejected) Unwrap() error { return r.Err }
