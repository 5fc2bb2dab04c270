package jit

import (
	"encoding/binary"
	"errors"
	"runtime"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
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
}

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

	mu      sync.Mutex
	closed  bool
	mem     []byte // the mapped code, once run
	active  int    // runs in progress
	cleanup runtime.Cleanup
}

// Executable returns the executable the program was compiled from.
func (p *Program) Executable() *vm.Executable { return p.exe }

// NativeStart is the offset in Code where execution of slot pc begins,
// meter check included.
func (p *Program) NativeStart(pc int) int { return p.PCOffsets[pc] }

// compiler holds the state of one compilation.
type compiler struct {
	a       Assembler
	exe     *vm.Executable
	cfg     vm.Config
	opts    Options
	insns   []ebpf.Insn
	n       int
	leader  []bool
	segLen  []int32 // instructions from pc to the end of its segment
	labels  []Label // per slot, plus one for index n (falling off the end)
	bodies  []int
	pcOffs  []int
	cold    []func()
	outside map[int]Label
	// lastReturn is the path of returns to the index after the text (-1
	// until a call in the last slot needs it).
	lastReturn Label
	blind      blinder
	syscalls   []uint32 // hashes by ordinal (exitArg of exitSyscall)

	base, exitL, tripL, trippedL, dispatchL, dispatchTripL Label
	continueL, translateL, violationL, tableL, resumeL     Label
}

// Compile translates exe's text to x86-64 machine code. It never fails on
// the program's content: instructions that would fail when executed
// compile to code that reports the interpreter's error when reached.
func Compile(exe *vm.Executable, opts Options) (*Program, error) {
	if exe == nil || exe.Program == nil {
		return nil, errors.New("jit: executable without a program")
	}
	c := newCompiler(exe, opts)
	c.analyse()
	c.emitAll()
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
	}, nil
}

func newCompiler(exe *vm.Executable, opts Options) *compiler {
	text := exe.Program.Text
	n := len(text) / ebpf.InsnSize
	c := &compiler{exe: exe, cfg: exe.Config, opts: opts, n: n}
	c.insns = ebpf.Decode(text[:n*ebpf.InsnSize])
	c.a.Reserve(1024 + n*64)
	c.a.labels = make([]int, 0, 16+n*4)
	c.a.fixups = make([]fixup, 0, 16+n*4)
	c.cold = make([]func(), 0, n)
	c.labels = make([]Label, n+1)
	for i := range c.labels {
		c.labels[i] = c.a.NewLabel()
	}
	for _, l := range []*Label{&c.base, &c.exitL, &c.tripL, &c.trippedL, &c.dispatchL,
		&c.dispatchTripL, &c.continueL, &c.translateL, &c.violationL, &c.tableL, &c.resumeL} {
		*l = c.a.NewLabel()
	}
	c.bodies = make([]int, n)
	c.pcOffs = make([]int, n+1)
	c.outside = map[int]Label{}
	c.lastReturn = -1
	c.blind = newBlinder(opts)
	return c
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
		case isJump(in.Opc):
			mark(jumpTarget(in, pc))
		case in.Opc == ebpf.LdDwImm:
			mark(pc + 2)
		case in.Opc == ebpf.CallImm:
			if t, ok := c.functionTarget(in); ok {
				mark(t)
			}
		}
	}
	c.segLen = make([]int32, n+1)
	for pc := n - 1; pc >= 0; pc-- {
		c.segLen[pc] = 1
		if !c.leader[pc+1] {
			c.segLen[pc] += c.segLen[pc+1]
		}
	}
}

// functionTarget resolves `call imm` to a function index when it is not a
// syscall, as the interpreter does.
func (c *compiler) functionTarget(in ebpf.Insn) (int, bool) {
	if _, ok := c.exe.Syscalls.Lookup(uint32(in.Imm)); ok {
		return 0, false
	}
	return c.exe.Program.LookupFunction(uint32(in.Imm))
}

// emitAll lays out the image: entry routine, slot code, the end-of-text
// slot, shared routines, cold paths and finally the dispatch table.
func (c *compiler) emitAll() {
	c.a.Bind(c.base)
	c.emitEntry()
	for pc := 0; pc < c.n; pc++ {
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
	for c.a.Len()%8 != 0 {
		c.a.Int3()
	}
	c.a.Bind(c.tableL)
	c.a.Zeros(8 * c.n)
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
func ctx(off int32) Mem { return M(RSP, off) }

// reg returns the x86 register of eBPF register r (r <= 10, checked by
// staticFailure before any emitter runs).
func reg(r uint8) Reg { return ebpfReg[r] }
