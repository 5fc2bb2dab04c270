package wasmjit

import (
	"errors"
	"fmt"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/exitcode"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Options tune compilation. The zero value compiles with DefaultMaxSlots.
type Options struct {
	// MaxSlots, when positive and below DefaultMaxSlots, is the largest
	// program (in instruction slots) Compile accepts; a larger one is
	// refused before any work with an error wrapping ErrTooLarge.
	MaxSlots int
}

// DefaultMaxSlots is the largest program Compile accepts: 1M slots (an
// 8 MiB text), several times the largest Solana programs, which bounds
// the work and the module (about 44 bytes of code a slot, 95 with
// tracing).
const DefaultMaxSlots = 1 << 20

// The text is split into chunks, one WebAssembly function each, of at
// most chunkSlots slots. V8 accepts at most 65 520 br_table entries and
// 7 654 321 bytes per function body, and its optimizing compiler takes
// superlinear time on large functions of this shape (RATIONALE.md): with
// 4096-slot chunks a large program kept two cores busy for tens of
// seconds after it ran, with 1024 it does not. The bound of a chunk's
// code (every slot's code is bounded from its kind, see slotBound) is also
// kept below maxBodyBytes. Slots every chunkStride are made segment
// starts so that a chunk can always end near its size.
//
// They are variables so that tests can make chunks tiny, to exercise
// every transfer between chunks on small programs.
var (
	chunkSlots  = 1024
	chunkStride = 512
)

// maxBodyBytes is V8's limit on the size of one function body.
const maxBodyBytes = 7654321

// ErrTooLarge is wrapped by the error of a compilation refused for the
// program's size.
var ErrTooLarge = errors.New("program too large for the wasm tier")

// Exit codes the generated code returns to Go with (see run_js.go),
// shared with the JIT (core/jit/internal/exitcode). exitJump passes
// control from one chunk to another and never reaches Go.
const (
	exitJump           = exitcode.Jump
	exitReturn         = exitcode.Return
	exitSyscall        = exitcode.Syscall
	exitTrip           = exitcode.Trip
	exitTraceFull      = exitcode.TraceFull
	exitAccess         = exitcode.Access
	exitDivZero        = exitcode.DivZero
	exitUnsupported    = exitcode.Unsupported
	exitInvalidInsn    = exitcode.InvalidInsn
	exitOverrun        = exitcode.Overrun
	exitIncompleteLddw = exitcode.IncompleteLddw
	exitCallDepth      = exitcode.CallDepth
	exitCallOutside    = exitcode.CallOutside
	exitBadRegister    = exitcode.BadRegister
	exitUnresolved     = exitcode.Unresolved
	exitInternal       = exitcode.Internal
)

// exitOfFailure is the exit code that reports each static failure.
var exitOfFailure = [...]int32{
	ebpf.FailUnsupported:    exitUnsupported,
	ebpf.FailRegister:       exitBadRegister,
	ebpf.FailInvalid:        exitInvalidInsn,
	ebpf.FailIncompleteLddw: exitIncompleteLddw,
	ebpf.FailDivideByZero:   exitDivZero,
}

// Offsets of the context fields the generated code reads and writes
// (type context in run_js.go; layout_test.go checks them).
const (
	ctxRegs     = 0
	ctxBudget   = 88
	ctxPC       = 96
	ctxCode     = 104
	ctxArg      = 112
	ctxFP       = 120
	ctxTraceCur = 128
	ctxTraceEnd = 136
	ctxRegions  = 144
	ctxNRegions = 152
	ctxMid      = 160
	ctxInStart  = 168
	ctxInHost   = 176
	ctxInLoad   = 184 // [4]uint64 by access size index
	ctxInStore  = 216
	ctxFrameLim = 248 // address of the last frame record
	ctxFrames   = 256 // address of the root frame record
	ctxFrameFL  = 264 // [4]uint64 frame fast path limits
	ctxSize     = 296
)

// Frame records (one per call depth, frameRec bytes each): r6-r9 and the
// return index saved by a call from that frame, and the frame's constants.
const (
	frameRec    = 64
	frameRet    = 32
	frameTop    = 40 // r10 in the frame
	frameVMAddr = 48 // VM address of the frame's area
	frameHost   = 56 // host address of the frame's area
)

// Region descriptors (regionDesc in run_js.go): sorted as the mapping.
const (
	descSize     = 32
	descStart    = 0
	descMask     = 8
	descLen      = 16
	descHost     = 24
	descWritable = 28
)

// Trace entries written by the generated code are vm.TraceEntry values.
const traceEntrySize = 96

// Locals of a chunk function.
const (
	lCtx     = 0
	lR0      = 1  // r0-r10: 1-11
	lB       = 12 // the budget: instructions that may still start
	lA       = 13 // the address of the current access
	lO       = 14 // its offset into a fast path region
	lT       = 15 // scratch i64
	lXArg    = 16
	lInStart = 17
	lInL     = 18 // 18-21: input load limits by size index
	lInS     = 22 // 22-25: input store limits
	lFVM     = 26
	lFL      = 27 // 27-30: frame limits
	numI64   = 30
	lPC      = 31
	lFP      = 32
	lH       = 33
	lXCode   = 34
	lXPC     = 35
	lInHost  = 36
	lFHost   = 37
	lMid     = 38
	lC       = 39
	numI32   = 9
)

// Globals of the module.
const (
	gRegions = iota
	gNRegions
	gTraceCur
	gTraceEnd
)

// Function indices.
const (
	fnRun = iota
	fnXlate
	fnTrace
	fnBswap
	fnChunks // the first chunk
)

// Module is a compiled executable: a WebAssembly module whose exported
// function "run" executes the program from a context in Go's memory.
type Module struct {
	exe      *vm.Executable
	n        int
	bytes    []byte
	bodies   [][]byte // the chunks' bodies (locals and code)
	chunkOf  []int32  // each slot's chunk
	slotCode [][2]int // per slot, the code range in its chunk's body
	segLen   []int32  // instructions from a slot to the end of its segment
	mid      []int32  // what a dispatch to a slot charges (0 at segment starts)
	syscalls []uint32 // syscall hashes by ordinal
	tracing  bool
}

// Bytes is the module's binary encoding.
func (m *Module) Bytes() []byte { return m.bytes }

// Slots is the number of instruction slots compiled.
func (m *Module) Slots() int { return m.n }

// Executable is the executable the module was compiled from.
func (m *Module) Executable() *vm.Executable { return m.exe }

// compiler holds the state of one compilation.
type compiler struct {
	exe      *vm.Executable
	insns    []ebpf.Insn
	n        int
	tracing  bool
	leader   []bool  // segment starts (the meter is charged there)
	blockOf  []int32 // block index of each slot that starts a block, else -1
	starts   []int   // the slots that start blocks, in order
	selfLoop []bool  // per block: a jump in it goes to its own start
	segLen   []int32
	mid      []int32
	syscalls []uint32
	lastCall bool           // the last slot is a call, which returns past the end
	fail     []ebpf.Failure // each slot's static failure (ebpf.StaticFailure)
	failReg  []int64        // and its register argument

	chunks []chunk
	ck     chunk // the chunk being emitted

	b     []byte // the chunk's code
	cur   int    // block being emitted (b0+m, b0+m+1 for the end blocks)
	self  bool   // the current block is wrapped in a loop
	inner int    // labels opened inside the current slot's code
	slot  int    // the slot being emitted
}

// chunk is a range of slots compiled to one function, and its blocks
// (starts[b0:b0+m]).
type chunk struct {
	lo, hi, b0, m int
	last          bool
}

// Compile translates exe's text into a WebAssembly module. It is pure Go
// and never fails on the program's content (instructions that fail when
// executed compile to code that reports the interpreter's error); it
// refuses, before any work, a program above the size limit.
func Compile(exe *vm.Executable, opts ...Options) (*Module, error) {
	if exe == nil || exe.Program == nil {
		return nil, errors.New("wasm: executable without a program")
	}
	limit := DefaultMaxSlots
	for _, o := range opts {
		if o.MaxSlots > 0 && o.MaxSlots < limit {
			limit = o.MaxSlots
		}
	}
	text := exe.Program.Text
	n := len(text) / ebpf.InsnSize
	if n > limit {
		return nil, fmt.Errorf("wasm: %w: %d instruction slots, the limit is %d", ErrTooLarge, n, limit)
	}
	c := &compiler{exe: exe, n: n, tracing: exe.Config.EnableInstructionTracing}
	c.insns = ebpf.Decode(text[:n*ebpf.InsnSize])
	c.analyse()
	c.partition()
	bodies := make([][]byte, len(c.chunks))
	ranges := make([][2]int, n)
	for i, ck := range c.chunks {
		bodies[i] = c.emitChunk(ck, ranges)
		if len(bodies[i]) > maxBodyBytes {
			return nil, fmt.Errorf("wasm: internal error: chunk %d has %d bytes of code, above the bound", i, len(bodies[i]))
		}
	}
	bytes, at := assemble(c.driverBody(), bodies)
	for i := range bodies {
		bodies[i] = bytes[at[i] : at[i]+len(bodies[i])]
	}
	return &Module{
		exe:      exe,
		n:        n,
		bytes:    bytes,
		bodies:   bodies,
		chunkOf:  c.chunkOf(),
		slotCode: ranges,
		segLen:   c.segLen,
		mid:      c.mid,
		syscalls: c.syscalls,
		tracing:  c.tracing,
	}, nil
}

// functionTarget resolves `call imm` to a function index when it is not a
// syscall, as the interpreter does.
func (c *compiler) functionTarget(in ebpf.Insn) (int, bool) {
	if _, ok := c.exe.Syscalls.Lookup(uint32(in.Imm)); ok {
		return 0, false
	}
	return c.exe.Program.LookupFunction(uint32(in.Imm))
}

// isPure reports whether an instruction that does not fail statically only
// changes registers and falls through.
func isPure(in ebpf.Insn) bool {
	return in.Opc.IsALU() && (!in.Opc.IsDivMod() || !in.Opc.IsReg())
}

// analyse finds the segments (runs of instructions entered only at their
// first, all pure but the last: the meter is charged once per segment)
// and the blocks (the slots the dispatch can enter: the segment starts, or
// every slot when a callx can go anywhere).
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
	if n > chunkSlots {
		for pc := chunkStride; pc < n; pc += chunkStride {
			mark(pc)
		}
	}
	anyCallx := false
	c.fail, c.failReg = make([]ebpf.Failure, n), make([]int64, n)
	for pc, in := range c.insns {
		if c.tracing {
			mark(pc)
		}
		f, r := ebpf.StaticFailure(in, pc, n)
		c.fail[pc], c.failReg[pc] = f, r
		fails := f != ebpf.NoFailure
		if fails || !isPure(in) {
			mark(pc + 1)
		}
		switch {
		case fails:
		case in.Opc == ebpf.CallReg:
			anyCallx = true
		case in.Opc.IsJump():
			mark(ebpf.JumpTarget(pc, in.Off))
		case in.Opc == ebpf.LdDwImm:
			mark(pc + 2)
		case in.Opc == ebpf.CallImm:
			if t, ok := c.functionTarget(in); ok {
				mark(t)
			}
		}
	}
	if n > 0 && c.fail[n-1] == ebpf.NoFailure {
		op := c.insns[n-1].Opc
		c.lastCall = op == ebpf.CallImm || op == ebpf.CallReg
	}
	c.segLen = make([]int32, n+1)
	c.mid = make([]int32, n+1)
	for pc := n - 1; pc >= 0; pc-- {
		c.segLen[pc] = 1
		if !c.leader[pc+1] {
			c.segLen[pc] += c.segLen[pc+1]
		}
		if !c.leader[pc] {
			c.mid[pc] = c.segLen[pc]
		}
	}
	c.blockOf = make([]int32, n+1)
	c.starts = make([]int, 0, n/4+1)
	for pc := 0; pc < n; pc++ {
		c.blockOf[pc] = -1
		if c.leader[pc] || anyCallx {
			c.blockOf[pc] = int32(len(c.starts))
			c.starts = append(c.starts, pc)
		}
	}
	c.blockOf[n] = int32(len(c.starts)) + 1 // the last chunk's end block (see emitChunk)
	c.selfLoop = make([]bool, len(c.starts)+1)
	b := -1
	for pc, in := range c.insns {
		if c.blockOf[pc] >= 0 {
			b = int(c.blockOf[pc])
		}
		if c.fail[pc] != ebpf.NoFailure {
			continue
		}
		t := -1
		switch {
		case in.Opc == ebpf.CallImm:
			if ft, ok := c.functionTarget(in); ok {
				t = ft
			}
		case in.Opc.IsJump() && in.Opc != ebpf.CallReg && in.Opc != ebpf.Exit:
			t = ebpf.JumpTarget(pc, in.Off)
		}
		if t >= 0 && t < n && c.blockOf[t] == int32(b) {
			c.selfLoop[b] = true
		}
	}
}

