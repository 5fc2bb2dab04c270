package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Dispatch codes. exec switches on dinsn.op, a dense code the decoder gives
// every instruction, instead of the opcode. Natively the switch compiles to
// a jump table either way. For WebAssembly, which has no jump tables in Go,
// it compiles to a binary search (walk/switch.go: halves down to chains of
// at most three equality tests), and every branch taken in it is a jump
// through the function's block table, a large part of an instruction's
// cost. The codes are declared from the most frequent instructions of
// typical compiled programs (64-bit loads, stores, moves and additions,
// conditional jumps on immediates, calls and returns) to the rarest (32-bit
// division, byte swaps, ld_abs, the error pseudo-opcodes), and each gets
// the value the search reaches with the fewest taken branches still free:
// the comments give that number. The immediate and register forms of an
// ALU or jump operation share a code (the decoder points the immediate
// forms at r11, see immReg), which leaves more cheap codes for other
// operations. TestDispatchCodes checks these values
// against a model of the search.
const (
	xLdDWReg        uint8 = 0  // 0
	xMov64          uint8 = 1  // 1
	xAdd64          uint8 = 2  // 1
	xStDWReg        uint8 = 4  // 1
	xJne            uint8 = 8  // 1
	xJeq            uint8 = 16 // 1
	xSub64          uint8 = 32 // 1
	xLsh64          uint8 = 3  // 2
	xRsh64          uint8 = 5  // 2
	xAnd64          uint8 = 6  // 2
	xOr64           uint8 = 9  // 2
	xLdBReg         uint8 = 10 // 2
	xStBReg         uint8 = 12 // 2
	xLdWReg         uint8 = 17 // 2
	xStWReg         uint8 = 18 // 2
	xJa             uint8 = 20 // 2
	xCallFunction   uint8 = 24 // 2
	xExit           uint8 = 33 // 2
	xLdDwImm        uint8 = 34 // 2
	xJgt            uint8 = 36 // 2
	xJge            uint8 = 40 // 2
	xMul64          uint8 = 48 // 2
	xXor64          uint8 = 7  // 3
	xJlt            uint8 = 11 // 3
	xJle            uint8 = 13 // 3
	xArsh64         uint8 = 14 // 3
	xLdHReg         uint8 = 19 // 3
	xStHReg         uint8 = 21 // 3
	xStDWImm        uint8 = 22 // 3
	xStWImm         uint8 = 25 // 3
	xStBImm         uint8 = 26 // 3
	xMov32          uint8 = 28 // 3
	xAdd32          uint8 = 35 // 3
	xCallSyscall    uint8 = 37 // 3
	xJsgt           uint8 = 38 // 3
	xJsge           uint8 = 41 // 3
	xJslt           uint8 = 42 // 3
	xJsle           uint8 = 44 // 3
	xJset           uint8 = 49 // 3
	xNeg64          uint8 = 50 // 3
	xDiv64          uint8 = 52 // 3
	xMod64          uint8 = 56 // 3
	xSub32          uint8 = 15 // 4
	xMul32          uint8 = 23 // 4
	xAnd32          uint8 = 27 // 4
	xLsh32          uint8 = 29 // 4
	xOr32           uint8 = 30 // 4
	xRsh32          uint8 = 39 // 4
	xXor32          uint8 = 43 // 4
	xArsh32         uint8 = 45 // 4
	xNeg32          uint8 = 46 // 4
	xDiv32          uint8 = 51 // 4
	xMod32          uint8 = 53 // 4
	xLe             uint8 = 54 // 4
	xBe             uint8 = 57 // 4
	xStHImm         uint8 = 58 // 4
	xCallReg        uint8 = 60 // 4
	xLdAbsB         uint8 = 31 // 5
	xLdAbsH         uint8 = 47 // 5
	xLdAbsW         uint8 = 55 // 5
	xLdAbsDW        uint8 = 59 // 5
	xCallUnresolved uint8 = 61 // 5
	xBadRegister    uint8 = 62 // 5
	xLddwTruncated  uint8 = 63 // 6

	// xUnsupported is every opcode v0.2.8 does not execute; exec handles it
	// in the switch's default case.
	xUnsupported = 64
)

// dispatchOf maps an opcode (or pseudo-opcode) of a decoded instruction to
// its dispatch code.
var dispatchOf = buildDispatch()

