package amd64

import (
	"encoding/binary"
	"slices"
)

// Reg is an x86-64 general-purpose register, numbered as the hardware does.
type Reg uint8

// The sixteen general-purpose registers.
const (
	RAX Reg = iota
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
)

// Width is an operand size in bits.
type Width uint8

// Operand sizes.
const (
	W8  Width = 8
	W16 Width = 16
	W32 Width = 32
	W64 Width = 64
)

// AluOp is one of the eight classic two-operand ALU operations; its value
// is the ModRM reg extension of the 0x81 group and selects the opcodes of
// the register forms (op*8+1 and op*8+3).
type AluOp uint8

// The ALU operations.
const (
	Add AluOp = 0
	Or  AluOp = 1
	And AluOp = 4
	Sub AluOp = 5
	Xor AluOp = 6
	Cmp AluOp = 7
)

// ShiftOp is a member of the shift/rotate group (0xC1 / 0xD3).
type ShiftOp uint8

// The shift operations.
const (
	Rol ShiftOp = 0
	Shl ShiftOp = 4
	Shr ShiftOp = 5
	Sar ShiftOp = 7
)

// UnaryOp is a member of the 0xF7 group that takes a single operand.
type UnaryOp uint8

// The unary operations.
const (
	Not  UnaryOp = 2
	Neg  UnaryOp = 3
	Mul  UnaryOp = 4
	Div  UnaryOp = 6
	IDiv UnaryOp = 7
)

// Cond is a condition code as used by Jcc (0x0F 0x80+cc).
type Cond uint8

// The condition codes.
const (
	CondO  Cond = 0x0
	CondB  Cond = 0x2 // unsigned <
	CondAE Cond = 0x3 // unsigned >=
	CondE  Cond = 0x4
	CondNE Cond = 0x5
	CondBE Cond = 0x6 // unsigned <=
	CondA  Cond = 0x7 // unsigned >
	CondS  Cond = 0x8
	CondL  Cond = 0xc // signed <
	CondGE Cond = 0xd // signed >=
	CondLE Cond = 0xe // signed <=
	CondG  Cond = 0xf // signed >
)

// NoIndex marks a memory operand without an index register.
const NoIndex Reg = 0xff

// Mem is a memory operand [Base + Index*Scale + Disp].
type Mem struct {
	Base  Reg
	Index Reg // NoIndex when absent
	Scale uint8
	Disp  int32
}

// M is [base + disp].
func M(base Reg, disp int32) Mem { return Mem{Base: base, Index: NoIndex, Scale: 1, Disp: disp} }

// MI is [base + index*scale + disp].
func MI(base, index Reg, scale uint8, disp int32) Mem {
	return Mem{Base: base, Index: index, Scale: scale, Disp: disp}
}

// Label names a position in the code; it is bound once and may be used
// before it is bound.
type Label int32

type fixup struct {
	at    int32 // position of the rel32 field
	end   int32 // position the displacement is relative to
	label Label
}

// Assembler accumulates machine code. Jumps always use 32-bit
// displacements, which keeps layout a single pass. The buffer is written
// by index, not appended to, so that emitting a byte never stores a
// pointer (appending to a field costs a GC write barrier per byte).
type Assembler struct {
	buf    []byte // len(buf) is the capacity; n bytes are used
	n      int
	labels []int32 // position of each label, -1 until bound
	fixups []fixup
}

// Reserve makes room for at least size bytes without reallocating.
func (a *Assembler) Reserve(size int) {
	if len(a.buf) < size {
		nb := make([]byte, size)
		copy(nb, a.buf[:a.n])
		a.buf = nb
	}
}

// ReserveLabels makes room for labels more labels and refs more forward
// references (uses of a label before it is bound) without reallocating.
func (a *Assembler) ReserveLabels(labels, refs int) {
	a.labels = slices.Grow(a.labels, labels)
	a.fixups = slices.Grow(a.fixups, refs)
}

// Bytes returns the code emitted so far.
func (a *Assembler) Bytes() []byte { return a.buf[:a.n] }

// grow makes room for k more bytes.
func (a *Assembler) grow(k int) {
	if a.n+k > len(a.buf) {
		a.Reserve(2*len(a.buf) + k + 64)
	}
}

