package jit

import "github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"

// emitEntry is the routine the trampoline jumps to: it loads the eBPF
// registers and the meter budget from the context and continues at the
// saved resume address.
func (c *compiler) emitEntry() {
	a := &c.a
	for i, r := range ebpfReg {
		a.Load(amd64.W64, r, ctx(ctxRegs+int32(8*i)))
	}
	a.Load(amd64.W64, remReg, ctx(ctxRem))
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
		a.Store(amd64.W64, ctx(ctxRegs+int32(8*i)), r)
	}
	a.Store(amd64.W64, ctx(ctxRem), remReg)
	a.Load(amd64.W64, amd64.RBP, ctx(ctxGoBP))
	a.Load(amd64.W64, amd64.R14, ctx(ctxGoR14))
	a.Load(amd64.W64, amd64.R15, ctx(ctxGoR15))
	a.Load(amd64.W64, amd64.RSP, ctx(ctxGoSP))
	a.Ret()
}

// emitMeterCheck charges a segment of n instructions starting at pc. When
// the budget does not cover the whole segment the cold path works out
// where exactly the interpreter would stop.
// The stub passes only pc: the trip routine reads n from the dispatch
// table, which holds every segment start's length.
func (c *compiler) emitMeterCheck(pc, n int) {
	a := &c.a
	a.AluImm(amd64.Sub, amd64.W64, remReg, int32(n))
	hole := a.JccHole(amd64.CondLE)
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
	a.Load(amd64.W64, amd64.RAX, ctx(ctxExitArg))
	a.Jmp(c.dispatchL)

	c.tripIndexAt = a.Len()
	a.LeaLabel(amd64.RDX, c.tableL)
	a.Load(amd64.W32, amd64.RDX, amd64.MI(amd64.RDX, amd64.RCX, 8, 4))
	a.Bind(c.tripL)
	a.Store(amd64.W64, ctx(ctxExitArg), amd64.RCX)
	a.LeaLabel(amd64.RAX, c.resumeL)
	a.Store(amd64.W64, ctx(ctxResume), amd64.RAX)
	a.Lea(amd64.RAX, amd64.MI(remReg, amd64.RDX, 1, 0))
	a.Test(amd64.W64, amd64.RAX, amd64.RAX)
	a.Jcc(amd64.CondLE, c.trippedL)
	inside := a.NewLabel()
	a.Alu(amd64.Cmp, amd64.W64, amd64.RAX, amd64.RDX)
	a.Jcc(amd64.CondL, inside)
	a.Lea(amd64.RAX, amd64.MI(amd64.RCX, amd64.RDX, 1, -1))
	a.Store(amd64.W64, ctx(ctxTripPC), amd64.RAX)
	a.Mov(amd64.W64, amd64.RAX, amd64.RCX)
	a.Jmp(c.continueL)

	a.Bind(inside)
	a.Mov(amd64.W64, remReg, amd64.RAX)
	a.Lea(amd64.RAX, amd64.MI(amd64.RCX, amd64.RAX, 1, -1))
	a.Store(amd64.W64, ctx(ctxExitPC), amd64.RAX)
	a.StoreImm(amd64.W64, ctx(ctxExitCode), exitTrip)
	a.Jmp(c.exitL)

	a.Bind(c.trippedL)
	a.Load(amd64.W64, amd64.RAX, ctx(ctxTripPC))
	a.Store(amd64.W64, ctx(ctxExitPC), amd64.RAX)
	a.Alu(amd64.Xor, amd64.W32, remReg, remReg)
	a.StoreImm(amd64.W64, ctx(ctxExitCode), exitTrip)
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
	a.LeaLabel(amd64.RCX, c.tableL)
	a.Load(amd64.W32, amd64.RDX, amd64.MI(amd64.RCX, amd64.RAX, 8, 4))
	a.Alu(amd64.Sub, amd64.W64, remReg, amd64.RDX)
	a.Jcc(amd64.CondLE, c.dispatchTripL)
	a.Bind(c.continueL)
	a.LeaLabel(amd64.RCX, c.tableL)
	a.Load(amd64.W32, amd64.RDX, amd64.MI(amd64.RCX, amd64.RAX, 8, 0))
	a.LeaLabel(amd64.RCX, c.base)
	a.Alu(amd64.Add, amd64.W64, amd64.RDX, amd64.RCX)
	a.JmpReg(amd64.RDX)

	a.Bind(c.dispatchTripL)
	a.Mov(amd64.W64, amd64.RCX, amd64.RAX)
	a.Jmp(c.tripL)
}

// emitExit leaves the generated code with an exit code, its instruction
// index and argument, through the shared exitWith routine (12-22 bytes a
// site instead of 40: instructions that fail by themselves, such as
// unknown opcodes, compile to nothing else).
func (c *compiler) emitExit(code int, pc int64, arg uint64) {
	a := &c.a
	a.MovImm32(amd64.RAX, uint32(code))
	a.MovImm(amd64.RCX, pc)
	a.MovImm(amd64.RDX, int64(arg))
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
	a.Store(amd64.W64, ctx(ctxExitCode), amd64.RAX)
	a.Store(amd64.W64, ctx(ctxExitPC), amd64.RCX)
	a.Store(amd64.W64, ctx(ctxExitArg), amd64.RDX)
	a.Jmp(c.exitL)
}

// storeWord stores a 64-bit constant into a context field.
func (c *compiler) storeWord(off int32, v uint64) {
	if int64(v) == int64(int32(v)) {
		c.a.StoreImm(amd64.W64, ctx(off), int32(v))
		return
	}
	c.a.MovImm(amd64.RAX, int64(v))
	c.a.Store(amd64.W64, ctx(off), amd64.RAX)
}

// emitOverrun is the code of an index outside the text: the budget may
// have run out on the jump that got here (the interpreter checks the meter
// before the end of the text), otherwise execution overran.
func (c *compiler) emitOverrun(target int) {
	a := &c.a
	if c.cfg.EnableInstructionMeter {
		again, ok := a.NewLabel(), a.NewLabel()
		a.Bind(again)
		a.Test(amd64.W64, remReg, remReg)
		a.Jcc(amd64.CondG, ok)
		a.LeaLabel(amd64.RAX, again)
		a.Store(amd64.W64, ctx(ctxResume), amd64.RAX)
		a.Jmp(c.trippedL)
		a.Bind(ok)
	}
	c.emitExit(exitOverrun, int64(target), 0)
}

// outsideLabel returns the label of the overrun path for a jump target
// outside [0, n].
func (c *compiler) outsideLabel(target int) amd64.Label {
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
	a.Load(amd64.W64, amd64.RAX, ctx(ctxTraceCur))
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RAX, ctx(ctxTraceEnd))
	a.Jcc(amd64.CondAE, full)
	for i, r := range ebpfReg {
		a.Store(amd64.W64, amd64.M(amd64.RAX, int32(8*i)), r)
	}
	a.StoreImm(amd64.W64, amd64.M(amd64.RAX, 88), int32(pc))
	a.AluImm(amd64.Add, amd64.W64, amd64.RAX, 8*traceWords)
	a.Store(amd64.W64, ctx(ctxTraceCur), amd64.RAX)
	c.later(func() {
		a.Bind(full)
		a.LeaLabel(amd64.RAX, check)
		a.Store(amd64.W64, ctx(ctxResume), amd64.RAX)
		a.StoreImm(amd64.W64, ctx(ctxExitCode), exitTraceFull)
		a.Jmp(c.exitL)
	})
}
