package jit

import (
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/amd64"
)

// aluOfOp and shiftOfOp translate an eBPF operation (opcode bits 4-7).
var (
	aluOfOp   = [16]amd64.AluOp{0x0: amd64.Add, 0x1: amd64.Sub, 0x4: amd64.Or, 0x5: amd64.And, 0xa: amd64.Xor}
	shiftOfOp = [16]amd64.ShiftOp{0x6: amd64.Shl, 0x7: amd64.Shr, 0xc: amd64.Sar}
)

// emitInsn emits the body of slot pc.
func (c *compiler) emitInsn(pc int) {
	in := c.insns[pc]
	if code, arg, fails := staticFailure(in, pc, c.n); fails {
		c.emitExit(code, int64(pc), arg)
		return
	}
	switch in.Opc & ebpf.ClassMask {
	case ebpf.ClassAlu, ebpf.ClassAlu64:
		c.emitALU(pc, in)
	case ebpf.ClassJmp:
		c.emitJmp(pc, in)
	case ebpf.ClassLd:
		if in.Opc == ebpf.LdDwImm {
			c.emitLddw(pc, in)
		} else {
			c.emitLdAbsInd(pc, in)
		}
	default:
		c.emitLoadStore(pc, in)
	}
}

// emitLddw loads the 64-bit constant and skips the second slot, whose own
// code follows (reachable only by jumping into it).
func (c *compiler) emitLddw(pc int, in ebpf.Insn) {
	v := uint64(uint32(in.Imm)) | uint64(uint32(c.insns[pc+1].Imm))<<32
	c.loadConst(reg(in.Dst), int64(v))
	c.a.Jmp(c.labels[pc+2])
}

// emitALU emits a 32- or 64-bit arithmetic instruction. 32-bit add, sub
// and mul sign-extend their result; every other 32-bit operation
// zero-extends it, as x86's 32-bit operations do.
func (c *compiler) emitALU(pc int, in ebpf.Insn) {
	a := &c.a
	w := amd64.W64
	if in.Opc&ebpf.ClassMask == ebpf.ClassAlu {
		w = amd64.W32
	}
	dst := reg(in.Dst)
	op := in.Opc & ebpf.AluOpMask
	imm := in.Opc&ebpf.SrcX == 0
	// Only a field the opcode table says is read names a register: be's
	// source bit picks the byte order, and its src field may hold up to 15.
	var src amd64.Reg
	if in.Opc.Uses()&ebpf.UsesSrc != 0 {
		src = reg(in.Src)
	}
	switch op {
	case ebpf.OpAdd, ebpf.OpSub, ebpf.OpOr, ebpf.OpAnd, ebpf.OpXor:
		x := aluOfOp[op>>4]
		if imm {
			c.aluImm(x, w, dst, in.Imm)
		} else {
			a.Alu(x, w, dst, src)
		}
		if w == amd64.W32 && (op == ebpf.OpAdd || op == ebpf.OpSub) {
			a.Movsxd(dst, dst)
		}
	case ebpf.OpMul:
		if imm {
			c.mulImm(w, dst, in.Imm)
		} else {
			a.Imul(w, dst, src)
		}
		if w == amd64.W32 {
			a.Movsxd(dst, dst)
		}
	case ebpf.OpDiv, ebpf.OpMod:
		c.emitDivMod(pc, in, w, dst, src, imm)
	case ebpf.OpLsh, ebpf.OpRsh, ebpf.OpArsh:
		c.emitShift(in, w, dst, src, imm)
	case ebpf.OpNeg:
		a.Unary(amd64.Neg, w, dst)
	case ebpf.OpMov:
		switch {
		case !imm:
			a.Mov(w, dst, src)
		case w == amd64.W32:
			c.loadConst(dst, int64(uint32(in.Imm)))
		default:
			c.loadConst(dst, int64(in.Imm))
		}
	case ebpf.OpEnd:
		c.emitEndian(in, dst)
	}
}

