package jit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Options tune compilation. The zero value compiles plainly.
type Options struct {
	// ConstantBlinding hides the program's immediates from the machine code:
	// each is emitted XORed with a random key and unmasked at run time, so
	// a program cannot plant chosen byte sequences in executable memory.
	// It never changes a result.
	ConstantBlinding bool
	// BlindingSeed makes the blinding keys reproducible when not zero.
	BlindingSeed uint64
	// MaxSlots, when positive, is the largest program (in instruction
	// slots) Compile accepts; a larger one is refused before any work with
	// an error wrapping ErrTooLarge. Code size and compile time grow
	// linearly with it: about 80 bytes of code and 0.1-0.5 µs per slot of
	// memory accesses, the densest kind (see docs/performance.md).
	MaxSlots int
	// Interrupt, when set, is consulted every interruptEvery instructions
	// while compiling (a context's Err fits); an error ends the compilation
	// with an error wrapping ErrInterrupted and that error.
	Interrupt func() error
	// Watch compiles the check watchpoints need (vm.RunOptions.Watches):
	// every access that leaves its inline fast path is compared with the
	// run's watches, and a run turns off the fast paths of watched
	// regions. Only the shared translation routine changes; without Watch
	// the code is what it always was. A VM with watches runs only on a
	// program compiled with Watch (Engine sets it when a run has watches).
	Watch bool
}

// ErrTooLarge is wrapped by the error of a compilation refused by
// Options.MaxSlots.
var ErrTooLarge = errors.New("program too large to compile")

// maxSlotsEver bounds every compilation, whatever Options.MaxSlots says:
// code positions are 32-bit, and at the largest size per slot (a traced
// callx, about 360 bytes) 4M slots stay well below 2 GiB of code.
const maxSlotsEver = 1 << 22

// loopAlign is the alignment of loop heads (the targets of backward
// jumps): a loop then starts a 32-byte fetch block, and where it starts no
// longer depends on the code before it. See RATIONALE.md, "Loops".
const loopAlign = 32

// interruptEvery is how many instructions Compile emits between two calls
// of Options.Interrupt: some 100 µs of work.
const interruptEvery = 4096

// Program is a compiled executable: machine code for every instruction
// slot followed by the shared routines, the cold paths and the dispatch
// table used by callx and returns.
type Program struct {
	// Code is the complete machine code image, position independent.
	Code []byte
	// PCOffsets[i] is the offset in Code where slot i's code starts; the
	// code of slot i ends where slot i+1's starts. PCOffsets has one entry
	// more than there are slots; the last marks the end of the slot code.
	PCOffsets []int
	// Slots is the number of instruction slots in the text.
	Slots int

	exe      *vm.Executable
	text     []byte
	entry    int // offset of the entry routine (loads registers, jumps to resume)
	bodyOffs []int
	tableOff int
	syscalls []uint32 // syscall hashes by the ordinal the code exits with
	watch    bool     // compiled with Options.Watch

	mu      sync.Mutex
	closed  bool
	mem     []byte // the mapped code, once run
	active  int    // runs in progress
	cleanup runtime.Cleanup
}

// compiler holds the state of one compilation.
type compiler struct {
	a      amd64.Assembler
	exe    *vm.Executable
	cfg    vm.Config
	opts   Options
	insns  []ebpf.Insn
	n      int
	leader []bool
	// loopHead marks the targets of backward jumps (and of jumps to
	// themselves), which are aligned to loopAlign bytes.
	loopHead []bool
	segLen   []int32       // instructions from pc to the end of its segment
	labels   []amd64.Label // per slot, plus one for index n (falling off the end)
	bodies   []int
	pcOffs   []int
	cold     []func()
	outside  map[int]amd64.Label
	// lastReturn is the path of returns to the index after the text (-1
	// until a call in the last slot needs it).
	lastReturn amd64.Label
	blind      blinder
	syscalls   []uint32 // hashes by ordinal (exitArg of exitSyscall)

	stubs    []stub
	slowUsed uint16  // shared slow paths in use, by fast path*8 + access index
	slowAt   [16]int // their positions
	// tripIndexAt is the meter trip that reads the segment length from the
	// dispatch table (stubs pass only the instruction index).
	tripIndexAt int

	base, exitL, exitWithL, tripL, trippedL, dispatchL, dispatchTripL amd64.Label
	continueL, tableL, resumeL                                        amd64.Label
}

