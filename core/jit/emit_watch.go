package jit

import "github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"

// emitWatchCheck ends the translation routine of a program compiled with
// Options.Watch, in place of its RET: RAX is the host address of an
// allowed access, RCX the descriptor plus 8*idx, RDX the descriptor, and
// the slow path has stored the instruction index in exitPC and the VM
// address in exitArg (the native stack holds the return address: ctx
// offsets +8, and +8 more per word pushed here).
//
// The access is compared with the run's watches for its index (a list of
// {start, span} pairs; it hits when address - start <= span, which covers
// every access with a byte in the range). On a hit it records the
// instruction, the address, the index, the bytes at the address (a load
// of the access's own size, so nothing outside the region is read) and the
// budget, and zeroes the budget: the access runs, and the meter check at
// the start of the next slot (a load or store always ends its segment)
// returns to Go, which reports the hit, gives the budget back and resumes
// there. It returns with RAX unchanged either way.
func (c *compiler) emitWatchCheck() {
	a := &c.a
	loop, none, hit := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Alu(amd64.Sub, amd64.W64, amd64.RCX, amd64.RDX)
	a.Push(amd64.RAX)
	a.Push(amd64.RCX)
	const in = 24 // ctx offset with the return address and two words pushed
	a.Load(amd64.W64, amd64.RDX, amd64.MI(amd64.RSP, amd64.RCX, 2, in+ctxWatchLists))
	a.Load(amd64.W64, amd64.RCX, amd64.MI(amd64.RSP, amd64.RCX, 2, in+ctxWatchLists+8))
	a.Bind(loop)
	a.Test(amd64.W64, amd64.RCX, amd64.RCX)
	a.Jcc(amd64.CondE, none)
	a.Load(amd64.W64, amd64.RAX, ctx(in+ctxExitArg))
	a.AluLoad(amd64.Sub, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, 0))
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RAX, amd64.M(amd64.RDX, 8))
	a.Jcc(amd64.CondBE, hit)
	a.AluImm(amd64.Add, amd64.W64, amd64.RDX, 16)
	a.AluImm(amd64.Sub, amd64.W64, amd64.RCX, 1)
	a.Jmp(loop)
	a.Bind(none)
	a.Pop(amd64.RCX)
	a.Pop(amd64.RAX)
	a.Ret()

	a.Bind(hit)
	a.Pop(amd64.RCX)
	const at = 16 // one word pushed now
	a.Store(amd64.W64, ctx(at+ctxWatchIdx), amd64.RCX)
	a.Load(amd64.W64, amd64.RAX, amd64.M(amd64.RSP, 0))
	c.emitLoadOld()
	a.Store(amd64.W64, ctx(at+ctxWatchOld), amd64.RDX)
	a.Load(amd64.W64, amd64.RDX, ctx(at+ctxExitPC))
	a.Store(amd64.W64, ctx(at+ctxWatchPC), amd64.RDX)
	a.Load(amd64.W64, amd64.RDX, ctx(at+ctxExitArg))
	a.Store(amd64.W64, ctx(at+ctxWatchAddr), amd64.RDX)
	a.Store(amd64.W64, ctx(at+ctxWatchRem), remReg)
	a.StoreImm(amd64.W64, ctx(at+ctxWatchPend), 1)
	a.Alu(amd64.Xor, amd64.W32, remReg, remReg)
	a.Pop(amd64.RAX)
	a.Ret()
}

// emitLoadOld loads into RDX the bytes at host address RAX, as many as the
// access whose 8*idx is in RCX makes (RCX changes).
func (c *compiler) emitLoadOld() {
	a := &c.a
	one, two, four, done := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.AluImm(amd64.And, amd64.W32, amd64.RCX, 24)
	a.AluImm(amd64.Cmp, amd64.W32, amd64.RCX, 8)
	a.Jcc(amd64.CondB, one)
	a.Jcc(amd64.CondE, two)
	a.AluImm(amd64.Cmp, amd64.W32, amd64.RCX, 16)
	a.Jcc(amd64.CondE, four)
	a.Load(amd64.W64, amd64.RDX, amd64.M(amd64.RAX, 0))
	a.Jmp(done)
	a.Bind(one)
	a.Load(amd64.W8, amd64.RDX, amd64.M(amd64.RAX, 0))
	a.Jmp(done)
	a.Bind(two)
	a.Load(amd64.W16, amd64.RDX, amd64.M(amd64.RAX, 0))
	a.Jmp(done)
	a.Bind(four)
	a.Load(amd64.W32, amd64.RDX, amd64.M(amd64.RAX, 0))
	a.Bind(done)
}
