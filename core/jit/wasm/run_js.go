//go:build js && wasm

package wasmjit

import (
	"errors"
	"fmt"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/exitcode"
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Supported reports whether compiled modules can run here: under js/wasm,
// yes.
func Supported() bool { return true }

// sliceBudget caps the instructions the generated code runs before it
// returns to Go: a long run (or one without a meter) lets the other
// goroutines in between slices.
const sliceBudget = 1 << 22

// traceBufferEntries bounds the trace entries the generated code writes
// before Go moves them to the tracer.
const traceBufferEntries = 1024

// context is the state shared with the generated code; the offsets are
// the ctx* constants (layout_test.go checks them).
type context struct {
	regs     [11]uint64
	budget   int64
	pc       uint64
	code     uint64
	arg      uint64
	fp       uint64
	traceCur uint64
	traceEnd uint64
	regions  uint64
	nRegions uint64
	mid      uint64
	inStart  uint64
	inHost   uint64
	inLoad   [4]uint64
	inStore  [4]uint64
	frameLim uint64
	frames   uint64
	frameFL  [4]uint64
}

// regionDesc is a region as the exact translation reads it.
type regionDesc struct {
	start    uint64
	mask     uint64
	len      uint64
	host     uint32
	writable uint32
}

// Program is an instantiated module, ready to run on VMs built for its
// executable. A Program may run on one goroutine at a time per VM; runs
// of different VMs may share it.
type Program struct {
	mod *Module
	run js.Value
	mid []int32 // the mid-segment charges, read by the generated code
}

// goInstance is the JavaScript Go object running this program (the
// wasm_exec.js instance that syscall/js knows as its predefined value 6):
// its _inst.exports.mem is Go's linear memory, which the modules import.
// syscall/js keeps the value unexported; it is rebuilt here from its
// reference, with js.Value's layout (a reference and a GC pointer, nil for
// predefined values).
func goInstance() js.Value {
	type value struct {
		_     [0]func()
		ref   uint64
		gcPtr *uint64
	}
	const nanHead, typeFlagObject = 0x7FF80000, 1
	v := value{ref: (nanHead|typeFlagObject)<<32 | 6}
	return *(*js.Value)(unsafe.Pointer(&v))
}

// goMemory is the WebAssembly.Memory of the Go instance.
func goMemory() (js.Value, error) {
	mem := goInstance().Get("_inst").Get("exports").Get("mem")
	if !mem.InstanceOf(js.Global().Get("WebAssembly").Get("Memory")) {
		return js.Value{}, errors.New("wasm: the Go instance's memory is not at hand")
	}
	return mem, nil
}

// Load compiles exe and instantiates the module (see Instantiate).
func Load(exe *vm.Executable, opts ...Options) (*Program, error) {
	m, err := Compile(exe, opts...)
	if err != nil {
		return nil, err
	}
	return m.Instantiate()
}

// Instantiate compiles and instantiates the module with the asynchronous
// WebAssembly.instantiate (browsers refuse to compile large modules
// synchronously on the main thread) and waits for its Promise. It must be
// called from a goroutine, never from inside a JavaScript event callback
// (a js.FuncOf function): the Promise settles only once Go yields to the
// event loop, which a callback cannot do while it waits.
func (m *Module) Instantiate() (p *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("wasm: instantiating: %v", r)
		}
	}()
	mem, err := goMemory()
	if err != nil {
		return nil, err
	}
	buf := js.Global().Get("Uint8Array").New(len(m.bytes))
	js.CopyBytesToJS(buf, m.bytes)
	imports := js.Global().Get("Object").New()
	goNS := js.Global().Get("Object").New()
	goNS.Set("mem", mem)
	imports.Set("go", goNS)
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{v: args[0]}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{err: fmt.Errorf("wasm: instantiating: %s", args[0].Call("toString").String())}
		return nil
	})
	defer catch.Release()
	js.Global().Get("WebAssembly").Call("instantiate", buf, imports).Call("then", then, catch)
	o := <-done
	if o.err != nil {
		return nil, o.err
	}
	return &Program{mod: m, run: o.v.Get("instance").Get("exports").Get("run"), mid: m.mid}, nil
}

// Module is the module the program was instantiated from.
func (p *Program) Module() *Module { return p.mod }

// runModule instantiates m and runs it once on a VM built with opts.
func runModule(m *Module, opts vm.RunOptions) vm.Result {
	p, err := m.Instantiate()
	if err != nil {
		return vm.Result{Err: err}
	}
	v, err := vm.New(m.exe, opts)
	if err != nil {
		return vm.Result{Err: err}
	}
	return p.RunVM(v)
}

