package vm

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// This file checks every ALU and conditional-jump opcode against a second
// formulation of rbpf's semantics written with math/big, on random and
// boundary operands.

var two64 = new(big.Int).Lsh(big.NewInt(1), 64)

func wrap(x *big.Int, bitsN uint) uint64 {
	m := new(big.Int).Lsh(big.NewInt(1), bitsN)
	r := new(big.Int).Mod(x, m)
	return r.Uint64()
}

func signed(v uint64, bitsN uint) *big.Int {
	x := new(big.Int).SetUint64(v & (1<<bitsN - 1))
	if bitsN == 64 {
		x.SetUint64(v)
	}
	if x.Bit(int(bitsN-1)) == 1 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), bitsN))
	}
	return x
}

func unsigned(v uint64, bitsN uint) *big.Int {
	if bitsN == 32 {
		v &= 0xffffffff
	}
	return new(big.Int).SetUint64(v)
}

// refALU is rbpf's result for op on dst value a and operand b (the source
// register, or the immediate already sign-extended to 64 bits). ok is false
// for a division by zero.
func refALU(op ebpf.OpCode, is64 bool, a, b uint64) (uint64, bool) {
	w := uint(32)
	if is64 {
		w = 64
	}
	ua, ub := unsigned(a, w), unsigned(b, w)
	var r *big.Int
	switch op {
	case ebpf.OpAdd:
		r = new(big.Int).Add(ua, ub)
	case ebpf.OpSub:
		r = new(big.Int).Sub(ua, ub)
	case ebpf.OpMul:
		r = new(big.Int).Mul(ua, ub)
	case ebpf.OpDiv, ebpf.OpMod:
		if ub.Sign() == 0 {
			return 0, false
		}
		if op == ebpf.OpDiv {
			r = new(big.Int).Quo(ua, ub)
		} else {
			r = new(big.Int).Rem(ua, ub)
		}
	case ebpf.OpOr:
		r = new(big.Int).Or(ua, ub)
	case ebpf.OpAnd:
		r = new(big.Int).And(ua, ub)
	case ebpf.OpXor:
		r = new(big.Int).Xor(ua, ub)
	case ebpf.OpLsh:
		r = new(big.Int).Lsh(ua, uint(b%uint64(w)))
	case ebpf.OpRsh:
		r = new(big.Int).Rsh(ua, uint(b%uint64(w)))
	case ebpf.OpArsh:
		r = new(big.Int).Rsh(signed(a, w), uint(b%uint64(w)))
	case ebpf.OpMov:
		r = ub
	case ebpf.OpNeg:
		r = new(big.Int).Neg(ua)
	}
	v := wrap(r, w)
	if !is64 && (op == ebpf.OpAdd || op == ebpf.OpSub || op == ebpf.OpMul) {
		v = wrap(signed(v, 32), 64) // sign-extended into the register
	}
	return v, true
}

func refJump(op ebpf.OpCode, a, b uint64) bool {
	ua, ub := new(big.Int).SetUint64(a), new(big.Int).SetUint64(b)
	sa, sb := signed(a, 64), signed(b, 64)
	switch op {
	case ebpf.OpJeq:
		return ua.Cmp(ub) == 0
	case ebpf.OpJne:
		return ua.Cmp(ub) != 0
	case ebpf.OpJgt:
		return ua.Cmp(ub) > 0
	case ebpf.OpJge:
		return ua.Cmp(ub) >= 0
	case ebpf.OpJlt:
		return ua.Cmp(ub) < 0
	case ebpf.OpJle:
		return ua.Cmp(ub) <= 0
	case ebpf.OpJsgt:
		return sa.Cmp(sb) > 0
	case ebpf.OpJsge:
		return sa.Cmp(sb) >= 0
	case ebpf.OpJslt:
		return sa.Cmp(sb) < 0
	case ebpf.OpJsle:
		return sa.Cmp(sb) <= 0
	case ebpf.OpJset:
		return new(big.Int).And(ua, ub).Sign() != 0
	}
	panic("not a jump")
}

func lddw(dst uint8, v uint64) []ebpf.Insn {
	return []ebpf.Insn{{Opc: ebpf.LdDwImm, Dst: dst, Imm: int32(uint32(v))}, {Imm: int32(uint32(v >> 32))}}
}