// Upper bounds of the code of one slot (TestSlotCodeBound checks them),
// from which partition bounds each chunk function before it is emitted.
const (
	boundBlock   = 9  // block, end, self loop, end, br_table entry
	boundMeter   = 16 // a segment start's charge
	boundTrace   = 52 // a traced slot's record
	boundFail    = 36
	boundALU     = 28
	boundDiv     = 46
	boundJump    = 40
	boundLddw    = 30
	boundMem     = 78
	boundCall    = 130
	boundCallx   = 260
	boundExit    = 150
	boundRoutine = 2048 // prologue, end blocks, epilogue
)

// slotBound is the most code slot pc compiles to.
func (c *compiler) slotBound(pc int) int {
	n := boundBlock
	if c.leader[pc] {
		n += boundMeter
		if c.tracing {
			n += boundTrace
		}
	}
	in := c.insns[pc]
	switch op := in.Opc; {
	case c.fail[pc] != ebpf.NoFailure:
		return n + boundFail
	case op == ebpf.CallReg:
		return n + boundCallx
	case op == ebpf.CallImm:
		return n + boundCall
	case op == ebpf.Exit:
		return n + boundExit
	case op == ebpf.LdDwImm:
		return n + boundLddw
	case op.Class() == ebpf.ClassJmp:
		return n + boundJump
	case op.IsDivMod():
		return n + boundDiv
	case op.IsALU():
		return n + boundALU
	}
	return n + boundMem
}

