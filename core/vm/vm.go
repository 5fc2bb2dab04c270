package vm

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// RunOptions are the per-run inputs of a VM.
type RunOptions struct {
	// Input is mapped writable at MMInputStart; the program changes it in
	// place. r1 points to it when it is not empty.
	Input []byte
	// Budget is the instruction meter's initial remaining count (rbpf's
	// TestInstructionMeter). With the meter enabled, a Budget of 0 stops the
	// program after its first instruction.
	Budget uint64
	// Regions are extra regions granted to the program, such as a heap at
	// MMHeapStart.
	Regions []MemoryRegion
	// Bind replaces the context object of the syscall registered under a
	// hash (rbpf's bind_syscall_context_object); unbound syscalls get a
	// fresh one from their SyscallFunc.New.
	Bind map[uint32]Syscall
	// Log, when set, also receives every line syscalls log, as it is logged.
	Log io.Writer
	// MaxLogBytes bounds the text kept in Result.Log (0: DefaultMaxLogBytes).
	MaxLogBytes int
	// MaxTraceEntries, when positive, bounds the entries the tracer keeps;
	// later instructions are not recorded and Tracer.Truncated is set. 0
	// keeps every entry, as rbpf does.
	MaxTraceEntries int
	// Watches are watchpoints on ranges of VM addresses (see watch.go):
	// every load or store of the program that touches one is a hit,
	// recorded in Result.WatchHits, and stepping stops after it.
	Watches []Watch
	// WatchStop ends Run at the first hit, with a *WatchStop error (not
	// an rbpf error); otherwise a run records its hits and goes on.
	WatchStop bool
	// MaxWatchHits bounds the hits Result.WatchHits keeps (0:
	// DefaultMaxWatchHits); later ones are only counted.
	MaxWatchHits int
}

// Result is the outcome of a run.
type Result struct {
	// Value is r0 at the final exit; meaningless when Err is set.
	Value uint64
	// Err is nil or the error that ended the run; its text is rbpf's.
	Err error
	// InstructionCount is rbpf's get_total_instruction_count: what the
	// meter consumed, and 0 when the meter is disabled.
	InstructionCount uint64
	// Executed is the number of instructions executed, meter or not.
	Executed uint64
	// Trace holds the trace when tracing is enabled, else nil.
	Trace *Tracer
	// Log holds the lines syscalls logged.
	Log []string
	// LogTruncated is set when lines were dropped beyond MaxLogBytes.
	LogTruncated bool
	// WatchHits are the accesses to watched ranges (RunOptions.Watches),
	// in the order they happened; WatchHitsDropped counts those beyond
	// RunOptions.MaxWatchHits.
	WatchHits        []WatchHit
	WatchHitsDropped uint64
}

// maxStackBytes bounds the stack a configuration may ask for.
const maxStackBytes = 1 << 30

// sysSlot is a resolved syscall with this VM's context object.
type sysSlot struct {
	entry *SyscallEntry
	obj   Syscall
}

// VM is one run of an Executable: its memory, call frames, registers,
// instruction meter, tracer and syscall context objects. The interpreter
// runs on it (Run, Step, RunUntil), and a JIT executor can use the same VM
// for memory, syscalls and errors (see jit.go). A VM is not safe for
// concurrent use.
type VM struct {
	exe         *Executable
	text        []byte
	textVaddr   uint64
	prog        []dinsn
	callTargets []int
	sys         []sysSlot
	sysByHash   map[uint32]int
	mem         *MemoryMapping
	frames      *CallFrames
	tlb         [tlbSlots]tlbEntry // regions at hand for exec, see tlb.go

	reg [16]uint64
	pc  int

	meterOn        bool
	meterRemaining uint64 // the meter object's remaining count
	initial        uint64 // the meter's remaining count at the start
	remaining      uint64 // rbpf's remaining_insn_count: meter value at the last settle
	last           uint64 // instructions since the last settle
	settled        uint64 // instructions settled by syscalls
	limit          uint64 // the meter limit of the current run call (max when off)
	stopAt         uint64 // the value of last at which the current run call pauses

	tracer     *Tracer
	maxTrace   int
	syscallErr error // the error of the syscall that stopped exec
	sctx       SyscallContext
	log        runLog
	watch      watchState
	done       bool
	result     Result
}

