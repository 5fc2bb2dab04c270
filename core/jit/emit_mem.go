package jit

import (
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
)

// sizeOf returns the access width of a load or store opcode and log2 of
// its byte size.
func sizeOf(opc ebpf.OpCode) (amd64.Width, int) {
	lg := bits.TrailingZeros64(opc.AccessSize())
	return [...]amd64.Width{amd64.W8, amd64.W16, amd64.W32, amd64.W64}[lg], lg
}

// emitLoadStore emits ldx, st and stx. The address is reg+off for ldx
// (src) and st/stx (dst).
func (c *compiler) emitLoadStore(pc int, in ebpf.Insn) {
	a := &c.a
	w, lg := sizeOf(in.Opc)
	class := in.Opc & ebpf.ClassMask
	var base amd64.Reg
	if class == ebpf.ClassLdx {
		base = reg(in.Src)
	} else {
		base = reg(in.Dst)
	}
	addr := func() { a.Lea(amd64.RAX, amd64.M(base, int32(in.Off))) }
	store := class != ebpf.ClassLdx
	idx := lg
	if store {
		idx += 4
	}
	access := func() {
		switch class {
		case ebpf.ClassLdx:
			a.Load(w, reg(in.Dst), amd64.M(amd64.RAX, 0))
		case ebpf.ClassStx:
			a.Store(w, amd64.M(amd64.RAX, 0), reg(in.Src))
		default:
			c.storeImm(w, in.Imm)
		}
	}
	fast := fastInput
	if in.Opc&ebpf.ClassMask != ebpf.ClassLdx && in.Dst == ebpf.StackReg ||
		in.Opc&ebpf.ClassMask == ebpf.ClassLdx && in.Src == ebpf.StackReg {
		fast = fastFrame
	}
	c.emitAccess(pc, idx, fast, addr, access)
}

// storeImm stores imm (sign-extended to the width) at [RAX].
func (c *compiler) storeImm(w amd64.Width, imm int32) {
	if c.blind.on {
		c.blindedImm(amd64.RCX, imm)
		c.a.Store(w, amd64.M(amd64.RAX, 0), amd64.RCX)
		return
	}
	c.a.StoreImm(w, amd64.M(amd64.RAX, 0), imm)
}

// emitLdAbsInd emits the legacy packet loads: r0 = the value at
// MM_INPUT_START + uint32(imm) (+ src for the indirect forms).
func (c *compiler) emitLdAbsInd(pc int, in ebpf.Insn) {
	a := &c.a
	w, lg := sizeOf(in.Opc)
	addr := func() {
		a.MovImm(amd64.RAX, int64(uint32(in.Imm)))
		a.MovImm(amd64.RCX, int64(ebpf.MMInputStart))
		a.Alu(amd64.Add, amd64.W64, amd64.RAX, amd64.RCX)
		if in.Opc&0xe0 == ebpf.ModeInd {
			a.Alu(amd64.Add, amd64.W64, amd64.RAX, reg(in.Src))
		}
	}
	c.emitAccess(pc, lg, fastInput, addr, func() { a.Load(w, reg(0), amd64.M(amd64.RAX, 0)) })
}

// The fast path an access tries first.
const (
	fastInput = iota // the input region
	fastFrame        // the current call frame's stack area
)

// emitAccess emits a memory access: addr computes the VM address into
// RAX, access performs it at host address RAX. The likely region (fast) is
// checked inline; anything else leaves through a stub of three
// instructions to the shared slow path of this fast path and access size,
// which returns with the host address for the same access code, or ends
// the run with an access violation:
//
//	inline:  addr; sub rax, [desc.vm]; cmp rax, [desc.limit+8*idx]; jae stub
//	         add rax, [desc.host]
//	join:    access
//	stub:    mov ecx, pc; call slow[fast][idx]; jmp join
//
// Sharing the slow path makes an access about 30 bytes shorter than
// repeating it per site (see docs/performance.md).
func (c *compiler) emitAccess(pc, idx, fast int, addr, access func()) {
	a := &c.a
	addr()
	var desc amd64.Mem
	if fast == fastFrame {
		a.Load(amd64.W64, amd64.RCX, ctx(ctxCurFrame))
		desc = amd64.M(amd64.RCX, 0)
	} else {
		desc = ctx(ctxInput)
	}
	at := func(off int32) amd64.Mem { d := desc; d.Disp += off; return d }
	a.AluLoad(amd64.Sub, amd64.W64, amd64.RAX, at(descVM))
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RAX, at(descLimit+int32(8*idx)))
	hole := a.JccHole(amd64.CondAE)
	a.AluLoad(amd64.Add, amd64.W64, amd64.RAX, at(descHost))
	k := fast*8 + idx
	c.slowUsed |= 1 << k
	c.stubs = append(c.stubs, stub{hole: int32(hole), back: int32(a.Len()), pc: int32(pc), slow: int8(k)})
	access()
}

// stub is the out-of-line code of one instruction: a meter trip, or an
// access the fast path refused. Stubs are records rather than closures
// and jump through patched holes rather than labels, because nearly every
// instruction has one or two and they would otherwise be most of the
// memory a large compilation allocates.
type stub struct {
	hole int32 // displacement of the inline jump to the stub
	back int32 // access: position of the access code (join)
	pc   int32 // instruction index
	slow int8  // access: index of the shared slow path; -1: meter trip
}

