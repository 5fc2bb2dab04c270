package jit

import (
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
)

// condOfOp maps an eBPF jump operation (opcode bits 4-7) to the x86
// condition that takes it after CMP dst, src (JSET uses TEST instead).
var condOfOp = [16]amd64.Cond{
	0x1: amd64.CondE, 0x2: amd64.CondA, 0x3: amd64.CondAE, 0x4: amd64.CondNE, 0x5: amd64.CondNE,
	0x6: amd64.CondG, 0x7: amd64.CondGE, 0xa: amd64.CondB, 0xb: amd64.CondBE, 0xc: amd64.CondL, 0xd: amd64.CondLE,
}

// emitJmp emits jumps, calls and exit.
func (c *compiler) emitJmp(pc int, in ebpf.Insn) {
	switch in.Opc {
	case ebpf.Ja:
		c.a.Jmp(c.outsideLabel(ebpf.JumpTarget(pc, in.Off)))
	case ebpf.CallImm:
		c.emitCall(pc, in)
	case ebpf.CallReg:
		c.emitCallx(pc, in)
	case ebpf.Exit:
		c.emitReturn(pc)
	default:
		c.emitBranch(pc, in)
	}
}

// emitBranch compares and jumps; falling through continues at pc+1.
func (c *compiler) emitBranch(pc int, in ebpf.Insn) {
	a := &c.a
	dst := reg(in.Dst)
	op := in.Opc & ebpf.AluOpMask
	switch {
	case in.Opc&ebpf.SrcX != 0 && op == ebpf.OpJset:
		a.Test(amd64.W64, dst, reg(in.Src))
	case in.Opc&ebpf.SrcX != 0:
		a.Alu(amd64.Cmp, amd64.W64, dst, reg(in.Src))
	case c.blind.on:
		c.blindedImm(amd64.RAX, in.Imm)
		if op == ebpf.OpJset {
			a.Test(amd64.W64, dst, amd64.RAX)
		} else {
			a.Alu(amd64.Cmp, amd64.W64, dst, amd64.RAX)
		}
	case op == ebpf.OpJset:
		a.TestImm(amd64.W64, dst, in.Imm)
	case in.Imm == 0 && c.zeroFlagSet(pc, in):
		// The previous instruction left ZF as dst == 0. callx, which
		// may enter any slot, enters this one through a stub that sets
		// the flags first: the dispatch table points at it.
		c.later(func() {
			c.bodies[pc] = a.Len()
			a.Test(amd64.W64, dst, dst)
			a.Jmp(c.labels[pc])
		})
	case in.Imm == 0:
		// Sets the flags exactly as cmp dst, 0 does (CF = OF = 0), a byte
		// shorter.
		a.Test(amd64.W64, dst, dst)
	default:
		a.AluImm(amd64.Cmp, amd64.W64, dst, in.Imm)
	}
	a.Jcc(condOfOp[op>>4], c.outsideLabel(ebpf.JumpTarget(pc, in.Off)))
}

// zeroFlagSet reports whether `jeq/jne dst, 0` in slot pc can use the
// zero flag its predecessor left: the slot is not a segment start, so
// only falling through from pc-1 reaches its code (no meter check, trace
// or jump lands in between; callx, which can enter anywhere, is routed
// through a stub by emitBranch), and pc-1 is a 64-bit add, sub, or, and,
// xor or neg of the same register, whose x86 instruction sets ZF from the
// 64-bit result and is the last thing emitted. The usual loop back-edge
// `sub64 rN, 1; jne rN, 0, loop` then costs one x86 instruction less.
func (c *compiler) zeroFlagSet(pc int, in ebpf.Insn) bool {
	if in.Opc != ebpf.JeqImm && in.Opc != ebpf.JneImm || pc == 0 || c.leader[pc] || c.blind.on {
		return false
	}
	prev := c.insns[pc-1]
	if prev.Opc&ebpf.ClassMask != ebpf.ClassAlu64 || prev.Dst != in.Dst {
		return false
	}
	if _, _, fails := staticFailure(prev, pc-1, c.n); fails {
		return false
	}
	switch prev.Opc & ebpf.AluOpMask {
	case ebpf.OpAdd, ebpf.OpSub, ebpf.OpOr, ebpf.OpAnd, ebpf.OpXor, ebpf.OpNeg:
		return true
	}
	return false
}