// Compile translates exe's text to x86-64 machine code. It never fails on
// the program's content: instructions that would fail when executed
// compile to code that reports the interpreter's error when reached.
func Compile(exe *vm.Executable, opts Options) (*Program, error) {
	if exe == nil || exe.Program == nil {
		return nil, errors.New("jit: executable without a program")
	}
	limit := maxSlotsEver
	if opts.MaxSlots > 0 && opts.MaxSlots < limit {
		limit = opts.MaxSlots
	}
	if n := len(exe.Program.Text) / ebpf.InsnSize; n > limit {
		return nil, fmt.Errorf("jit: %w: %d instruction slots, the limit is %d", ErrTooLarge, n, limit)
	}
	if err := opts.interrupted(); err != nil {
		return nil, err
	}
	c := newCompiler(exe, opts)
	c.analyse()
	if err := c.emitAll(); err != nil {
		return nil, err
	}
	if !c.a.Finish() {
		return nil, errors.New("jit: internal error: unbound label")
	}
	c.fillTable()
	return &Program{
		Code:      c.a.Bytes(),
		PCOffsets: c.pcOffs,
		Slots:     c.n,
		exe:       exe,
		text:      exe.Program.Text,
		bodyOffs:  c.bodies,
		tableOff:  c.tableOffset(),
		syscalls:  c.syscalls,
		watch:     opts.Watch,
	}, nil
}

func newCompiler(exe *vm.Executable, opts Options) *compiler {
	text := exe.Program.Text
	n := len(text) / ebpf.InsnSize
	c := &compiler{exe: exe, cfg: exe.Config, opts: opts, n: n}
	c.insns = ebpf.Decode(text[:n*ebpf.InsnSize])
	// Sized for the usual case so that a large program is emitted without
	// reallocating (each would copy everything so far); more is appended
	// when a program needs it.
	c.a.Reserve(codeEstimate(c.insns, exe.Config.EnableInstructionTracing))
	c.a.ReserveLabels(32+2*n, 16+n)
	c.cold = make([]func(), 0, 16+n/8)
	c.labels = make([]amd64.Label, n+1)
	for i := range c.labels {
		c.labels[i] = c.a.NewLabel()
	}
	for _, l := range []*amd64.Label{&c.base, &c.exitL, &c.exitWithL, &c.tripL, &c.trippedL, &c.dispatchL,
		&c.dispatchTripL, &c.continueL, &c.tableL, &c.resumeL} {
		*l = c.a.NewLabel()
	}
	c.bodies = make([]int, n)
	c.pcOffs = make([]int, n+1)
	c.outside = map[int]amd64.Label{}
	c.lastReturn = -1
	c.blind = newBlinder(opts)
	return c
}

// codeEstimate is about the machine code a program compiles to: the sizes
// measured per kind of instruction (blinding adds to some), rounded up.
func codeEstimate(insns []ebpf.Insn, tracing bool) int {
	size := 2048 + 8*len(insns) // routines, and the dispatch table
	if tracing {
		size += 112 * len(insns)
	}
	for _, in := range insns {
		switch op := in.Opc; {
		case op == ebpf.LdDwImm:
			size += 16 // and 0 for its second slot
		case op&ebpf.ClassMask == ebpf.ClassLd:
			size += 96
		case op&ebpf.ClassMask == ebpf.ClassLdx, op&ebpf.ClassMask == ebpf.ClassSt, op&ebpf.ClassMask == ebpf.ClassStx:
			size += 84
		case op == ebpf.CallReg:
			size += 240
		case op == ebpf.Exit:
			size += 116
		case op == ebpf.CallImm:
			size += 76
		case op&ebpf.ClassMask == ebpf.ClassJmp:
			size += 56
			if op.IsJump() && in.Off < 0 {
				size += loopAlign - 1 // the target's alignment
			}
		case op&0xf0 == ebpf.OpDiv, op&0xf0 == ebpf.OpMod:
			size += 68
		default:
			size += 28
		}
	}
	return size
}