// partition splits the text into chunks at block starts, each of at most
// chunkSlots slots and bounded code below maxBodyBytes.
func (c *compiler) partition() {
	budget := maxBodyBytes - boundRoutine
	ck := chunk{}
	bytes := 0
	for b, start := range c.starts {
		end := c.n
		if b+1 < len(c.starts) {
			end = c.starts[b+1]
		}
		size := 0
		for pc := start; pc < end; pc++ {
			size += c.slotBound(pc) + 3
		}
		if ck.m > 0 && (end-ck.lo > chunkSlots || bytes+size > budget) {
			ck.hi = start
			c.chunks = append(c.chunks, ck)
			ck, bytes = chunk{lo: start, b0: b}, 0
		}
		ck.m++
		bytes += size
	}
	ck.hi, ck.last = c.n, true
	c.chunks = append(c.chunks, ck)
}

// chunkOf maps each slot to its chunk.
func (c *compiler) chunkOf() []int32 {
	out := make([]int32, c.n)
	for i, ck := range c.chunks {
		for pc := ck.lo; pc < ck.hi; pc++ {
			out[pc] = int32(i)
		}
	}
	return out
}

// Label depths. In the code of block b of a chunk whose blocks are
// b0 .. b0+m-1, the enclosing labels are, from the innermost: the slot
// code's own (inner), the block's self loop (when it has one), the blocks
// of b+1 .. b0+m-1, the return-past-the-end block (numbered b0+m), the
// end block (b0+m+1), the dispatch loop and the three exit blocks.
func (c *compiler) base() int {
	d := c.inner
	if c.self {
		d++
	}
	return d
}

func (c *compiler) depthBlock(j int) int { return c.base() + j - c.cur - 1 }
func (c *compiler) depthDispatch() int   { return c.base() + c.ck.b0 + c.ck.m - c.cur + 1 }
func (c *compiler) depthAccess() int     { return c.depthDispatch() + 2 }
func (c *compiler) depthExit() int       { return c.depthDispatch() + 3 }

// The emitters below append to c.b directly and stay small enough for Go
// to inline them: under js/wasm every call that is not inlined is costly,
// and a compilation makes several per byte of code. Local indices are
// below 128, so their LEB128 encoding is the byte itself.
func (c *compiler) op(b byte)        { c.b = append(c.b, b) }
func (c *compiler) op2(a, b byte)    { c.b = append(c.b, a, b) }
func (c *compiler) op3(a, b, d byte) { c.b = append(c.b, a, b, d) }
func (c *compiler) get(l int)        { c.b = append(c.b, opLocalGet, byte(l)) }
func (c *compiler) set(l int)        { c.b = append(c.b, opLocalSet, byte(l)) }
func (c *compiler) tee(l int)        { c.b = append(c.b, opLocalTee, byte(l)) }

