package jit

// emitEntry is the routine the trampoline jumps to: it loads the eBPF
// registers and the meter budget from the context and continues at the
// saved resume address.
func (c *compiler) emitEntry() {
	a := &c.a
	for i, r := range ebpfReg {
		a.Load(W64, r, ctx(ctxRegs+int32(8*i)))
	}
	a.Load(W64, remReg, ctx(ctxRem))
	a.JmpMem(ctx(ctxResume))
}

// emitShared emits the routines every slot may jump to.
func (c *compiler) emitShared() {
	c.emitExitRoutine()
	c.emitExitWith()
	c.emitTripRoutines()
	c.emitDispatch()
	c.emitSlowPaths()
}

// emitExitRoutine saves the eBPF registers and the budget, restores Go's
// registers and returns from the trampoline to its Go caller. The exit code
// and its details are stored by whoever jumps here.
func (c *compiler) emitExitRoutine() {
	a := &c.a
	a.Bind(c.exitL)
	for i, r := range ebpfReg {
		a.Store(W64, ctx(ctxRegs+int32(8*i)), r)
	}
	a.Store(W64, ctx(ctxRem), remReg)
	a.Load(W64, RBP, ctx(ctxGoBP))
	a.Load(W64, R14, ctx(ctxGoR14))
	a.Load(W64, R15, ctx(ctxGoR15))
	a.Load(W64, RSP, ctx(ctxGoSP))
	a.Ret()
}

// emitMeterCheck charges a segment of n instructions starting at pc. When
// the budget does not cover the whole segment the cold path works out
// where exactly the interpreter would stop.
// The stub passes only pc: the trip routine reads n from the dispatch
// table, which holds every segment start's length.
func (c *compiler) emitMeterCheck(pc, n int) {
	a := &c.a
	a.AluImm(Sub, W64, remReg, int32(n))
	hole := a.JccHole(CondLE)
	c.stubs = append(c.stubs, stub{hole: int32(hole), pc: int32(pc), slow: -1})
}

// emitTripRoutines emits the meter's slow path. On entry RCX is the first
// index of a segment, RDX its length and the budget has already been
// reduced by RDX; k = budget + RDX is how many of its instructions the
// budget allowed. The interpreter stops after the k-th instruction:
//
//   - k <= 0: the budget ran out at the end of an earlier segment, whose
//     last instruction was recorded in tripPC;
//   - k < length: inside this segment, whose leading instructions are pure,
//     so stopping right away is indistinguishable;
//   - k == length: after the last instruction, which may still fail or
//     exit first; record it in tripPC and run the segment, and the next
//     check finds the budget at 0.
//
// The budget the code gets may be smaller than the meter's (or the meter
// may be off): the executor caps it so that long runs return to Go now and
// then. Every trip therefore records where to resume (the segment start,
// charged again through the dispatcher) and leaves the budget at what it
// was before the segment; Go decides whether it was the meter or a pause.
func (c *compiler) emitTripRoutines() {
	a := &c.a
	a.Bind(c.resumeL)
	a.Load(W64, RAX, ctx(ctxExitArg))
	a.Jmp(c.dispatchL)

	c.tripIndexAt = a.Len()
	a.LeaLabel(RDX, c.tableL)
	a.Load(W32, RDX, MI(RDX, RCX, 8, 4))
	a.Bind(c.tripL)
	a.Store(W64, ctx(ctxExitArg), RCX)
	a.LeaLabel(RAX, c.resumeL)
	a.Store(W64, ctx(ctxResume), RAX)
	a.Lea(RAX, MI(remReg, RDX, 1, 0))
	a.Test(W64, RAX, RAX)
	a.Jcc(CondLE, c.trippedL)
	inside := a.NewLabel()
	a.Alu(Cmp, W64, RAX, RDX)
	a.Jcc(CondL, inside)
	a.Lea(RAX, MI(RCX, RDX, 1, -1))
	a.Store(W64, ctx(ctxTripPC), RAX)
	a.Mov(W64, RAX, RCX)
	a.Jmp(c.continueL)

	a.Bind(inside)
	a.Mov(W64, remReg, RAX)
	a.Lea(RAX, MI(RCX, RAX, 1, -1))
	a.Store(W64, ctx(ctxExitPC), RAX)
	a.StoreImm(W64, ctx(ctxExitCode), exitTrip)
	a.Jmp(c.exitL)

	a.Bind(c.trippedL)
	a.Load(W64, RAX, ctx(ctxTripPC))
	a.Store(W64, ctx(ctxExitPC), RAX)
	a.Alu(Xor, W32, remReg, remReg)
	a.StoreImm(W64, ctx(ctxExitCode), exitTrip)
	a.Jmp(c.exitL)
}