// aluImm emits dst op= imm, the immediate blinded when asked.
func (c *compiler) aluImm(op amd64.AluOp, w amd64.Width, dst amd64.Reg, imm int32) {
	if c.blind.on {
		c.blindedImm(amd64.RAX, imm)
		c.a.Alu(op, w, dst, amd64.RAX)
		return
	}
	c.a.AluImm(op, w, dst, imm)
}

// mulImm emits dst *= imm (low half).
func (c *compiler) mulImm(w amd64.Width, dst amd64.Reg, imm int32) {
	if c.blind.on {
		c.blindedImm(amd64.RAX, imm)
		c.a.Imul(w, dst, amd64.RAX)
		return
	}
	c.a.ImulImm(w, dst, dst, imm)
}

// loadConst sets dst to v.
func (c *compiler) loadConst(dst amd64.Reg, v int64) {
	if c.blind.on && v != 0 {
		c.blindedConst(dst, v)
		return
	}
	c.a.MovImm(dst, v)
}

// emitDivMod emits unsigned division or remainder. A zero register divisor
// leaves with DivideByZero (a zero immediate never gets here).
func (c *compiler) emitDivMod(pc int, in ebpf.Insn, w amd64.Width, dst, src amd64.Reg, imm bool) {
	a := &c.a
	divisor := src
	if imm {
		divisor = amd64.RCX
		if w == amd64.W32 {
			c.loadConst(amd64.RCX, int64(uint32(in.Imm)))
		} else {
			c.loadConst(amd64.RCX, int64(in.Imm))
		}
	} else {
		zero := a.NewLabel()
		a.Test(w, src, src)
		a.Jcc(amd64.CondE, zero)
		c.later(func() {
			a.Bind(zero)
			c.emitExit(exitDivZero, int64(pc), 0)
		})
	}
	a.Mov(w, amd64.RAX, dst)
	a.Alu(amd64.Xor, amd64.W32, amd64.RDX, amd64.RDX)
	a.Unary(amd64.Div, w, divisor)
	if in.Opc&ebpf.AluOpMask == ebpf.OpDiv {
		a.Mov(w, dst, amd64.RAX)
	} else {
		a.Mov(w, dst, amd64.RDX)
	}
}

// emitShift emits lsh, rsh and arsh; the amount wraps modulo the width,
// which is also what x86 does with it. A 32-bit result is zero-extended
// explicitly because a zero shift count leaves the register as it was.
func (c *compiler) emitShift(in ebpf.Insn, w amd64.Width, dst, src amd64.Reg, imm bool) {
	a := &c.a
	op := shiftOfOp[in.Opc>>4]
	mask := uint32(63)
	if w == amd64.W32 {
		mask = 31
	}
	if imm {
		if n := uint32(in.Imm) & mask; n != 0 {
			a.Shift(op, w, dst, uint8(n))
		} else if w == amd64.W32 {
			a.Mov(amd64.W32, dst, dst)
		}
		return
	}
	a.Mov(amd64.W32, amd64.RCX, src)
	a.ShiftCL(op, w, dst)
	if w == amd64.W32 {
		a.Mov(amd64.W32, dst, dst)
	}
}

// emitEndian emits le/be (the width is valid: staticFailure checked it).
func (c *compiler) emitEndian(in ebpf.Insn, dst amd64.Reg) {
	a := &c.a
	be := in.Opc == ebpf.Be
	switch in.Imm {
	case 16:
		if be {
			a.Shift(amd64.Rol, amd64.W16, dst, 8)
		}
		a.Movzx16(dst, dst)
	case 32:
		if be {
			a.Bswap(amd64.W32, dst)
		} else {
			a.Mov(amd64.W32, dst, dst)
		}
	case 64:
		if be {
			a.Bswap(amd64.W64, dst)
		}
	}
}