// emitStubs emits every stub, after the shared routines they jump to.
func (c *compiler) emitStubs() {
	a := &c.a
	for _, s := range c.stubs {
		a.PatchHere(int(s.hole))
		a.MovImm32(amd64.RCX, uint32(s.pc))
		if s.slow < 0 {
			a.JmpTo(c.tripIndexAt)
			continue
		}
		a.CallTo(c.slowAt[s.slow])
		a.JmpTo(int(s.back))
	}
}

// emitSlowPaths emits the shared slow path of every fast path and access
// index in use. Called from a stub with the instruction index in RCX and
// RAX = address - the fast path's region start, it recovers the address,
// stores it and the index for a violation, and continues into the
// complete translation with 8*idx in RDX.
func (c *compiler) emitSlowPaths() {
	if c.slowUsed == 0 {
		return
	}
	a := &c.a
	common := a.NewLabel()
	for k := range c.slowAt {
		if c.slowUsed&(1<<k) == 0 {
			continue
		}
		c.slowAt[k] = a.Len()
		if k/8 == fastFrame {
			a.Load(amd64.W64, amd64.RDX, ctx(8+ctxCurFrame))
			a.AluLoad(amd64.Add, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, descVM))
		} else {
			a.AluLoad(amd64.Add, amd64.W64, amd64.RAX, ctx(8+ctxInput+descVM))
		}
		a.MovImm32(amd64.RDX, uint32(8*(k%8)))
		a.Jmp(common)
	}
	a.Bind(common)
	a.Store(amd64.W64, ctx(8+ctxExitPC), amd64.RCX)
	a.Store(amd64.W64, ctx(8+ctxExitArg), amd64.RAX)
	c.emitTranslate()
}

// emitTranslate emits the complete translation, entered from a slow path
// (one return address on the native stack) with the VM address in RAX and
// 8*idx in RDX (idx: log2 of the access size, +4 for stores). It returns
// with the host address in RAX, or ends the run with an access violation
// when the interpreter would refuse the access (the slow path has stored
// the address and the instruction index). RCX and RDX change. The native
// stack holds the return address and the saved index, hence ctx offsets
// +16 while both are there.
//
// The address's 4 GiB bucket selects a region descriptor directly when the
// bucket holds a single region (the usual layout); otherwise the sorted
// descriptors are searched backwards, as the interpreter's lookup does.
// The gap arithmetic of stack frames is folded into two masks so that the
// same code serves gapped and contiguous regions.
func (c *compiler) emitTranslate() {
	a := &c.a
	search, found, fail, failPopped := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Push(amd64.RDX)
	a.Mov(amd64.W64, amd64.RDX, amd64.RAX)
	a.Shift(amd64.Shr, amd64.W64, amd64.RDX, 32)
	a.AluImm(amd64.Cmp, amd64.W64, amd64.RDX, 16)
	a.Jcc(amd64.CondAE, search)
	a.Load(amd64.W64, amd64.RDX, amd64.MI(amd64.RSP, amd64.RDX, 8, 16+ctxBuckets))
	a.Test(amd64.W64, amd64.RDX, amd64.RDX)
	a.Jcc(amd64.CondE, search)
	a.Bind(found)
	a.AluLoad(amd64.Sub, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, descVM))
	a.TestMem(amd64.W64, amd64.M(amd64.RDX, descGapBit), amd64.RAX)
	a.Jcc(amd64.CondNE, fail)
	a.Mov(amd64.W64, amd64.RCX, amd64.RAX)
	a.Shift(amd64.Shr, amd64.W64, amd64.RCX, 1)
	a.AluLoad(amd64.And, amd64.W64, amd64.RCX, amd64.M(amd64.RDX, descHiMask))
	a.Alu(amd64.Sub, amd64.W64, amd64.RAX, amd64.RCX)
	a.Pop(amd64.RCX)
	a.Alu(amd64.Add, amd64.W64, amd64.RCX, amd64.RDX)
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RAX, amd64.M(amd64.RCX, descLimit))
	a.Jcc(amd64.CondAE, failPopped)
	a.AluLoad(amd64.Add, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, descHost))
	if c.opts.Watch {
		c.emitWatchCheck()
	} else {
		a.Ret()
	}
	a.Bind(fail)
	a.Pop(amd64.RCX)
	a.Bind(failPopped)
	a.Pop(amd64.RCX) // the return address: RSP points at the context again
	a.StoreImm(amd64.W64, ctx(ctxExitCode), exitAccess)
	a.Jmp(c.exitL)

	// The last region starting at or below RAX, or the empty descriptor.
	loop, none := a.NewLabel(), a.NewLabel()
	a.Bind(search)
	a.Load(amd64.W64, amd64.RCX, ctx(16+ctxRegionCount))
	a.Load(amd64.W64, amd64.RDX, ctx(16+ctxRegionLast))
	a.Bind(loop)
	a.Test(amd64.W64, amd64.RCX, amd64.RCX)
	a.Jcc(amd64.CondE, none)
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, descVM))
	a.Jcc(amd64.CondAE, found)
	a.AluImm(amd64.Sub, amd64.W64, amd64.RDX, descSize)
	a.AluImm(amd64.Sub, amd64.W64, amd64.RCX, 1)
	a.Jmp(loop)
	a.Bind(none)
	a.Lea(amd64.RDX, ctx(16+ctxEmpty))
	a.Jmp(found)
}