func runInsns(t *testing.T, insns []ebpf.Insn) Result {
	t.Helper()
	cfg := DefaultConfig()
	cfg.MaxCallDepth, cfg.StackFrameSize = 1, 64 // a small stack keeps the set-up cheap
	exe, err := FromText(ebpf.Encode(insns), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Interpreter{}.Run(exe, RunOptions{Budget: 100})
}

func operands(rng *rand.Rand) []uint64 {
	vs := []uint64{0, 1, 2, 31, 32, 33, 63, 64, 65, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32,
		0x7fffffffffffffff, 1 << 63, ^uint64(0), ^uint64(0) - 1}
	for i := 0; i < 3; i++ {
		vs = append(vs, rng.Uint64(), rng.Uint64()>>rng.IntN(64))
	}
	return vs
}

func TestALUAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	vals := operands(rng)
	ops := []ebpf.OpCode{ebpf.OpAdd, ebpf.OpSub, ebpf.OpMul, ebpf.OpDiv, ebpf.OpOr, ebpf.OpAnd, ebpf.OpLsh,
		ebpf.OpRsh, ebpf.OpNeg, ebpf.OpMod, ebpf.OpXor, ebpf.OpMov, ebpf.OpArsh}
	for _, class := range []ebpf.OpCode{ebpf.ClassAlu, ebpf.ClassAlu64} {
		for _, op := range ops {
			for _, a := range vals {
				for _, b := range vals {
					checkALU(t, class, op, a, b, false)
					if op != ebpf.OpNeg {
						checkALU(t, class, op, a, uint64(int64(int32(b))), true)
					}
				}
			}
		}
	}
}

func checkALU(t *testing.T, class, op ebpf.OpCode, a, b uint64, imm bool) {
	t.Helper()
	is64 := class == ebpf.ClassAlu64
	prog := lddw(1, a)
	insn := ebpf.Insn{Opc: class | op | ebpf.SrcX, Dst: 1, Src: 2}
	if imm || op == ebpf.OpNeg {
		insn = ebpf.Insn{Opc: class | op | ebpf.SrcK, Dst: 1, Imm: int32(b)}
	} else {
		prog = append(prog, lddw(2, b)...)
	}
	prog = append(prog, insn, ebpf.Insn{Opc: ebpf.Mov64Reg, Dst: 0, Src: 1}, ebpf.Insn{Opc: ebpf.Exit})
	want, ok := refALU(op, is64, a, b)
	r := runInsns(t, prog)
	switch {
	case !ok && (r.Err == nil || r.Err.(*Error).Kind != DivideByZero):
		t.Errorf("%#02x a=%#x b=%#x: want divide by zero, got %v", insn.Opc, a, b, r.Err)
	case ok && (r.Err != nil || r.Value != want):
		t.Errorf("%#02x a=%#x b=%#x imm=%v: got %#x %v, want %#x", insn.Opc, a, b, imm, r.Value, r.Err, want)
	}
}

func TestJumpsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	vals := operands(rng)
	ops := []ebpf.OpCode{ebpf.OpJeq, ebpf.OpJgt, ebpf.OpJge, ebpf.OpJset, ebpf.OpJne, ebpf.OpJsgt, ebpf.OpJsge,
		ebpf.OpJlt, ebpf.OpJle, ebpf.OpJslt, ebpf.OpJsle}
	for _, op := range ops {
		for _, a := range vals {
			for _, b := range vals {
				for _, imm := range []bool{false, true} {
					bb := b
					insn := ebpf.Insn{Opc: ebpf.ClassJmp | op | ebpf.SrcX, Dst: 1, Src: 2, Off: 1}
					if imm {
						bb = uint64(int64(int32(b)))
						insn = ebpf.Insn{Opc: ebpf.ClassJmp | op | ebpf.SrcK, Dst: 1, Imm: int32(b), Off: 1}
					}
					prog := append(lddw(1, a), lddw(2, bb)...)
					prog = append(prog, ebpf.Insn{Opc: ebpf.Mov64Imm, Imm: 1}, insn,
						ebpf.Insn{Opc: ebpf.Mov64Imm, Imm: 0}, ebpf.Insn{Opc: ebpf.Exit})
					r := runInsns(t, prog)
					if taken := r.Value == 1; r.Err != nil || taken != refJump(op, a, bb) {
						t.Errorf("%#02x a=%#x b=%#x: taken %v err %v", insn.Opc, a, bb, taken, r.Err)
					}
				}
			}
		}
	}
}