func (c *compiler) u(v uint64) {
	if v < 0x80 {
		c.b = append(c.b, byte(v))
		return
	}
	c.b = appendULEB(c.b, v)
}

func (c *compiler) i32(v int32) {
	if -64 <= v && v < 64 {
		c.b = append(c.b, opI32Const, byte(v)&0x7f)
		return
	}
	c.b = appendSLEB(append(c.b, opI32Const), int64(v))
}

func (c *compiler) i64(v int64) {
	if -64 <= v && v < 64 {
		c.b = append(c.b, opI64Const, byte(v)&0x7f)
		return
	}
	c.b = appendSLEB(append(c.b, opI64Const), v)
}

func (c *compiler) br(d int)   { c.op(opBr); c.u(uint64(d)) }
func (c *compiler) brIf(d int) { c.op(opBrIf); c.u(uint64(d)) }

// mem emits a load or store with alignment hint a (log2) and offset.
func (c *compiler) mem(op byte, a int, off uint32) {
	if off < 0x80 {
		c.b = append(c.b, op, byte(a), byte(off))
		return
	}
	c.b = appendULEB(append(c.b, op, byte(a)), uint64(off))
}

// open opens an if (or block) inside slot code; close ends it.
func (c *compiler) openIf() { c.op2(opIf, blockVoid); c.inner++ }
func (c *compiler) close()  { c.op(opEnd); c.inner-- }
func reg(r uint8) int       { return lR0 + int(r) }

// sizeIndex is the index of an access size (1, 2, 4, 8) in the limit
// arrays.
func sizeIndex(n uint64) int {
	switch n {
	case 1:
		return 0
	case 2:
		return 1
	case 4:
		return 2
	}
	return 3
}

// exit leaves the chunk function with code for instruction pc; arg, when
// used, is in lXArg already.
func (c *compiler) exit(code int32, pc int) {
	c.i32(code)
	c.set(lXCode)
	c.i32(int32(pc))
	c.set(lXPC)
	c.br(c.depthExit())
}

// exitArg leaves with code, pc and the constant arg.
func (c *compiler) exitArg(code int32, pc int, arg uint64) {
	c.i64(int64(arg))
	c.set(lXArg)
	c.exit(code, pc)
}