// emitCall emits `call imm`: a syscall (handled by Go), a function, or the
// unresolved-symbol error, in the interpreter's order.
func (c *compiler) emitCall(pc int, in ebpf.Insn) {
	hash := uint32(in.Imm)
	if _, ok := c.exe.Syscalls.Lookup(hash); ok {
		c.emitSyscall(pc, hash)
		return
	}
	target, ok := c.exe.Program.LookupFunction(hash)
	if !ok {
		c.emitExit(exitUnresolved, int64(pc), 0)
		return
	}
	c.emitPushFrame(pc)
	if target < 0 || target >= c.n {
		c.emitExit(exitCallOutside, int64(pc), c.exe.Program.TextVaddr+uint64(target)*ebpf.InsnSize)
		return
	}
	c.a.Jmp(c.labels[target])
}

// syscallOrdinal numbers the distinct syscall hashes the program calls,
// so that the executor resolves each to the VM's syscall once per run.
func (c *compiler) syscallOrdinal(hash uint32) int {
	for i, h := range c.syscalls {
		if h == hash {
			return i
		}
	}
	c.syscalls = append(c.syscalls, hash)
	return len(c.syscalls) - 1
}

// emitSyscall leaves to Go, which runs the syscall, stores r0 and resumes
// right after.
func (c *compiler) emitSyscall(pc int, hash uint32) {
	a := &c.a
	after := a.NewLabel()
	c.storeWord(ctxExitPC, uint64(pc))
	c.storeWord(ctxExitArg, uint64(c.syscallOrdinal(hash)))
	a.StoreImm(amd64.W64, ctx(ctxExitCode), exitSyscall)
	a.LeaLabel(amd64.RAX, after)
	a.Store(amd64.W64, ctx(ctxResume), amd64.RAX)
	a.Jmp(c.exitL)
	a.Bind(after)
}

// emitPushFrame saves r6-r9 and the return address in the current call
// frame record and moves to the next one, taking r10 and the frame fast
// path from it, or leaves with CallDepthExceeded. The records carry those
// per-frame constants (see frameWords) so a call needs no arithmetic.
func (c *compiler) emitPushFrame(pc int) {
	a := &c.a
	deep := a.NewLabel()
	a.Load(amd64.W64, amd64.RCX, ctx(ctxFrame))
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RCX, ctx(ctxFrameLimit))
	a.Jcc(amd64.CondAE, deep)
	c.later(func() {
		a.Bind(deep)
		c.emitExit(exitCallDepth, int64(pc), 0)
	})
	for i := 0; i < 4; i++ {
		a.Store(amd64.W64, amd64.M(amd64.RCX, int32(8*i)), reg(uint8(ebpf.FirstScratchReg+i)))
	}
	a.LeaLabel(amd64.RAX, c.returnLabel(pc+1))
	a.Store(amd64.W64, amd64.M(amd64.RCX, 8*frameRet), amd64.RAX)
	a.Load(amd64.W64, reg(ebpf.StackReg), amd64.M(amd64.RCX, 8*frameCalleeTop))
	a.Load(amd64.W64, amd64.RAX, amd64.M(amd64.RCX, 8*frameCalleeDesc))
	a.Store(amd64.W64, ctx(ctxCurFrame), amd64.RAX)
	a.AluImm(amd64.Add, amd64.W64, amd64.RCX, 8*frameWords)
	a.Store(amd64.W64, ctx(ctxFrame), amd64.RCX)
}

