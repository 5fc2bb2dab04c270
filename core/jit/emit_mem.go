package jit

import (
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// sizeOf returns the access width of a load or store opcode and log2 of
// its byte size.
func sizeOf(opc ebpf.OpCode) (Width, int) {
	lg := bits.TrailingZeros64(opc.AccessSize())
	return [...]Width{W8, W16, W32, W64}[lg], lg
}

// emitLoadStore emits ldx, st and stx. The address is reg+off for ldx
// (src) and st/stx (dst).
func (c *compiler) emitLoadStore(pc int, in ebpf.Insn) {
	a := &c.a
	w, lg := sizeOf(in.Opc)
	class := in.Opc & ebpf.ClassMask
	var base Reg
	if class == ebpf.ClassLdx {
		base = reg(in.Src)
	} else {
		base = reg(in.Dst)
	}
	addr := func() { a.Lea(RAX, M(base, int32(in.Off))) }
	store := class != ebpf.ClassLdx
	idx := lg
	if store {
		idx += 4
	}
	access := func() {
		switch class {
		case ebpf.ClassLdx:
			a.Load(w, reg(in.Dst), M(RAX, 0))
		case ebpf.ClassStx:
			a.Store(w, M(RAX, 0), reg(in.Src))
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
func (c *compiler) storeImm(w Width, imm int32) {
	if c.blind.on {
		c.blindedImm(RCX, imm)
		c.a.Store(w, M(RAX, 0), RCX)
		return
	}
	c.a.StoreImm(w, M(RAX, 0), imm)
}

// emitLdAbsInd emits the legacy packet loads: r0 = the value at
// MM_INPUT_START + uint32(imm) (+ src for the indirect forms).
func (c *compiler) emitLdAbsInd(pc int, in ebpf.Insn) {
	a := &c.a
	w, lg := sizeOf(in.Opc)
	addr := func() {
		a.MovImm(RAX, int64(uint32(in.Imm)))
		a.MovImm(RCX, int64(ebpf.MMInputStart))
		a.Alu(Add, W64, RAX, RCX)
		if in.Opc&0xe0 == ebpf.ModeInd {
			a.Alu(Add, W64, RAX, reg(in.Src))
		}
	}
	c.emitAccess(pc, lg, fastInput, addr, func() { a.Load(w, reg(0), M(RAX, 0)) })
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
	var desc Mem
	if fast == fastFrame {
		a.Load(W64, RCX, ctx(ctxCurFrame))
		desc = M(RCX, 0)
	} else {
		desc = ctx(ctxInput)
	}
	at := func(off int32) Mem { d := desc; d.Disp += off; return d }
	a.AluLoad(Sub, W64, RAX, at(descVM))
	a.AluLoad(Cmp, W64, RAX, at(descLimit+int32(8*idx)))
	hole := a.JccHole(CondAE)
	a.AluLoad(Add, W64, RAX, at(descHost))
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
		a.MovImm32(RCX, uint32(s.pc))
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
			a.Load(W64, RDX, ctx(8+ctxCurFrame))
			a.AluLoad(Add, W64, RAX, M(RDX, descVM))
		} else {
			a.AluLoad(Add, W64, RAX, ctx(8+ctxInput+descVM))
		}
		a.MovImm32(RDX, uint32(8*(k%8)))
		a.Jmp(common)
	}
	a.Bind(common)
	a.Store(W64, ctx(8+ctxExitPC), RCX)
	a.Store(W64, ctx(8+ctxExitArg), RAX)
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
	a.Push(RDX)
	a.Mov(W64, RDX, RAX)
	a.Shift(Shr, W64, RDX, 32)
	a.AluImm(Cmp, W64, RDX, 16)
	a.Jcc(CondAE, search)
	a.Load(W64, RDX, MI(RSP, RDX, 8, 16+ctxBuckets))
	a.Test(W64, RDX, RDX)
	a.Jcc(CondE, search)
	a.Bind(found)
	a.AluLoad(Sub, W64, RAX, M(RDX, descVM))
	a.TestMem(W64, M(RDX, descGapBit), RAX)
	a.Jcc(CondNE, fail)
	a.Mov(W64, RCX, RAX)
	a.Shift(Shr, W64, RCX, 1)
	a.AluLoad(And, W64, RCX, M(RDX, descHiMask))
	a.Alu(Sub, W64, RAX, RCX)
	a.Pop(RCX)
	a.Alu(Add, W64, RCX, RDX)
	a.AluLoad(Cmp, W64, RAX, M(RCX, descLimit))
	a.Jcc(CondAE, failPopped)
	a.AluLoad(Add, W64, RAX, M(RDX, descHost))
	a.Ret()
	a.Bind(fail)
	a.Pop(RCX)
	a.Bind(failPopped)
	a.Pop(RCX) // the return address: RSP points at the context again
	a.StoreImm(W64, ctx(ctxExitCode), exitAccess)
	a.Jmp(c.exitL)

	// The last region starting at or below RAX, or the empty descriptor.
	loop, none := a.NewLabel(), a.NewLabel()
	a.Bind(search)
	a.Load(W64, RCX, ctx(16+ctxRegionCount))
	a.Load(W64, RDX, ctx(16+ctxRegionLast))
	a.Bind(loop)
	a.Test(W64, RCX, RCX)
	a.Jcc(CondE, none)
	a.AluLoad(Cmp, W64, RAX, M(RDX, descVM))
	a.Jcc(CondAE, found)
	a.AluImm(Sub, W64, RDX, descSize)
	a.AluImm(Sub, W64, RCX, 1)
	a.Jmp(loop)
	a.Bind(none)
	a.Lea(RDX, ctx(16+ctxEmpty))
	a.Jmp(found)
}