// emitChunk builds the body of chunk ck's function: locals, prologue,
// the dispatch loop over its blocks and the epilogue. It records each
// slot's code range in ranges.
func (c *compiler) emitChunk(ck chunk, ranges [][2]int) []byte {
	c.ck = ck
	c.b = make([]byte, 0, 40*(ck.hi-ck.lo)+1024)
	// The locals: the i64s (r0-r10 and the state), then the i32s.
	c.b = append(c.b, 2, numI64, typeI64, numI32, typeI32)
	// Prologue: registers and state from the context.
	for r := 0; r <= 10; r++ {
		c.get(lCtx)
		c.mem(opI64Load, 3, uint32(ctxRegs+8*r))
		c.set(lR0 + r)
	}
	load64 := func(off uint32, l int) { c.get(lCtx); c.mem(opI64Load, 3, off); c.set(l) }
	load32 := func(off uint32, l int) { c.get(lCtx); c.mem(opI32Load, 2, off); c.set(l) }
	global := func(off uint32, g int) {
		c.get(lCtx)
		c.mem(opI32Load, 2, off)
		c.op(opGlobalSet)
		c.u(uint64(g))
	}
	load64(ctxBudget, lB)
	load32(ctxPC, lPC)
	load32(ctxFP, lFP)
	global(ctxTraceCur, gTraceCur)
	global(ctxTraceEnd, gTraceEnd)
	global(ctxRegions, gRegions)
	global(ctxNRegions, gNRegions)
	load32(ctxMid, lMid)
	load64(ctxInStart, lInStart)
	load32(ctxInHost, lInHost)
	for i := 0; i < 4; i++ {
		load64(uint32(ctxInLoad+8*i), lInL+i)
		load64(uint32(ctxInStore+8*i), lInS+i)
		load64(uint32(ctxFrameFL+8*i), lFL+i)
	}
	c.get(lFP)
	c.mem(opI64Load, 3, frameVMAddr)
	c.set(lFVM)
	c.get(lFP)
	c.mem(opI32Load, 2, frameHost)
	c.set(lFHost)

	c.op2(opBlock, blockVoid) // exit
	c.op2(opBlock, blockVoid) // access exit
	c.op2(opBlock, blockVoid) // a slot outside the chunk, or not a block
	c.op2(opLoop, blockVoid)  // dispatch
	c.op2(opBlock, blockVoid) // end: running past the chunk, or past the text
	c.op2(opBlock, blockVoid) // a return to the end of the text
	for range ck.m {
		c.op2(opBlock, blockVoid)
	}
	m := ck.m
	c.get(lPC)
	if ck.lo > 0 {
		c.i32(int32(ck.lo))
		c.op(opI32Sub)
	}
	c.op(opBrTable)
	c.u(uint64(ck.hi - ck.lo + 1))
	for pc := ck.lo; pc <= ck.hi; pc++ {
		switch b := int(c.blockOf[pc]); {
		case pc == c.n:
			c.u(uint64(m))
		case pc < ck.hi && b >= 0:
			c.u(uint64(b - ck.b0))
		default:
			c.u(uint64(m + 3))
		}
	}
	c.u(uint64(m + 3))
	for b := ck.b0; b < ck.b0+m; b++ {
		start := c.starts[b]
		c.op(opEnd)
		c.cur, c.self, c.inner = b, c.selfLoop[b], 0
		if c.self {
			c.op2(opLoop, blockVoid)
		}
		end := ck.hi
		if b+1 < ck.b0+m {
			end = c.starts[b+1]
		}
		for pc := start; pc < end; pc++ {
			ranges[pc][0] = len(c.b)
			c.emitSlot(pc)
			ranges[pc][1] = len(c.b)
		}
		if c.self {
			c.op(opEnd)
		}
	}
	// Running off the last block goes to the end block.
	c.br(1)
	c.op(opEnd)
	// The dispatch reaches slot n only through a return to it (callx
	// checks its target, and Go never resumes there): the error names the
	// exit instruction, which left its index in lXPC (see emitReturn).
	c.cur, c.self, c.inner = ck.b0+m, false, 0
	c.i64(int64(c.exe.Program.TextVaddr + uint64(c.n)*ebpf.InsnSize))
	c.set(lXArg)
	c.i32(exitCallOutside)
	c.set(lXCode)
	c.br(c.depthExit())
	c.op(opEnd)
	// The end: past the text an overrun, past a chunk the next chunk.
	c.cur = ck.b0 + m + 1
	if ck.last {
		c.exit(exitOverrun, c.n)
	} else {
		c.exit(exitJump, ck.hi)
	}
	c.op(opEnd) // dispatch loop
	c.op(opEnd)
	// A dispatch to a slot of another chunk goes there through the driver;
	// one to a slot of this chunk that starts no block is a compiler bug.
	c.get(lPC)
	if ck.lo > 0 {
		c.i32(int32(ck.lo))
		c.op(opI32Sub)
	}
	c.i32(int32(ck.hi - ck.lo))
	c.op(opI32LtU)
	c.op2(opIf, blockVoid)
	c.i32(exitInternal)
	c.set(lXCode)
	c.op(opElse)
	c.i32(exitJump)
	c.set(lXCode)
	c.get(lPC)
	c.set(lXPC)
	c.op(opEnd)
	c.br(1)
	c.op(opEnd) // access exit
	c.i32(exitAccess)
	c.set(lXCode)
	c.get(lA)
	c.set(lXArg)
	c.op(opEnd) // exit
	// Epilogue: state back to the context.
	for r := 0; r <= 10; r++ {
		c.get(lCtx)
		c.get(lR0 + r)
		c.mem(opI64Store, 3, uint32(ctxRegs+8*r))
	}
	store64 := func(l int, off uint32) { c.get(lCtx); c.get(l); c.mem(opI64Store, 3, off) }
	store32 := func(l int, off uint32) { c.get(lCtx); c.get(l); c.mem(opI32Store, 2, off) }
	store64(lB, ctxBudget)
	store32(lXPC, ctxPC)
	store32(lXCode, ctxCode)
	store64(lXArg, ctxArg)
	store32(lFP, ctxFP)
	c.get(lCtx)
	c.op(opGlobalGet)
	c.u(gTraceCur)
	c.mem(opI32Store, 2, ctxTraceCur)
	c.get(lXCode)
	c.op(opEnd)
	return c.b
}

// driverBody is the exported run function: it charges an entry inside a
// segment (resuming after a callx into one), then calls the chunk of the
// slot to run, and the next one while a chunk passes control on.
func (c *compiler) driverBody() []byte {
	const dPC, dCode, dC, dB = 1, 2, 3, 4
	c.b = []byte{2, 3, typeI32, 1, typeI64}
	c.get(lCtx)
	c.mem(opI32Load, 2, ctxPC)
	c.set(dPC)
	c.get(lCtx)
	c.mem(opI32Load, 2, ctxMid)
	c.get(dPC)
	c.i32(2)
	c.op2(opI32Shl, opI32Add)
	c.mem(opI32Load, 2, 0)
	c.tee(dC)
	c.op2(opIf, blockVoid)
	c.get(lCtx)
	c.mem(opI64Load, 3, ctxBudget)
	c.get(dC)
	c.op2(opI64ExtendU, opI64Sub)
	c.set(dB)
	c.get(lCtx)
	c.get(dB)
	c.mem(opI64Store, 3, ctxBudget)
	c.get(dB)
	c.i64(0)
	c.op(opI64LeS)
	c.op2(opIf, blockVoid)
	c.i32(exitTrip)
	c.op(opReturn)
	c.op(opEnd)
	c.op(opEnd)
	c.op2(opLoop, blockVoid)
	// The chunk of the slot, by binary search over the chunks' starts.
	var call func(lo, hi int)
	call = func(lo, hi int) {
		if lo == hi {
			c.get(lCtx)
			c.op(opCall)
			c.u(uint64(fnChunks + lo))
			return
		}
		mid := (lo + hi + 1) / 2
		c.get(dPC)
		c.i32(int32(c.chunks[mid].lo))
		c.op(opI32LtU)
		c.op2(opIf, typeI32)
		call(lo, mid-1)
		c.op(opElse)
		call(mid, hi)
		c.op(opEnd)
	}
	call(0, len(c.chunks)-1)
	c.tee(dCode)
	c.i32(exitJump)
	c.op(opI32Eq)
	c.op2(opIf, blockVoid)
	c.get(lCtx)
	c.mem(opI32Load, 2, ctxPC)
	c.set(dPC)
	c.br(1)
	c.op(opEnd)
	c.get(dCode)
	c.op(opReturn)
	c.op(opEnd)
	c.op(opUnreachable)
	c.op(opEnd)
	return c.b
}