// run is the Go side of one execution.
type run struct {
	p        *Program
	m        *vm.VM
	n        vm.Native
	ctx      *context
	frames   []uint64
	descs    []regionDesc
	trace    []vm.TraceEntry
	meterOn  bool
	capped   bool   // the budget given is a slice, not the meter's limit
	startB   int64  // the budget given at the last restart
	settled  uint64 // instructions settled before the last restart
	tripped  bool   // the meter is exhausted once the current segment ends
	tripPC   int    // the segment's last instruction, which exhausts it
	tripN    int64  // the segment's length
	sysIndex []int
}

// RunVM runs the program on m, a VM made by vm.New for the program's
// executable and not yet run, and returns the result the interpreter
// would. A VM with watchpoints is refused (Engine runs those on the
// interpreter).
func (p *Program) RunVM(m *vm.VM) vm.Result { return p.RunVMInterruptible(m, nil) }

// RunVMInterruptible is RunVM with an interrupt hook, as core/jit's: the
// generated code is never stopped mid-instruction, but interrupt, when not
// nil, is called before the code is entered and each time it returns to
// Go and would be re-entered: after every budget slice (4M instructions,
// meter on or off), syscall and trace flush. When it returns an error, the
// run ends there with an error wrapping ErrInterrupted and that error,
// and the counts of what ran. For a page's stop button, the hook reads a
// flag the button's handler sets; the handler runs only when Go yields to
// the JavaScript event loop, which runtime.Gosched between slices does
// not do, so such a hook also sleeps briefly now and then (time.Sleep
// blocks the goroutine on a JavaScript timer).
func (p *Program) RunVMInterruptible(m *vm.VM, interrupt func() error) (res vm.Result) {
	if m.Executable() != p.mod.exe {
		return m.Native().Complete(0, errors.New("wasm: the VM was built for another executable"), 0, 0)
	}
	if len(m.Watches()) > 0 {
		return m.Native().Complete(0, errors.New("wasm: the VM has watchpoints, which the wasm tier does not check"), 0, 0)
	}
	r := newRun(p, m)
	defer func() {
		if e := recover(); e != nil {
			res = r.finish(0, fmt.Errorf("wasm: internal error: %v", e))
		}
		runtime.KeepAlive(r)
	}()
	pc := m.PC()
	if pc < 0 || pc >= p.mod.n {
		return r.finish(0, r.n.Fault(vm.ExecutionOverrun, pc, 0))
	}
	r.ctx.pc = uint64(pc)
	ctxAddr := int(uintptr(unsafe.Pointer(r.ctx)))
	arg := js.ValueOf(ctxAddr)
	for {
		if interrupt != nil {
			if err := interrupt(); err != nil {
				return r.finish(0, fmt.Errorf("wasm: %w: %w", ErrInterrupted, err))
			}
		}
		code := p.run.Invoke(arg).Int()
		if done, res := r.handleExit(code); done {
			return res
		}
	}
}

func newRun(p *Program, m *vm.VM) *run {
	cfg := p.mod.exe.Config
	r := &run{p: p, m: m, n: m.Native(), ctx: new(context), meterOn: m.Meter().Enabled}
	c := r.ctx
	c.regs = m.Registers()
	c.mid = uint64(uintptr(unsafe.Pointer(&p.mid[0])))
	regions := m.Mapping().Regions()
	r.descs = make([]regionDesc, len(regions)+1)
	for i, reg := range regions {
		d := &r.descs[i]
		d.start, d.len = reg.VMAddr, uint64(len(reg.Host))
		d.mask = ^uint64(0)
		if reg.GapShift < 63 {
			d.mask = uint64(1)<<reg.GapShift - 1
		}
		if len(reg.Host) > 0 {
			d.host = uint32(uintptr(unsafe.Pointer(&reg.Host[0])))
		}
		if reg.Writable {
			d.writable = 1
		}
	}
	c.regions = uint64(uintptr(unsafe.Pointer(&r.descs[0])))
	c.nRegions = uint64(len(regions))
	r.setInputPath(regions)
	r.setFrames(cfg, m.CallFrames(), regions)
	if m.Tracer() != nil {
		r.trace = make([]vm.TraceEntry, traceBufferEntries)
		r.resetTrace()
	}
	r.restartMeter(r.n.MeterRemaining())
	r.sysIndex = make([]int, len(p.mod.syscalls))
	for i := range r.sysIndex {
		r.sysIndex[i] = -1
	}
	return r
}

// find is the memory mapping's lookup: the index of the last region whose
// start is not above addr, or -1.
func find(regions []vm.MemoryRegion, addr uint64) int {
	i := len(regions) - 1
	for i >= 0 && regions[i].VMAddr > addr {
		i--
	}
	return i
}

