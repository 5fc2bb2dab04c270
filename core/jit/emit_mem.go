package jit

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// sizeOf returns the access width of a load or store opcode and log2 of
// its byte size.
func sizeOf(opc uint8) (Width, int) {
	switch opc & 0x18 {
	case ebpf.SizeB:
		return W8, 0
	case ebpf.SizeH:
		return W16, 1
	case ebpf.SizeW:
		return W32, 2
	}
	return W64, 3
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
// checked inline; anything else takes the complete translation out of
// line. Both end up in the same access code shape.
func (c *compiler) emitAccess(pc, idx, fast int, addr, access func()) {
	a := &c.a
	slow, done := a.NewLabel(), a.NewLabel()
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
	a.Jcc(CondAE, slow)
	a.AluLoad(Add, W64, RAX, at(descHost))
	access()
	a.Bind(done)
	c.later(func() {
		bad := a.NewLabel()
		a.Bind(slow)
		addr()
		a.MovImm32(RDX, uint32(8*idx))
		a.Call(c.translateL)
		a.Jcc(CondB, bad)
		access()
		a.Jmp(done)
		a.Bind(bad)
		addr()
		a.MovImm32(RCX, uint32(pc))
		a.Jmp(c.violationL)
	})
}

// emitTranslate emits the shared complete translation, called with the
// VM address in RAX and 8*idx in RDX (idx: log2 of the access size, +4 for
// stores). It returns with the host address in RAX and the carry flag
// clear, or with the carry flag set when the interpreter would refuse the
// access. RCX and RDX change. The native stack holds the return address
// and the saved index, hence ctx offsets +16 while both are there.
//
// The address's 4 GiB bucket selects a region descriptor directly when the
// bucket holds a single region (the usual layout); otherwise the sorted
// descriptors are searched backwards, as the interpreter's lookup does.
// The gap arithmetic of stack frames is folded into two masks so that the
// same code serves gapped and contiguous regions.
func (c *compiler) emitTranslate() {
	a := &c.a
	search, found, fail, failPopped := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(c.translateL)
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
	a.Clc()
	a.Ret()
	a.Bind(fail)
	a.Pop(RCX)
	a.Bind(failPopped)
	a.Stc()
	a.Ret()

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

// emitViolation emits the shared exit of a refused access: RAX holds the
// address, RCX the instruction index.
func (c *compiler) emitViolation() {
	a := &c.a
	a.Bind(c.violationL)
	a.Store(W64, ctx(ctxExitArg), RAX)
	a.Store(W64, ctx(ctxExitPC), RCX)
	a.StoreImm(W64, ctx(ctxExitCode), exitAccess)
	a.Jmp(c.exitL)
}