// chargeMid charges what an entry at lPC owes the meter when the slot is
// inside a segment (the mid table holds 0 at segment starts), and trips
// when that exhausts the budget.
func (c *compiler) chargeMid() {
	c.get(lMid)
	c.get(lPC)
	c.i32(2)
	c.op2(opI32Shl, opI32Add)
	c.mem(opI32Load, 2, 0)
	c.tee(lC)
	c.op2(opIf, blockVoid)
	c.inner++
	c.get(lB)
	c.get(lC)
	c.op2(opI64ExtendU, opI64Sub)
	c.tee(lB)
	c.i64(0)
	c.op(opI64LeS)
	c.openIf()
	c.i32(exitTrip)
	c.set(lXCode)
	c.get(lPC)
	c.set(lXPC)
	c.br(c.depthExit())
	c.close()
	c.close()
}

// emitSlot emits instruction pc: the trace record and the meter charge at
// a segment start, then the instruction.
func (c *compiler) emitSlot(pc int) {
	c.slot = pc
	if c.leader[pc] {
		if c.tracing {
			c.op(opGlobalGet)
			c.u(gTraceCur)
			c.op(opGlobalGet)
			c.u(gTraceEnd)
			c.op(opI32GeU)
			c.openIf()
			c.exit(exitTraceFull, pc)
			c.close()
			c.i32(int32(pc))
			for r := 0; r <= 10; r++ {
				c.get(lR0 + r)
			}
			c.op(opCall)
			c.u(fnTrace)
		}
		c.get(lB)
		c.i64(int64(c.segLen[pc]))
		c.op(opI64Sub)
		c.tee(lB)
		c.i64(0)
		c.op(opI64LeS)
		c.openIf()
		c.exit(exitTrip, pc)
		c.close()
	}
	in := c.insns[pc]
	if f := c.fail[pc]; f != ebpf.NoFailure {
		c.exitArg(exitOfFailure[f], pc, uint64(c.failReg[pc]))
		return
	}
	switch cl := in.Opc.Class(); {
	case in.Opc.IsALU():
		c.emitALU(in)
	case cl == ebpf.ClassJmp:
		c.emitJmp(pc, in)
	case in.Opc == ebpf.LdDwImm:
		c.i64(int64(uint64(uint32(in.Imm)) | uint64(uint32(c.insns[pc+1].Imm))<<32))
		c.set(reg(in.Dst))
		c.jumpTo(pc + 2)
	default:
		c.emitMem(pc, in)
	}
}

// jumpTo continues at slot t: straight to a later block, around the
// current block's loop to its own start, and through the dispatch
// otherwise. A target outside the text is the interpreter's overrun.
func (c *compiler) jumpTo(t int) {
	switch {
	case t < 0 || t > c.n || (t == c.n && !c.ck.last):
		c.exit(exitOverrun, t)
	case t < c.n && (t < c.ck.lo || t >= c.ck.hi):
		c.exit(exitJump, t)
	case int(c.blockOf[t]) > c.cur:
		c.br(c.depthBlock(int(c.blockOf[t])))
	case c.self && t == c.starts[c.cur]:
		c.br(c.inner)
	default:
		c.i32(int32(t))
		c.set(lPC)
		c.br(c.depthDispatch())
	}
}

// src pushes the source operand of an ALU or jump instruction as i64:
// the register, or the immediate sign-extended.
func (c *compiler) src(in ebpf.Insn) {
	if in.Opc.IsReg() {
		c.get(reg(in.Src))
	} else {
		c.i64(int64(in.Imm))
	}
}

// src32 pushes the low 32 bits of the source operand.
func (c *compiler) src32(in ebpf.Insn) {
	if in.Opc.IsReg() {
		c.get(reg(in.Src))
		c.op(opI32WrapI64)
	} else {
		c.i32(in.Imm)
	}
}

var alu64Ops = [16]byte{
	ebpf.OpAdd >> 4: opI64Add, ebpf.OpSub >> 4: opI64Sub, ebpf.OpMul >> 4: opI64Mul, ebpf.OpOr >> 4: opI64Or,
	ebpf.OpAnd >> 4: opI64And, ebpf.OpLsh >> 4: opI64Shl, ebpf.OpRsh >> 4: opI64ShrU, ebpf.OpXor >> 4: opI64Xor,
	ebpf.OpArsh >> 4: opI64ShrS, ebpf.OpDiv >> 4: opI64DivU, ebpf.OpMod >> 4: opI64RemU,
}

var alu32Ops = [16]byte{
	ebpf.OpAdd >> 4: opI32Add, ebpf.OpSub >> 4: opI32Sub, ebpf.OpMul >> 4: opI32Mul, ebpf.OpOr >> 4: opI32Or,
	ebpf.OpAnd >> 4: opI32And, ebpf.OpLsh >> 4: opI32Shl, ebpf.OpRsh >> 4: opI32ShrU, ebpf.OpXor >> 4: opI32Xor,
	ebpf.OpArsh >> 4: opI32ShrS, ebpf.OpDiv >> 4: opI32DivU, ebpf.OpMod >> 4: opI32RemU,
}