// setInputPath sets the inline fast path of accesses not made through r10:
// the region the mapping finds for the input's start, when it is
// contiguous. Inside it, up to the next region's start, the mapping picks
// that region, so the fast path accepts only what the interpreter accepts.
func (r *run) setInputPath(regions []vm.MemoryRegion) {
	i := find(regions, ebpf.MMInputStart)
	if i < 0 || regions[i].GapShift < 63 {
		return
	}
	reg := regions[i]
	span := uint64(len(reg.Host))
	if i+1 < len(regions) {
		span = min(span, regions[i+1].VMAddr-reg.VMAddr)
	}
	c := r.ctx
	c.inStart = reg.VMAddr
	if span > 0 {
		c.inHost = uint64(uintptr(unsafe.Pointer(&reg.Host[0])))
	}
	for si, n := range [4]uint64{1, 2, 4, 8} {
		if span >= n {
			c.inLoad[si] = span - n + 1
			if reg.Writable {
				c.inStore[si] = span - n + 1
			}
		}
	}
}

// setFrames builds the frame records (r10, and the VM and host address of
// each frame's area, as core/vm frames.go lays the stack out) and the
// frame fast path: accesses through r10 inside the current frame's area
// go straight to the stack when no other region starts inside the stack's
// VM span, so that the mapping would pick the stack for them.
func (r *run) setFrames(cfg vm.Config, f *vm.CallFrames, regions []vm.MemoryRegion) {
	depth, fs := f.Depth(), uint64(cfg.StackFrameSize)
	r.frames = make([]uint64, depth*frameRec/8)
	stack := f.Region()
	tops := stackTops(cfg, f)
	usable := fs > 0 && fs&(fs-1) == 0 && uint64(1)<<stack.GapShift == fs && len(stack.Host) == depth*int(fs)
	if usable {
		end := ebpf.MMStackStart + 2*uint64(depth)*fs
		others := 0
		for _, reg := range regions {
			if reg.VMAddr >= ebpf.MMStackStart && reg.VMAddr < end {
				others++
			}
		}
		usable = others == 1
	}
	for i := range depth {
		rec := r.frames[i*frameRec/8:]
		rec[frameTop/8] = tops[i]
		rec[frameVMAddr/8] = ebpf.MMStackStart + uint64(i)*2*fs
		if usable {
			rec[frameHost/8] = uint64(uintptr(unsafe.Pointer(&stack.Host[uint64(i)*fs])))
		}
	}
	c := r.ctx
	c.frames = uint64(uintptr(unsafe.Pointer(&r.frames[0])))
	c.frameLim = c.frames + uint64((depth-1)*frameRec)
	c.fp = c.frames + uint64(f.Index()*frameRec)
	if usable {
		for si, n := range [4]uint64{1, 2, 4, 8} {
			if fs >= n {
				c.frameFL[si] = fs - n + 1
			}
		}
	}
}

// stackTops lists r10 for every frame index: the frame's start plus the
// gap size, as the interpreter's call frames compute it.
func stackTops(cfg vm.Config, f *vm.CallFrames) []uint64 {
	shift := f.Region().GapShift
	tops := make([]uint64, f.Depth())
	for i := range tops {
		tops[i] = ebpf.MMStackStart + uint64(i)*2*uint64(cfg.StackFrameSize) + uint64(1)<<shift
	}
	return tops
}

// restartMeter gives the generated code the budget the meter allows now,
// at most sliceBudget. A budget of 0 still lets one instruction run: the
// interpreter only checks the meter after an instruction.
func (r *run) restartMeter(remaining uint64) {
	b := int64(sliceBudget)
	r.capped = true
	if r.meterOn && remaining <= sliceBudget {
		b = int64(max(remaining, 1))
		r.capped = false
	}
	r.ctx.budget = b
	r.startB = b
}

// charged is the number of instructions charged since the last restart.
func (r *run) charged() uint64 { return uint64(r.startB - r.ctx.budget) }

// settle moves what was charged since the last restart to the settled
// count and the meter.
func (r *run) settle() {
	last := r.charged()
	r.settled += last
	if r.meterOn {
		r.n.ConsumeMeter(last)
	}
	r.startB = r.ctx.budget
}

func (r *run) resetTrace() {
	r.ctx.traceCur = uint64(uintptr(unsafe.Pointer(&r.trace[0])))
	r.ctx.traceEnd = r.ctx.traceCur + uint64(len(r.trace))*traceEntrySize
}

// traced is the number of entries in the trace buffer.
func (r *run) traced() int {
	return int(r.ctx.traceCur-uint64(uintptr(unsafe.Pointer(&r.trace[0])))) / traceEntrySize
}

// flushTrace moves the recorded entries to the VM's tracer, keeping at
// most the VM's MaxTraceEntries in all and marking the trace truncated
// when it drops any, as the interpreter does.
func (r *run) flushTrace() {
	if r.trace == nil {
		return
	}
	n := r.traced()
	t := r.m.Tracer()
	if limit := r.n.MaxTraceEntries(); limit > 0 && len(t.Log)+n > limit {
		n = max(0, limit-len(t.Log))
		t.Truncated = true
	}
	t.Log = append(t.Log, r.trace[:n]...)
	r.resetTrace()
}