// NewLabel returns a fresh unbound label.
func (a *Assembler) NewLabel() Label {
	a.labels = append(a.labels, -1)
	return Label(len(a.labels) - 1)
}

// Bind places l at the current position.
func (a *Assembler) Bind(l Label) { a.labels[l] = int32(a.n) }

// Bound reports whether l has been placed, and where.
func (a *Assembler) Bound(l Label) (int, bool) {
	p := a.labels[l]
	return int(p), p >= 0
}

// Len is the number of bytes emitted so far.
func (a *Assembler) Len() int { return a.n }

// Finish resolves every label reference. It reports false when a referenced
// label was never bound.
func (a *Assembler) Finish() bool {
	for _, f := range a.fixups {
		p := a.labels[f.label]
		if p < 0 {
			return false
		}
		binary.LittleEndian.PutUint32(a.buf[f.at:], uint32(p-f.end))
	}
	a.fixups = a.fixups[:0]
	return true
}

func (a *Assembler) byte1(b ...byte) {
	a.grow(len(b))
	buf := a.buf[a.n : a.n+len(b)]
	for i, x := range b { // a loop: memmove costs more for 1-3 bytes
		buf[i] = x
	}
	a.n += len(b)
}

func (a *Assembler) imm32(v int32) {
	a.grow(4)
	binary.LittleEndian.PutUint32(a.buf[a.n:], uint32(v))
	a.n += 4
}

func (a *Assembler) imm64(v uint64) {
	a.grow(8)
	binary.LittleEndian.PutUint64(a.buf[a.n:], v)
	a.n += 8
}

func (a *Assembler) imm16(v uint16) {
	a.grow(2)
	binary.LittleEndian.PutUint16(a.buf[a.n:], v)
	a.n += 2
}

// rel32 emits the displacement to l: at once when l is bound (a backward
// reference), else as a fixup for Finish.
func (a *Assembler) rel32(l Label) {
	if p := a.labels[l]; p >= 0 {
		a.imm32(p - int32(a.n+4))
		return
	}
	a.fixups = append(a.fixups, fixup{at: int32(a.n), end: int32(a.n + 4), label: l})
	a.imm32(0)
}

// JccHole emits a conditional jump whose target is not known yet and
// returns the position of its displacement, for PatchHere. Unlike a label
// it costs no memory in the assembler, which matters for the one or two
// cold paths of every instruction.
func (a *Assembler) JccHole(c Cond) int {
	a.byte1(0x0f, 0x80+byte(c))
	a.imm32(0)
	return a.n - 4
}

// PatchHere points the displacement at hole (from JccHole) at the current
// position.
func (a *Assembler) PatchHere(hole int) {
	binary.LittleEndian.PutUint32(a.buf[hole:], uint32(int32(a.n-(hole+4))))
}

// JmpTo emits a jump to position pos, already emitted.
func (a *Assembler) JmpTo(pos int) {
	a.byte1(0xe9)
	a.imm32(int32(pos - (a.n + 4)))
}

// CallTo emits a near call to position pos, already emitted.
func (a *Assembler) CallTo(pos int) {
	a.byte1(0xe8)
	a.imm32(int32(pos - (a.n + 4)))
}

// Zeros appends k zero bytes (room for data filled in later).
func (a *Assembler) Zeros(k int) {
	a.grow(k)
	clear(a.buf[a.n : a.n+k])
	a.n += k
}

// rex emits a REX prefix when one is needed. force makes it appear even
// when all bits are zero (to address SPL/BPL/SIL/DIL as byte registers).
func (a *Assembler) rex(w bool, r, x, b Reg, force bool) {
	v := byte(0x40)
	if w {
		v |= 8
	}
	if r&8 != 0 {
		v |= 4
	}
	if x != NoIndex && x&8 != 0 {
		v |= 2
	}
	if b&8 != 0 {
		v |= 1
	}
	if v != 0x40 || force {
		a.byte1(v)
	}
}

// prefix emits the operand-size prefix for 16-bit operations and the REX
// prefix for the given ModRM operands.
func (a *Assembler) prefix(w Width, reg, index, base Reg, byteRegs bool) {
	if w == W16 {
		a.byte1(0x66)
	}
	a.rex(w == W64, reg, index, base, byteRegs)
}