// New builds the VM for one run of exe, as rbpf's EbpfVm::new followed by
// the set-up of execute_program_interpreted: regions (granted, stack,
// read-only sections, input, text), registers, meter and tracer.
func New(exe *Executable, opts RunOptions) (*VM, error) {
	if exe == nil || exe.Program == nil {
		return nil, errors.New("vm: executable without a program")
	}
	cfg := exe.Config
	if cfg.MaxCallDepth <= 0 || cfg.StackFrameSize < 0 ||
		int64(cfg.MaxCallDepth)*int64(cfg.StackFrameSize) > maxStackBytes {
		return nil, fmt.Errorf("vm: unusable stack configuration: max call depth %d, frame size %d",
			cfg.MaxCallDepth, cfg.StackFrameSize)
	}
	p := exe.Program
	vm := &VM{exe: exe, text: p.Text, textVaddr: p.TextVaddr}
	vm.frames = NewCallFrames(cfg.MaxCallDepth, cfg.StackFrameSize)
	regions := make([]MemoryRegion, 0, len(opts.Regions)+len(p.ROSections)+3)
	regions = append(regions, opts.Regions...)
	regions = append(regions, vm.frames.Region())
	for _, s := range p.ROSections {
		regions = append(regions, NewRegion(s.Data, s.Vaddr, 0, false))
	}
	regions = append(regions, NewRegion(opts.Input, ebpf.MMInputStart, 0, true))
	regions = append(regions, NewRegion(p.Text, p.TextVaddr, 0, false))
	mem, err := NewMemoryMapping(regions, cfg)
	if err != nil {
		return nil, err
	}
	vm.mem = mem
	if err := vm.bindSyscalls(opts.Bind); err != nil {
		return nil, err
	}
	vm.decode()
	vm.log = runLog{limit: opts.MaxLogBytes, w: opts.Log}
	if vm.log.limit <= 0 {
		vm.log.limit = DefaultMaxLogBytes
	}
	vm.sctx.log = &vm.log
	vm.sctx.vm = vm
	vm.maxTrace = opts.MaxTraceEntries
	if err := vm.SetWatches(opts.Watches); err != nil {
		return nil, err
	}
	vm.watch.stop, vm.watch.maxHits = opts.WatchStop, opts.MaxWatchHits
	if vm.watch.maxHits <= 0 {
		vm.watch.maxHits = DefaultMaxWatchHits
	}
	vm.start(opts.Budget)
	return vm, nil
}

// bindSyscalls makes this VM's context object for every registered syscall.
func (vm *VM) bindSyscalls(bind map[uint32]Syscall) error {
	reg := vm.exe.Syscalls
	for h := range bind {
		if _, ok := reg.Lookup(h); !ok {
			return &Error{Kind: SyscallNotRegistered, Num: uint64(h)}
		}
	}
	entries := reg.Entries()
	vm.sys = make([]sysSlot, len(entries))
	vm.sysByHash = make(map[uint32]int, len(entries))
	for i := range entries {
		e, _ := reg.Lookup(entries[i].Hash)
		obj := bind[e.Hash]
		if obj == nil && e.Func != nil && e.Func.New != nil {
			obj = e.Func.New()
		}
		if obj == nil {
			return fmt.Errorf("vm: syscall %#x has no implementation", e.Hash)
		}
		vm.sys[i] = sysSlot{entry: e, obj: obj}
		vm.sysByHash[e.Hash] = i
	}
	return nil
}

// start sets the registers and the meter as execute_program_interpreted
// does before its loop.
func (vm *VM) start(budget uint64) {
	cfg := vm.exe.Config
	vm.reg = [16]uint64{}
	vm.clearTLB()
	vm.reg[ebpf.StackReg] = vm.frames.StackTop()
	if _, ok := vm.mem.slice(Store, ebpf.MMInputStart, 1); ok {
		vm.reg[1] = ebpf.MMInputStart
	}
	vm.meterOn = cfg.EnableInstructionMeter
	vm.meterRemaining = budget
	if vm.meterOn {
		vm.initial = budget
	}
	vm.remaining = vm.initial
	vm.pc = vm.exe.Program.Entrypoint
	if cfg.EnableInstructionTracing {
		vm.tracer = &Tracer{}
	}
}

// finish ends the run, settling the meter as execute_program_interpreted
// does after its loop.
func (vm *VM) finish(value uint64, err error) {
	vm.done = true
	var count uint64
	if vm.meterOn {
		vm.meterRemaining = satSub(vm.meterRemaining, vm.last)
		count = vm.initial - vm.meterRemaining
	}
	vm.result = Result{
		Value:            value,
		Err:              err,
		InstructionCount: count,
		Executed:         vm.settled + vm.last,
		Trace:            vm.tracer,
		Log:              vm.log.lines,
		LogTruncated:     vm.log.truncated,
		WatchHits:        vm.watch.hits,
		WatchHitsDropped: vm.watch.dropped,
	}
	if err != nil {
		vm.result.Value = 0
	}
}

// runChunk is how many instructions Run executes per call of the loop. The
// loop returning now and then costs nothing measurable natively, and lets
// WebAssembly engines that optimise a function only between calls (V8 has
// no on-stack replacement for wasm) switch a long run to optimised code.
// Chunks of 4K, 64K and 1M instructions measured the same under Node: what
// delays the switch is compiling the loop, not returning to it.
const runChunk = 1 << 16

// Run runs the program to its end and returns the result. On a VM that
// was stepped it continues from where stepping stopped. With
// RunOptions.WatchStop the first watch hit ends the run, also one that
// stopped the last Step: a run stepped by a recorder then ends as a
// single Run would.
func (vm *VM) Run() Result {
	if vm.watch.stopped && vm.watch.stop && !vm.done {
		vm.finish(0, &WatchStop{Hit: vm.watch.last})
	}
	for !vm.done {
		vm.run(runChunk)
		if vm.watch.stopped && vm.watch.stop && !vm.done {
			vm.finish(0, &WatchStop{Hit: vm.watch.last})
		}
	}
	return vm.result
}

func satSub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}