// dropTraced forgets the last entry recorded: a segment start that tripped
// and will be entered again records it again.
func (r *run) dropTraced() {
	if r.trace != nil && r.traced() > 0 {
		r.ctx.traceCur -= traceEntrySize
	}
}

// finish settles the meter as the interpreter does at the end of a run and
// records the outcome in the VM.
func (r *run) finish(value uint64, err error) vm.Result {
	r.flushTrace()
	r.settle()
	var count uint64
	if r.meterOn {
		count = r.m.Meter().Initial - r.n.MeterRemaining()
	}
	return r.n.Complete(value, err, count, r.settled)
}

// exceeded ends the run with the meter's error at instruction pc, every
// instruction the meter allowed having run.
func (r *run) exceeded(pc int) vm.Result {
	return r.finish(0, r.n.Fault(vm.ExceededMaxInstructions, pc, 0))
}

// handleExit acts on the exit code; it reports true when the run is over,
// with its result.
func (r *run) handleExit(code int) (bool, vm.Result) {
	c := r.ctx
	pc := int(int32(c.pc))
	switch code {
	case exitSyscall:
		if err := r.syscall(pc, int(c.arg)); err != nil {
			return true, r.finish(0, err)
		}
		c.pc = uint64(pc + 1)
		return false, vm.Result{}
	case exitTraceFull:
		r.flushTrace()
		return false, vm.Result{}
	case exitReturn:
		return true, r.finish(c.regs[0], nil)
	case exitTrip:
		return r.trip(pc)
	case exitOverrun:
		if r.tripped {
			return true, r.exceeded(r.tripPC)
		}
	}
	return true, r.finish(0, r.exitError(code, pc))
}

// trip handles a segment start (or an entry inside a segment) whose charge
// of n instructions left the budget at 0 or below: k = budget + n is what
// the budget allowed before it (at least 1, see RATIONALE.md).
func (r *run) trip(pc int) (bool, vm.Result) {
	c := r.ctx
	n := int64(r.p.mod.segLen[pc])
	if r.tripped {
		// The last permitted segment ran; the meter stops the run before
		// the next one, whose trace entry the interpreter never records.
		c.budget = r.startB - r.tripN
		r.dropTraced()
		return true, r.exceeded(r.tripPC)
	}
	k := c.budget + n
	if r.capped {
		// A budget slice ran out, not the meter: settle it, let the other
		// goroutines in and enter the segment again.
		c.budget = k
		r.settle()
		r.restartMeter(r.n.MeterRemaining())
		r.dropTraced()
		c.pc = uint64(pc)
		runtime.Gosched()
		return false, vm.Result{}
	}
	if k < n {
		// The meter runs out on a pure instruction inside the segment:
		// stopping there is indistinguishable from running up to it.
		c.budget = 0
		return true, r.exceeded(pc + int(k) - 1)
	}
	// k == n: the whole segment runs (its last instruction may still fail
	// or end the run, which wins over the meter), then the meter stops the
	// run. The budget is given one more so that the segment's own check
	// passes; the next check trips with tripped set.
	c.budget = k
	r.settle()
	r.tripped, r.tripPC, r.tripN = true, pc+int(n)-1, n
	c.budget, r.startB = n+1, n+1
	r.dropTraced()
	c.pc = uint64(pc)
	return false, vm.Result{}
}

// syscall runs the syscall the code stopped at, settling the meter first
// as the interpreter does, and restarts the budget.
func (r *run) syscall(pc int, ordinal int) error {
	r.settle()
	i := r.sysIndex[ordinal]
	if i < 0 {
		var ok bool
		if i, ok = r.n.SyscallIndex(r.p.mod.syscalls[ordinal]); !ok {
			return errors.New("wasm: internal error: syscall missing from the VM")
		}
		r.sysIndex[ordinal] = i
	}
	c := r.ctx
	v, err := r.n.CallSyscall(i, c.regs[1], c.regs[2], c.regs[3], c.regs[4], c.regs[5])
	r.restartMeter(r.n.MeterRemaining())
	if err != nil {
		return err
	}
	c.regs[0] = v
	if r.meterOn && r.n.MeterRemaining() == 0 {
		return r.n.Fault(vm.ExceededMaxInstructions, pc, 0)
	}
	return nil
}

// exitError builds the error the exit code stands for, exactly as the
// interpreter reports it.
func (r *run) exitError(code int, pc int) error {
	return exitcode.Error(code, r.n, r.p.mod.exe, pc, r.ctx.arg)
}
