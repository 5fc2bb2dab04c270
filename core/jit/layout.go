package jit

import (
	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/exitcode"
)

// The context is the memory shared by the generated code and the Go
// executor. Generated code reaches it through RSP: on entry the trampoline
// points RSP at the regs field, so a field lives at [rsp + its offset below]
// (16 more inside the translation routine, reached by CALL). The words before
// regs are the generated code's own native stack. layout_test.go checks
// the context and descriptor offsets against unsafe.Offsetof, traceWords
// against vm.TraceEntry, and the literal offsets in enter_amd64.s.

// nativeStackWords is the size of the generated code's stack. It only ever
// holds the return address of the translation routine and one saved word.
const nativeStackWords = 16

// context is the run state of one execution of a Program.
type context struct {
	stack [nativeStackWords]uint64

	regs     [11]uint64 // r0-r10 while Go has control
	rem      uint64     // instructions left before the meter trips
	exitCode uint64     // why the code returned to Go (exit* constants)
	exitPC   uint64     // instruction index the exit concerns
	exitArg  uint64     // address, hash or register, depending on exitCode
	resume   uint64     // native address to continue at
	tripPC   uint64     // instruction that exhausted the meter (exitTrip)
	frame    uintptr    // record of the current call frame (root: frames)

	frames     uintptr // call frame records, frameWords words each
	frameLimit uintptr // record of the last frame: no call from there
	traceCur   uintptr // next free trace entry
	traceEnd   uintptr // end of the trace buffer

	goSP, goBP, goR14, goR15 uint64 // Go's registers while generated code runs

	regionCount uint64      // number of region descriptors
	regionLast  uintptr     // address of the last descriptor (sorted by VM address)
	buckets     [16]uintptr // descriptor per 4 GiB bucket, 0 when a search is needed
	empty       regionDesc  // descriptor that refuses every access

	// Fast paths tried before the bucket table: the current call frame's
	// area of the stack and the input region. A descriptor whose limits
	// are 0 never matches, which is how a run disables a fast path the
	// region layout does not allow (see fastpath_linux_amd64.go).
	curFrame   uintptr    // descriptor of the current frame's area
	frameDescs uintptr    // descriptor of every frame's area, by index
	input      regionDesc // the input region

	// Watchpoints, in programs compiled with Options.Watch: for each
	// access index (log2 of the size, +4 for stores) the address and count
	// of {start, span} pairs; an access at a hits a watch when a - start
	// <= span. The translation routine records a hit in the words after
	// them and zeroes the budget, so the code returns to Go at the next
	// segment start (see watch_linux_amd64.go).
	watchLists   [8][2]uintptr
	watchPending uint64 // 1 when a hit is recorded
	watchPC      uint64 // the instruction that made the access
	watchAddr    uint64 // its VM address
	watchIdx     uint64 // 8 * its access index
	watchOld     uint64 // the bytes at the address before the access
	watchRem     uint64 // the budget the hit zeroed
}

// regionDesc describes one memory region to the generated code. An access
// of n bytes at VM address a is allowed when, with off = a - vm,
// off&gapBit == 0 and off' = off - ((off>>1) & hiMask) is below limit[i],
// i being log2(n) for loads and 4+log2(n) for stores; it reaches host+off'.
type regionDesc struct {
	vm     uint64
	gapBit uint64
	hiMask uint64
	host   uintptr
	limit  [8]uint64
}

// Offsets of the context fields from RSP (the start of regs).
const (
	ctxRegs        = 0
	ctxRem         = 88
	ctxExitCode    = 96
	ctxExitPC      = 104
	ctxExitArg     = 112
	ctxResume      = 120
	ctxTripPC      = 128
	ctxFrame       = 136
	ctxFrames      = 144
	ctxFrameLimit  = 152
	ctxTraceCur    = 160
	ctxTraceEnd    = 168
	ctxGoSP        = 176
	ctxGoBP        = 184
	ctxGoR14       = 192
	ctxGoR15       = 200
	ctxRegionCount = 208
	ctxRegionLast  = 216
	ctxBuckets     = 224
	ctxEmpty       = 352
	ctxCurFrame    = 448
	ctxFrameDescs  = 456
	ctxInput       = 464
	ctxWatchLists  = 560
	ctxWatchPend   = 688
	ctxWatchPC     = 696
	ctxWatchAddr   = 704
	ctxWatchIdx    = 712
	ctxWatchOld    = 720
	ctxWatchRem    = 728
)

// Offsets inside a regionDesc.
const (
	descVM     = 0
	descGapBit = 8
	descHiMask = 16
	descHost   = 24
	descLimit  = 32
	descSize   = 96
)

// A call frame record, one per frame index i: words 0-3 receive r6-r9 and
// frameRet the native return address when frame i calls; the rest are
// constants the executor fills in, r10 and the frame fast-path descriptor
// of frame i+1 (entered by a call) and of frame i (restored by a return).
const (
	frameRet        = 4
	frameCalleeTop  = 5
	frameCalleeDesc = 6
	frameCallerTop  = 7
	frameCallerDesc = 8
	frameWords      = 9
)

// traceWords is the size of one trace entry: r0-r10 and the index.
const traceWords = 12

// Exit codes: why generated code returned to Go (core/jit/internal/exitcode,
// shared with the WebAssembly tier); the argument is exitArg, the
// instruction exitPC or tripPC.
const (
	exitReturn         = exitcode.Return
	exitTrip           = exitcode.Trip
	exitSyscall        = exitcode.Syscall
	exitTraceFull      = exitcode.TraceFull
	exitAccess         = exitcode.Access
	exitDivZero        = exitcode.DivZero
	exitUnsupported    = exitcode.Unsupported
	exitInvalidInsn    = exitcode.InvalidInsn
	exitOverrun        = exitcode.Overrun
	exitCallDepth      = exitcode.CallDepth
	exitCallOutside    = exitcode.CallOutside
	exitUnresolved     = exitcode.Unresolved
	exitBadRegister    = exitcode.BadRegister
	exitIncompleteLddw = exitcode.IncompleteLddw
)

// ebpfReg maps eBPF registers r0-r10 to the x86 registers holding them.
// RAX, RCX and RDX are scratch (DIV and shifts by CL need them), RBP holds
// the meter budget and RSP points at the context.
var ebpfReg = [11]amd64.Reg{amd64.RBX, amd64.RSI, amd64.RDI, amd64.R8, amd64.R9, amd64.R10, amd64.R11, amd64.R12, amd64.R13, amd64.R14, amd64.R15}

// remReg holds the number of instructions the meter still allows.
const remReg = amd64.RBP