// opRR emits opcode with ModRM mod=11: reg field reg, r/m field rm.
func (a *Assembler) opRR(w Width, op []byte, reg, rm Reg) {
	force := w == W8 && (reg&^3 == 4 || rm&^3 == 4)
	a.prefix(w, reg, NoIndex, rm, force)
	a.byte1(op...)
	a.byte1(0xc0 | byte(reg&7)<<3 | byte(rm&7))
}

// opRM emits opcode with a memory r/m operand; reg is the ModRM reg field
// (a register or an opcode extension).
func (a *Assembler) opRM(w Width, op []byte, reg Reg, m Mem) {
	force := w == W8 && reg&^3 == 4
	a.prefix(w, reg, m.Index, m.Base, force)
	a.byte1(op...)
	a.modrmMem(reg, m)
}

func scaleBits(s uint8) byte {
	switch s {
	case 2:
		return 1 << 6
	case 4:
		return 2 << 6
	case 8:
		return 3 << 6
	}
	return 0
}

// modrmMem emits ModRM, SIB and displacement for m. RSP/R12 as a base need
// a SIB byte; RBP/R13 as a base need an explicit displacement.
func (a *Assembler) modrmMem(reg Reg, m Mem) {
	var mod byte
	switch {
	case m.Disp == 0 && m.Base&7 != 5:
		mod = 0
	case m.Disp >= -128 && m.Disp <= 127:
		mod = 1
	default:
		mod = 2
	}
	r := byte(reg&7) << 3
	if m.Index != NoIndex {
		a.byte1(mod<<6|r|4, scaleBits(m.Scale)|byte(m.Index&7)<<3|byte(m.Base&7))
	} else if m.Base&7 == 4 {
		a.byte1(mod<<6|r|4, 0x24)
	} else {
		a.byte1(mod<<6 | r | byte(m.Base&7))
	}
	switch mod {
	case 1:
		a.byte1(byte(int8(m.Disp)))
	case 2:
		a.imm32(m.Disp)
	}
}

// aluOpcode returns the opcode of the r/m,reg form of op at width w.
func aluOpcode(op AluOp, w Width, regIsDst bool) byte {
	b := byte(op)*8 + 1
	if regIsDst {
		b += 2
	}
	if w == W8 {
		b--
	}
	return b
}

// Alu emits dst = dst op src (Cmp only sets flags).
func (a *Assembler) Alu(op AluOp, w Width, dst, src Reg) {
	a.opRR(w, []byte{aluOpcode(op, w, false)}, src, dst)
}

// AluImm emits dst = dst op imm, using the sign-extended 8-bit form when
// the immediate fits.
func (a *Assembler) AluImm(op AluOp, w Width, dst Reg, imm int32) {
	if imm >= -128 && imm <= 127 {
		a.opRR(w, []byte{0x83}, Reg(op), dst)
		a.byte1(byte(int8(imm)))
		return
	}
	a.opRR(w, []byte{0x81}, Reg(op), dst)
	a.imm32(imm)
}

// AluLoad emits dst = dst op [m].
func (a *Assembler) AluLoad(op AluOp, w Width, dst Reg, m Mem) {
	a.opRM(w, []byte{aluOpcode(op, w, true)}, dst, m)
}

// AluMemImm emits [m] = [m] op imm (64-bit or 32-bit operand).
func (a *Assembler) AluMemImm(op AluOp, w Width, m Mem, imm int32) {
	if imm >= -128 && imm <= 127 {
		a.opRM(w, []byte{0x83}, Reg(op), m)
		a.byte1(byte(int8(imm)))
		return
	}
	a.opRM(w, []byte{0x81}, Reg(op), m)
	a.imm32(imm)
}

// Mov emits dst = src. A 32-bit move zero-extends into the full register.
func (a *Assembler) Mov(w Width, dst, src Reg) {
	a.opRR(w, []byte{0x89}, src, dst)
}