// analyse splits the text into segments: runs of instructions entered only
// at their first one, in which every instruction but the last is pure.
// Each segment is charged to the meter once, on entry.
func (c *compiler) analyse() {
	n := c.n
	c.leader = make([]bool, n+1)
	c.leader[n] = true
	mark := func(pc int) {
		if pc >= 0 && pc < n {
			c.leader[pc] = true
		}
	}
	mark(0)
	mark(c.exe.Program.Entrypoint)
	tracing := c.cfg.EnableInstructionTracing
	for pc, in := range c.insns {
		if tracing {
			mark(pc)
		}
		_, _, fails := staticFailure(in, pc, n)
		if fails || !isPure(in) {
			mark(pc + 1)
		}
		switch {
		case fails:
		case in.Opc.IsJump():
			t := ebpf.JumpTarget(pc, in.Off)
			mark(t)
			if t >= 0 && t <= pc {
				if c.loopHead == nil {
					c.loopHead = make([]bool, n)
				}
				c.loopHead[t] = true
			}
		case in.Opc == ebpf.LdDwImm:
			mark(pc + 2)
		case in.Opc == ebpf.CallImm:
			if t, ok := c.functionTarget(in); ok {
				mark(t)
			}
		}
	}
	c.segLen = make([]int32, n+1)
	stubs := 0 // a meter trip per segment, a slow path per memory access
	for pc := n - 1; pc >= 0; pc-- {
		c.segLen[pc] = 1
		if !c.leader[pc+1] {
			c.segLen[pc] += c.segLen[pc+1]
		}
		if c.leader[pc] {
			stubs++
		}
		if cl := c.insns[pc].Opc & ebpf.ClassMask; cl == ebpf.ClassLd || cl >= ebpf.ClassLdx && cl <= ebpf.ClassStx {
			stubs++
		}
	}
	c.stubs = make([]stub, 0, stubs)
}

// functionTarget resolves `call imm` to a function index when it is not a
// syscall, as the interpreter does.
func (c *compiler) functionTarget(in ebpf.Insn) (int, bool) {
	if _, ok := c.exe.Syscalls.Lookup(uint32(in.Imm)); ok {
		return 0, false
	}
	return c.exe.Program.LookupFunction(uint32(in.Imm))
}

// interrupted calls the Interrupt hook, if any.
func (o *Options) interrupted() error {
	if o.Interrupt == nil {
		return nil
	}
	if err := o.Interrupt(); err != nil {
		return fmt.Errorf("jit: compiling: %w: %w", ErrInterrupted, err)
	}
	return nil
}

// emitAll lays out the image: entry routine, slot code, the end-of-text
// slot, shared routines, cold paths and finally the dispatch table. It
// stops early when the Interrupt hook says so.
func (c *compiler) emitAll() error {
	c.a.Bind(c.base)
	c.emitEntry()
	for pc := 0; pc < c.n; pc++ {
		if pc%interruptEvery == interruptEvery-1 {
			if err := c.opts.interrupted(); err != nil {
				return err
			}
		}
		if c.loopHead != nil && c.loopHead[pc] {
			// NOPs, part of the previous slot's code, run once on entering
			// the loop by falling into it; the loop's back-edge skips them.
			c.a.Align(loopAlign)
		}
		c.a.Bind(c.labels[pc])
		c.pcOffs[pc] = c.a.Len()
		if c.leader[pc] {
			c.emitMeterCheck(pc, int(c.segLen[pc]))
		}
		c.bodies[pc] = c.a.Len()
		if c.cfg.EnableInstructionTracing {
			c.emitTrace(pc)
		}
		c.emitInsn(pc)
	}
	c.a.Bind(c.labels[c.n])
	c.pcOffs[c.n] = c.a.Len()
	c.emitOverrun(c.n)
	c.emitShared()
	for i := 0; i < len(c.cold); i++ {
		c.cold[i]()
	}
	c.emitStubs()
	for c.a.Len()%8 != 0 {
		c.a.Int3()
	}
	c.a.Bind(c.tableL)
	c.a.Zeros(8 * c.n)
	return nil
}

func (c *compiler) tableOffset() int {
	off, _ := c.a.Bound(c.tableL)
	return off
}

// fillTable writes, for every slot, where its body starts and how many
// instructions an entry there charges to the meter.
func (c *compiler) fillTable() {
	t := c.a.Bytes()[c.tableOffset():]
	for pc := 0; pc < c.n; pc++ {
		binary.LittleEndian.PutUint32(t[pc*8:], uint32(c.bodies[pc]))
		binary.LittleEndian.PutUint32(t[pc*8+4:], uint32(c.segLen[pc]))
	}
}

// later queues a cold path to be emitted after all slot code.
func (c *compiler) later(f func()) { c.cold = append(c.cold, f) }

// ctx is the memory operand of a context field.
func ctx(off int32) amd64.Mem { return amd64.M(amd64.RSP, off) }

// reg returns the x86 register of eBPF register r (r <= 10, checked by
// staticFailure before any emitter runs).
func reg(r uint8) amd64.Reg { return ebpfReg[r] }