// returnLabel is where an exit returning to index ret continues: the slot
// itself (a segment start, so it charges the meter), or, for a call in the
// last slot, a path failing with CallOutsideTextSegment. That error names
// the exit instruction, whose index the exit leaves in RAX.
func (c *compiler) returnLabel(ret int) amd64.Label {
	if ret < c.n {
		return c.labels[ret]
	}
	if c.lastReturn >= 0 {
		return c.lastReturn
	}
	l := c.a.NewLabel()
	c.lastReturn = l
	c.later(func() {
		a := &c.a
		a.Bind(l)
		a.Store(amd64.W64, ctx(ctxExitPC), amd64.RAX)
		a.MovImm(amd64.RDX, int64(c.exe.Program.TextVaddr+uint64(ret)*ebpf.InsnSize))
		a.Store(amd64.W64, ctx(ctxExitArg), amd64.RDX)
		a.StoreImm(amd64.W64, ctx(ctxExitCode), exitCallOutside)
		a.Jmp(c.exitL)
	})
	return l
}

// emitCallx emits `callx`: the target is read before the frame is pushed
// (the register may be r10), and checked after.
func (c *compiler) emitCallx(pc int, in ebpf.Insn) {
	a := &c.a
	a.Mov(amd64.W64, amd64.RDX, reg(uint8(in.Imm)))
	c.emitPushFrame(pc)
	low, high := a.NewLabel(), a.NewLabel()
	a.MovImm(amd64.RCX, int64(c.exe.Program.TextVaddr))
	a.Mov(amd64.W64, amd64.RAX, amd64.RDX)
	a.Alu(amd64.Sub, amd64.W64, amd64.RAX, amd64.RCX)
	a.Jcc(amd64.CondB, low)
	a.Shift(amd64.Shr, amd64.W64, amd64.RAX, 3)
	a.AluImm(amd64.Cmp, amd64.W64, amd64.RAX, int32(c.n))
	a.Jcc(amd64.CondAE, high)
	a.Jmp(c.dispatchL)
	c.later(func() {
		a.Bind(low)
		a.AluImm(amd64.And, amd64.W64, amd64.RDX, -8)
		c.exitWithRDX(exitCallOutside, pc)
		a.Bind(high)
		a.Shift(amd64.Shl, amd64.W64, amd64.RAX, 3)
		a.Alu(amd64.Add, amd64.W64, amd64.RAX, amd64.RCX)
		a.Mov(amd64.W64, amd64.RDX, amd64.RAX)
		c.exitWithRDX(exitCallOutside, pc)
	})
}

// exitWithRDX leaves with code, instruction pc and RDX as the argument.
func (c *compiler) exitWithRDX(code int, pc int) {
	a := &c.a
	a.MovImm32(amd64.RAX, uint32(code))
	a.MovImm(amd64.RCX, int64(pc))
	a.Jmp(c.exitWithL)
}

// emitReturn emits `exit`: in the root frame the program ends; otherwise
// the caller's frame is restored and execution continues at the native
// return address the call saved (see returnLabel).
func (c *compiler) emitReturn(pc int) {
	a := &c.a
	root := a.NewLabel()
	a.Load(amd64.W64, amd64.RCX, ctx(ctxFrame))
	a.AluLoad(amd64.Cmp, amd64.W64, amd64.RCX, ctx(ctxFrames))
	a.Jcc(amd64.CondE, root)
	a.AluImm(amd64.Sub, amd64.W64, amd64.RCX, 8*frameWords)
	a.Store(amd64.W64, ctx(ctxFrame), amd64.RCX)
	for i := 0; i < 4; i++ {
		a.Load(amd64.W64, reg(uint8(ebpf.FirstScratchReg+i)), amd64.M(amd64.RCX, int32(8*i)))
	}
	a.Load(amd64.W64, reg(ebpf.StackReg), amd64.M(amd64.RCX, 8*frameCallerTop))
	a.Load(amd64.W64, amd64.RAX, amd64.M(amd64.RCX, 8*frameCallerDesc))
	a.Store(amd64.W64, ctx(ctxCurFrame), amd64.RAX)
	a.MovImm32(amd64.RAX, uint32(pc))
	a.JmpMem(amd64.M(amd64.RCX, 8*frameRet))
	c.later(func() {
		a.Bind(root)
		a.StoreImm(amd64.W64, ctx(ctxExitCode), exitReturn)
		a.Jmp(c.exitL)
	})
}