// MovImm loads imm into dst (64-bit result) with the shortest encoding:
// xor for zero, a zero-extending 32-bit move, a sign-extended 32-bit move,
// or a full 64-bit immediate.
func (a *Assembler) MovImm(dst Reg, imm int64) {
	switch {
	case imm == 0:
		a.Alu(Xor, W32, dst, dst)
	case imm > 0 && imm <= 0xffffffff:
		a.MovImm32(dst, uint32(imm))
	case imm >= -1<<31 && imm < 0:
		a.opRR(W64, []byte{0xc7}, 0, dst)
		a.imm32(int32(imm))
	default:
		a.rex(true, 0, NoIndex, dst, false)
		a.byte1(0xb8 + byte(dst&7))
		a.imm64(uint64(imm))
	}
}

// MovImm32 emits the 32-bit move of imm into dst, zeroing the upper half.
// Unlike MovImm it keeps the flags and always takes the same length.
func (a *Assembler) MovImm32(dst Reg, imm uint32) {
	a.rex(false, 0, NoIndex, dst, false)
	a.byte1(0xb8 + byte(dst&7))
	a.imm32(int32(imm))
}

// Load emits a zero-extending load of w bits from m into dst.
func (a *Assembler) Load(w Width, dst Reg, m Mem) {
	switch w {
	case W8:
		a.opRM(W32, []byte{0x0f, 0xb6}, dst, m)
	case W16:
		a.opRM(W32, []byte{0x0f, 0xb7}, dst, m)
	default:
		a.opRM(w, []byte{0x8b}, dst, m)
	}
}

// Store emits a store of the low w bits of src to m.
func (a *Assembler) Store(w Width, m Mem, src Reg) {
	op := byte(0x89)
	if w == W8 {
		op = 0x88
	}
	a.opRM(w, []byte{op}, src, m)
}

// StoreImm emits a store of imm (truncated, or sign-extended for 64 bits)
// to m.
func (a *Assembler) StoreImm(w Width, m Mem, imm int32) {
	switch w {
	case W8:
		a.opRM(W8, []byte{0xc6}, 0, m)
		a.byte1(byte(imm))
	case W16:
		a.opRM(W16, []byte{0xc7}, 0, m)
		a.imm16(uint16(imm))
	default:
		a.opRM(w, []byte{0xc7}, 0, m)
		a.imm32(imm)
	}
}

// Test emits the flags of dst & src.
func (a *Assembler) Test(w Width, dst, src Reg) { a.opRR(w, []byte{0x85}, src, dst) }

// TestMem emits the flags of [m] & src.
func (a *Assembler) TestMem(w Width, m Mem, src Reg) { a.opRM(w, []byte{0x85}, src, m) }

// TestImm emits the flags of dst & imm (sign-extended for 64 bits).
func (a *Assembler) TestImm(w Width, dst Reg, imm int32) {
	a.opRR(w, []byte{0xf7}, 0, dst)
	a.imm32(imm)
}

// Unary emits a member of the 0xF7 group on r (neg, not, mul, div).
func (a *Assembler) Unary(op UnaryOp, w Width, r Reg) { a.opRR(w, []byte{0xf7}, Reg(op), r) }

// Imul emits dst = dst * src (low half).
func (a *Assembler) Imul(w Width, dst, src Reg) { a.opRR(w, []byte{0x0f, 0xaf}, dst, src) }

// ImulImm emits dst = src * imm (low half).
func (a *Assembler) ImulImm(w Width, dst, src Reg, imm int32) {
	a.opRR(w, []byte{0x69}, dst, src)
	a.imm32(imm)
}

// Shift emits a shift or rotate of r by a constant.
func (a *Assembler) Shift(op ShiftOp, w Width, r Reg, n uint8) {
	a.opRR(w, []byte{0xc1}, Reg(op), r)
	a.byte1(n)
}

// ShiftCL emits a shift of r by CL (masked by the hardware to the width).
func (a *Assembler) ShiftCL(op ShiftOp, w Width, r Reg) { a.opRR(w, []byte{0xd3}, Reg(op), r) }

// Movzx16 emits dst = zero-extended low 16 bits of src.
func (a *Assembler) Movzx16(dst, src Reg) { a.opRR(W32, []byte{0x0f, 0xb7}, dst, src) }