// emitALU emits the 32- and 64-bit ALU instructions with the interpreter's
// semantics: 32-bit add, sub and mul sign-extend their result, the other
// 32-bit operations zero-extend; shifts wrap (as WebAssembly's do); a
// division by a register checks for zero.
func (c *compiler) emitALU(in ebpf.Insn) {
	d := reg(in.Dst)
	op := in.Opc.Operation()
	is64 := in.Opc.Class() == ebpf.ClassAlu64
	if in.Opc.IsDivMod() && in.Opc.IsReg() {
		c.get(reg(in.Src))
		if !is64 {
			c.op2(opI32WrapI64, opI32Eqz)
		} else {
			c.op(opI64Eqz)
		}
		c.openIf()
		c.exit(exitDivZero, c.slot)
		c.close()
	}
	switch {
	case op == ebpf.OpEnd:
		c.emitEndian(in)
		return
	case op == ebpf.OpMov && is64:
		c.src(in)
	case op == ebpf.OpMov:
		c.src32(in)
		c.op(opI64ExtendU)
	case op == ebpf.OpNeg && is64:
		c.i64(0)
		c.get(d)
		c.op(opI64Sub)
	case op == ebpf.OpNeg:
		c.i32(0)
		c.get(d)
		c.op3(opI32WrapI64, opI32Sub, opI64ExtendU)
	case is64:
		c.get(d)
		c.src(in)
		c.op(alu64Ops[op>>4])
	default:
		c.get(d)
		c.op(opI32WrapI64)
		c.src32(in)
		c.op(alu32Ops[op>>4])
		if op == ebpf.OpAdd || op == ebpf.OpSub || op == ebpf.OpMul {
			c.op(opI64ExtendS)
		} else {
			c.op(opI64ExtendU)
		}
	}
	c.set(d)
}

// emitEndian emits le and be (the width is valid: StaticFailure checked
// it). WebAssembly has no byte swap: be calls the module's 64-bit swap
// and shifts the swapped bytes down for the narrower widths.
func (c *compiler) emitEndian(in ebpf.Insn) {
	d := reg(in.Dst)
	le := in.Opc&ebpf.SrcX == 0
	switch {
	case in.Imm == 64 && le:
		return
	case le:
		c.get(d)
		c.i64(int64(uint64(1)<<uint(in.Imm) - 1))
		c.op(opI64And)
	default:
		c.get(d)
		c.op(opCall)
		c.u(fnBswap)
		if in.Imm < 64 {
			c.i64(int64(64 - in.Imm))
			c.op(opI64ShrU)
		}
	}
	c.set(d)
}

// jumpCond maps a jump operation to the i64 comparison that takes it.
var jumpCond = [16]byte{
	ebpf.OpJeq >> 4: opI64Eq, ebpf.OpJgt >> 4: opI64GtU, ebpf.OpJge >> 4: opI64GeU, ebpf.OpJlt >> 4: opI64LtU,
	ebpf.OpJle >> 4: opI64LeU, ebpf.OpJne >> 4: opI64Ne, ebpf.OpJsgt >> 4: opI64GtS, ebpf.OpJsge >> 4: opI64GeS,
	ebpf.OpJslt >> 4: opI64LtS, ebpf.OpJsle >> 4: opI64LeS,
}

// emitJmp emits jumps, calls and exit.
func (c *compiler) emitJmp(pc int, in ebpf.Insn) {
	switch op := in.Opc.Operation(); {
	case in.Opc == ebpf.Ja:
		c.jumpTo(ebpf.JumpTarget(pc, in.Off))
	case in.Opc == ebpf.CallImm:
		c.emitCall(pc, in)
	case in.Opc == ebpf.CallReg:
		c.emitCallx(pc, in)
	case in.Opc == ebpf.Exit:
		c.emitReturn(pc)
	default:
		c.get(reg(in.Dst))
		c.src(in)
		if op == ebpf.OpJset {
			c.op(opI64And)
			c.i64(0)
			c.op(opI64Ne)
		} else {
			c.op(jumpCond[op>>4])
		}
		c.openIf()
		c.jumpTo(ebpf.JumpTarget(pc, in.Off))
		c.close()
	}
}

// syscallOrdinal numbers the distinct syscall hashes the program calls.
func (c *compiler) syscallOrdinal(hash uint32) int {
	for i, h := range c.syscalls {
		if h == hash {
			return i
		}
	}
	c.syscalls = append(c.syscalls, hash)
	return len(c.syscalls) - 1
}

// emitCall emits `call imm`: a syscall (Go runs it and resumes at pc+1),
// a function, or the unresolved-symbol error, in the interpreter's order.
func (c *compiler) emitCall(pc int, in ebpf.Insn) {
	hash := uint32(in.Imm)
	if _, ok := c.exe.Syscalls.Lookup(hash); ok {
		c.exitArg(exitSyscall, pc, uint64(c.syscallOrdinal(hash)))
		return
	}
	target, ok := c.exe.Program.LookupFunction(hash)
	if !ok {
		c.exit(exitUnresolved, pc)
		return
	}
	c.pushFrame(pc)
	if target < 0 || target >= c.n {
		c.exitArg(exitCallOutside, pc, c.exe.Program.TextVaddr+uint64(target)*ebpf.InsnSize)
		return
	}
	c.jumpTo(target)
}

// pushFrame saves r6-r9 and the return index in the current frame record
// and enters the next frame (r10 and the frame fast path from its
// record), or leaves with CallDepthExceeded.
func (c *compiler) pushFrame(pc int) {
	c.get(lFP)
	c.get(lCtx)
	c.mem(opI32Load, 2, ctxFrameLim)
	c.op(opI32GeU)
	c.openIf()
	c.exit(exitCallDepth, pc)
	c.close()
	for i := 0; i < 4; i++ {
		c.get(lFP)
		c.get(reg(uint8(6 + i)))
		c.mem(opI64Store, 3, uint32(8*i))
	}
	c.get(lFP)
	c.i64(int64(pc + 1))
	c.mem(opI64Store, 3, frameRet)
	c.get(lFP)
	c.i32(frameRec)
	c.op(opI32Add)
	c.tee(lFP)
	c.loadFrame()
}