func buildDispatch() (t [256]uint8) {
	for i := range t {
		t[i] = xUnsupported
	}
	for _, p := range [...]struct {
		opc  ebpf.OpCode
		code uint8
	}{
		{ebpf.LdAbsB, xLdAbsB},
		{ebpf.LdIndB, xLdAbsB},
		{ebpf.LdAbsH, xLdAbsH},
		{ebpf.LdIndH, xLdAbsH},
		{ebpf.LdAbsW, xLdAbsW},
		{ebpf.LdIndW, xLdAbsW},
		{ebpf.LdAbsDW, xLdAbsDW},
		{ebpf.LdIndDW, xLdAbsDW},
		{ebpf.LdDwImm, xLdDwImm},
		{ebpf.LdBReg, xLdBReg},
		{ebpf.LdHReg, xLdHReg},
		{ebpf.LdWReg, xLdWReg},
		{ebpf.LdDWReg, xLdDWReg},
		{ebpf.StBImm, xStBImm},
		{ebpf.StHImm, xStHImm},
		{ebpf.StWImm, xStWImm},
		{ebpf.StDWImm, xStDWImm},
		{ebpf.StBReg, xStBReg},
		{ebpf.StHReg, xStHReg},
		{ebpf.StWReg, xStWReg},
		{ebpf.StDWReg, xStDWReg},
		{ebpf.Add32Imm, xAdd32},
		{ebpf.Add32Reg, xAdd32},
		{ebpf.Sub32Imm, xSub32},
		{ebpf.Sub32Reg, xSub32},
		{ebpf.Mul32Imm, xMul32},
		{ebpf.Mul32Reg, xMul32},
		{ebpf.Div32Imm, xDiv32},
		{ebpf.Div32Reg, xDiv32},
		{ebpf.Or32Imm, xOr32},
		{ebpf.Or32Reg, xOr32},
		{ebpf.And32Imm, xAnd32},
		{ebpf.And32Reg, xAnd32},
		{ebpf.Lsh32Imm, xLsh32},
		{ebpf.Lsh32Reg, xLsh32},
		{ebpf.Rsh32Imm, xRsh32},
		{ebpf.Rsh32Reg, xRsh32},
		{ebpf.Neg32, xNeg32},
		{ebpf.Mod32Imm, xMod32},
		{ebpf.Mod32Reg, xMod32},
		{ebpf.Xor32Imm, xXor32},
		{ebpf.Xor32Reg, xXor32},
		{ebpf.Mov32Imm, xMov32},
		{ebpf.Mov32Reg, xMov32},
		{ebpf.Arsh32Imm, xArsh32},
		{ebpf.Arsh32Reg, xArsh32},
		{ebpf.Le, xLe},
		{ebpf.Be, xBe},
		{ebpf.Add64Imm, xAdd64},
		{ebpf.Add64Reg, xAdd64},
		{ebpf.Sub64Imm, xSub64},
		{ebpf.Sub64Reg, xSub64},
		{ebpf.Mul64Imm, xMul64},
		{ebpf.Mul64Reg, xMul64},
		{ebpf.Div64Imm, xDiv64},
		{ebpf.Div64Reg, xDiv64},
		{ebpf.Or64Imm, xOr64},
		{ebpf.Or64Reg, xOr64},
		{ebpf.And64Imm, xAnd64},
		{ebpf.And64Reg, xAnd64},
		{ebpf.Lsh64Imm, xLsh64},
		{ebpf.Lsh64Reg, xLsh64},
		{ebpf.Rsh64Imm, xRsh64},
		{ebpf.Rsh64Reg, xRsh64},
		{ebpf.Neg64, xNeg64},
		{ebpf.Mod64Imm, xMod64},
		{ebpf.Mod64Reg, xMod64},
		{ebpf.Xor64Imm, xXor64},
		{ebpf.Xor64Reg, xXor64},
		{ebpf.Mov64Imm, xMov64},
		{ebpf.Mov64Reg, xMov64},
		{ebpf.Arsh64Imm, xArsh64},
		{ebpf.Arsh64Reg, xArsh64},
		{ebpf.Ja, xJa},
		{ebpf.JeqImm, xJeq},
		{ebpf.JeqReg, xJeq},
		{ebpf.JgtImm, xJgt},
		{ebpf.JgtReg, xJgt},
		{ebpf.JgeImm, xJge},
		{ebpf.JgeReg, xJge},
		{ebpf.JltImm, xJlt},
		{ebpf.JltReg, xJlt},
		{ebpf.JleImm, xJle},
		{ebpf.JleReg, xJle},
		{ebpf.JsetImm, xJset},
		{ebpf.JsetReg, xJset},
		{ebpf.JneImm, xJne},
		{ebpf.JneReg, xJne},
		{ebpf.JsgtImm, xJsgt},
		{ebpf.JsgtReg, xJsgt},
		{ebpf.JsgeImm, xJsge},
		{ebpf.JsgeReg, xJsge},
		{ebpf.JsltImm, xJslt},
		{ebpf.JsltReg, xJslt},
		{ebpf.JsleImm, xJsle},
		{ebpf.JsleReg, xJsle},
		{ebpf.CallReg, xCallReg},
		{opCallSyscall, xCallSyscall},
		{opCallFunction, xCallFunction},
		{opCallUnresolved, xCallUnresolved},
		{ebpf.Exit, xExit},
		{opBadRegister, xBadRegister},
		{opLddwTruncated, xLddwTruncated},
	} {
		t[p.opc] = p.code
	}
	return t
}