// Movsxd emits dst = sign-extended low 32 bits of src.
func (a *Assembler) Movsxd(dst, src Reg) { a.opRR(W64, []byte{0x63}, dst, src) }

// Bswap reverses the bytes of the low 32 or all 64 bits of r.
func (a *Assembler) Bswap(w Width, r Reg) {
	a.rex(w == W64, 0, NoIndex, r, false)
	a.byte1(0x0f, 0xc8+byte(r&7))
}

// Lea emits dst = address of m.
func (a *Assembler) Lea(dst Reg, m Mem) { a.opRM(W64, []byte{0x8d}, dst, m) }

// LeaLabel emits dst = absolute address of l (RIP-relative).
func (a *Assembler) LeaLabel(dst Reg, l Label) {
	a.rex(true, dst, NoIndex, 0, false)
	a.byte1(0x8d, 0x05|byte(dst&7)<<3)
	a.rel32(l)
}

// Jmp emits an unconditional jump to l: 2 bytes when l is already bound
// (a backward jump) within reach of a rel8, else 5.
func (a *Assembler) Jmp(l Label) {
	if d, ok := a.rel8(l, 2); ok {
		a.byte1(0xeb, byte(d))
		return
	}
	a.byte1(0xe9)
	a.rel32(l)
}

// Jcc emits a conditional jump to l: 2 bytes when l is already bound (a
// backward jump) within reach of a rel8, else 6. Short loop back-edges
// keep a loop's body in fewer fetch blocks.
func (a *Assembler) Jcc(c Cond, l Label) {
	if d, ok := a.rel8(l, 2); ok {
		a.byte1(0x70+byte(c), byte(d))
		return
	}
	a.byte1(0x0f, 0x80+byte(c))
	a.rel32(l)
}

// rel8 is the 8-bit displacement from the end of a size-byte jump emitted
// here to l, when l is bound and in reach. Forward references are always
// rel32: their distance is not known yet, and layout stays one pass.
func (a *Assembler) rel8(l Label, size int) (int8, bool) {
	p := a.labels[l]
	if p < 0 {
		return 0, false
	}
	d := int(p) - (a.n + size)
	if d < -128 || d > 127 {
		return 0, false
	}
	return int8(d), true
}

// nops are the recommended multi-byte NOPs, by length (1-9 bytes).
var nops = [10][]byte{
	1: {0x90},
	2: {0x66, 0x90},
	3: {0x0f, 0x1f, 0x00},
	4: {0x0f, 0x1f, 0x40, 0x00},
	5: {0x0f, 0x1f, 0x44, 0x00, 0x00},
	6: {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
	7: {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
	8: {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
	9: {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
}

// Align pads with as few NOPs as possible to the next multiple of n (a
// power of two); it returns the number of bytes added.
func (a *Assembler) Align(n int) int {
	k := (n - a.n%n) % n
	for left := k; left > 0; {
		m := min(left, 9)
		a.byte1(nops[m]...)
		left -= m
	}
	return k
}

// Call emits a near call to l.
func (a *Assembler) Call(l Label) {
	a.byte1(0xe8)
	a.rel32(l)
}

// Ret emits a near return.
func (a *Assembler) Ret() { a.byte1(0xc3) }

// JmpReg emits an indirect jump to the address in r.
func (a *Assembler) JmpReg(r Reg) { a.opRR(W32, []byte{0xff}, 4, r) }

// JmpMem emits an indirect jump to the address stored at m.
func (a *Assembler) JmpMem(m Mem) { a.opRM(W32, []byte{0xff}, 4, m) }

// Push pushes r.
func (a *Assembler) Push(r Reg) {
	a.rex(false, 0, NoIndex, r, false)
	a.byte1(0x50 + byte(r&7))
}

// Pop pops into r.
func (a *Assembler) Pop(r Reg) {
	a.rex(false, 0, NoIndex, r, false)
	a.byte1(0x58 + byte(r&7))
}

// Clc clears the carry flag.
func (a *Assembler) Clc() { a.byte1(0xf8) }

// Stc sets the carry flag.
func (a *Assembler) Stc() { a.byte1(0xf9) }

// Int3 emits a breakpoint; used only to pad places that must never run.
func (a *Assembler) Int3() { a.byte1(0xcc) }