// emitDispatch emits the jump to a slot known only at run time (callx, and
// resuming after a budget slice): RAX holds an index already checked
// against the text size. The table gives the slot's body and how many
// instructions entering there charges, which differs from the segment's
// when entering its middle.
func (c *compiler) emitDispatch() {
	a := &c.a
	a.Bind(c.dispatchL)
	a.LeaLabel(RCX, c.tableL)
	a.Load(W32, RDX, MI(RCX, RAX, 8, 4))
	a.Alu(Sub, W64, remReg, RDX)
	a.Jcc(CondLE, c.dispatchTripL)
	a.Bind(c.continueL)
	a.LeaLabel(RCX, c.tableL)
	a.Load(W32, RDX, MI(RCX, RAX, 8, 0))
	a.LeaLabel(RCX, c.base)
	a.Alu(Add, W64, RDX, RCX)
	a.JmpReg(RDX)

	a.Bind(c.dispatchTripL)
	a.Mov(W64, RCX, RAX)
	a.Jmp(c.tripL)
}

// emitExit leaves the generated code with an exit code, its instruction
// index and argument, through the shared exitWith routine (12-22 bytes a
// site instead of 40: instructions that fail by themselves, such as
// unknown opcodes, compile to nothing else).
func (c *compiler) emitExit(code int, pc int64, arg uint64) {
	a := &c.a
	a.MovImm32(RAX, uint32(code))
	a.MovImm(RCX, pc)
	a.MovImm(RDX, int64(arg))
	a.Jmp(c.exitWithL)
}

// emitExitWith is the routine emitExit jumps to: exit code in RAX,
// instruction index in RCX, argument in RDX. (Placed after the slot code,
// like every routine, so that the slot code starts where it always did:
// moving loops by a few bytes changes their speed by up to a fifth on
// this machine, through the alignment of their jumps.)
func (c *compiler) emitExitWith() {
	a := &c.a
	a.Bind(c.exitWithL)
	a.Store(W64, ctx(ctxExitCode), RAX)
	a.Store(W64, ctx(ctxExitPC), RCX)
	a.Store(W64, ctx(ctxExitArg), RDX)
	a.Jmp(c.exitL)
}

// storeWord stores a 64-bit constant into a context field.
func (c *compiler) storeWord(off int32, v uint64) {
	if int64(v) == int64(int32(v)) {
		c.a.StoreImm(W64, ctx(off), int32(v))
		return
	}
	c.a.MovImm(RAX, int64(v))
	c.a.Store(W64, ctx(off), RAX)
}

// emitOverrun is the code of an index outside the text: the budget may
// have run out on the jump that got here (the interpreter checks the meter
// before the end of the text), otherwise execution overran.
func (c *compiler) emitOverrun(target int) {
	a := &c.a
	if c.cfg.EnableInstructionMeter {
		again, ok := a.NewLabel(), a.NewLabel()
		a.Bind(again)
		a.Test(W64, remReg, remReg)
		a.Jcc(CondG, ok)
		a.LeaLabel(RAX, again)
		a.Store(W64, ctx(ctxResume), RAX)
		a.Jmp(c.trippedL)
		a.Bind(ok)
	}
	c.emitExit(exitOverrun, int64(target), 0)
}

// outsideLabel returns the label of the overrun path for a jump target
// outside [0, n].
func (c *compiler) outsideLabel(target int) Label {
	if target >= 0 && target <= c.n {
		return c.labels[target]
	}
	if l, ok := c.outside[target]; ok {
		return l
	}
	l := c.a.NewLabel()
	c.outside[target] = l
	c.later(func() {
		c.a.Bind(l)
		c.emitOverrun(target)
	})
	return l
}

// emitTrace records r0-r10 and pc into the trace buffer, first leaving to
// Go to empty it when full (execution then resumes at the check).
func (c *compiler) emitTrace(pc int) {
	a := &c.a
	check, full := a.NewLabel(), a.NewLabel()
	a.Bind(check)
	a.Load(W64, RAX, ctx(ctxTraceCur))
	a.AluLoad(Cmp, W64, RAX, ctx(ctxTraceEnd))
	a.Jcc(CondAE, full)
	for i, r := range ebpfReg {
		a.Store(W64, M(RAX, int32(8*i)), r)
	}
	a.StoreImm(W64, M(RAX, 88), int32(pc))
	a.AluImm(Add, W64, RAX, 8*traceWords)
	a.Store(W64, ctx(ctxTraceCur), RAX)
	c.later(func() {
		a.Bind(full)
		a.LeaLabel(RAX, check)
		a.Store(W64, ctx(ctxResume), RAX)
		a.StoreImm(W64, ctx(ctxExitCode), exitTraceFull)
		a.Jmp(c.exitL)
	})
}