// loadFrame takes r10 and the frame fast path from the record at the top
// of the stack.
func (c *compiler) loadFrame() {
	c.mem(opI64Load, 3, frameTop)
	c.set(reg(10))
	c.get(lFP)
	c.mem(opI64Load, 3, frameVMAddr)
	c.set(lFVM)
	c.get(lFP)
	c.mem(opI32Load, 2, frameHost)
	c.set(lFHost)
}

// emitCallx emits `callx`: the target is read before the frame is pushed
// (the register may be r10) and checked after, as the interpreter does;
// a target inside a segment is charged the rest of it.
func (c *compiler) emitCallx(pc int, in ebpf.Insn) {
	vaddr := c.exe.Program.TextVaddr
	c.get(reg(uint8(in.Imm)))
	c.set(lT)
	c.pushFrame(pc)
	c.get(lT)
	c.i64(int64(vaddr))
	c.op(opI64LtU)
	c.openIf()
	c.get(lT)
	c.i64(-8)
	c.op(opI64And)
	c.set(lXArg)
	c.exit(exitCallOutside, pc)
	c.close()
	c.get(lT)
	c.i64(int64(vaddr))
	c.op(opI64Sub)
	c.i64(3)
	c.op(opI64ShrU)
	c.tee(lT)
	c.i64(int64(c.n))
	c.op(opI64GeU)
	c.openIf()
	c.get(lT)
	c.i64(3)
	c.op(opI64Shl)
	c.i64(int64(vaddr))
	c.op(opI64Add)
	c.set(lXArg)
	c.exit(exitCallOutside, pc)
	c.close()
	c.get(lT)
	c.op(opI32WrapI64)
	c.set(lPC)
	c.chargeMid()
	c.br(c.depthDispatch())
}

// emitReturn emits `exit`: in the root frame the run ends; otherwise the
// caller's registers and frame come back and the dispatch continues at the
// return index (a call in the last slot returns outside the text).
func (c *compiler) emitReturn(pc int) {
	c.get(lFP)
	c.get(lCtx)
	c.mem(opI32Load, 2, ctxFrames)
	c.op(opI32Eq)
	c.openIf()
	c.exit(exitReturn, pc)
	c.close()
	c.get(lFP)
	c.i32(frameRec)
	c.op(opI32Sub)
	c.set(lFP)
	for i := 0; i < 4; i++ {
		c.get(lFP)
		c.mem(opI64Load, 3, uint32(8*i))
		c.set(reg(uint8(6 + i)))
	}
	c.get(lFP)
	c.loadFrame()
	c.get(lFP)
	c.mem(opI32Load, 2, frameRet)
	c.set(lPC)
	switch {
	case c.lastCall && c.ck.last:
		// A call in the last slot returns to the end of the text, where
		// the dispatch reports the error naming this instruction.
		c.i32(int32(pc))
		c.set(lXPC)
	case c.lastCall:
		// In another chunk the check is here.
		c.get(lPC)
		c.i32(int32(c.n))
		c.op(opI32GeU)
		c.openIf()
		c.exitArg(exitCallOutside, pc, c.exe.Program.TextVaddr+uint64(c.n)*ebpf.InsnSize)
		c.close()
	}
	c.br(c.depthDispatch())
}

// emitMem emits loads and stores. The address is checked against the
// current frame's area (accesses through r10) or the input region (the
// others) inline; anything else goes to the exact translation, which
// returns 0 for an access the interpreter refuses.
func (c *compiler) emitMem(pc int, in ebpf.Insn) {
	size := in.Opc.AccessSize()
	si := sizeIndex(size)
	store := in.Opc.IsStore()
	var base uint8
	abs := in.Opc.Class() == ebpf.ClassLd
	switch {
	case abs:
		c.i64(int64(ebpf.MMInputStart + uint64(uint32(in.Imm))))
		if in.Opc&ebpf.ModeInd == ebpf.ModeInd {
			c.get(reg(in.Src))
			c.op(opI64Add)
		}
	case store:
		base = in.Dst
		c.get(reg(base))
		c.i64(int64(in.Off))
		c.op(opI64Add)
	default:
		base = in.Src
		c.get(reg(base))
		c.i64(int64(in.Off))
		c.op(opI64Add)
	}
	c.tee(lA)
	start, host, lim := lInStart, lInHost, lInL+si
	if store {
		lim = lInS + si
	}
	if !abs && base == 10 {
		start, host, lim = lFVM, lFHost, lFL+si
	}
	c.get(start)
	c.op(opI64Sub)
	c.tee(lO)
	c.get(lim)
	c.op(opI64LtU)
	c.op2(opIf, typeI32)
	c.inner++
	c.get(host)
	c.get(lO)
	c.op2(opI32WrapI64, opI32Add)
	c.op(opElse)
	c.get(lA)
	kind := int32(size)
	if store {
		kind |= 0x100
	}
	c.i32(kind)
	c.op(opCall)
	c.u(fnXlate)
	c.tee(lH)
	c.op(opI32Eqz)
	c.openIf()
	c.i32(int32(pc))
	c.set(lXPC)
	c.br(c.depthAccess())
	c.close()
	c.get(lH)
	c.close()
	switch {
	case !store && abs:
		c.mem(loadOp[si], si, 0)
		c.set(reg(0))
	case !store:
		c.mem(loadOp[si], si, 0)
		c.set(reg(in.Dst))
	case in.Opc.Class() == ebpf.ClassSt:
		c.i64(int64(in.Imm))
		c.mem(storeOp[si], si, 0)
	default:
		c.get(reg(in.Src))
		c.mem(storeOp[si], si, 0)
	}
}

var (
	loadOp  = [4]byte{opI64Load8U, opI64Load16U, opI64Load32U, opI64Load}
	storeOp = [4]byte{opI64Store8, opI64Store16, opI64Store32, opI64Store}
)
