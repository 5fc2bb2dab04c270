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
// the comments give that number. TestDispatchCodes checks these values
// against a model of the search.
const (
	xLdDWReg        uint8 = 0  // 0 taken branches
	xMov64Reg             = 1  // 1
	xMov64Imm             = 3  // 1
	xAdd64Imm             = 6  // 1
	xStDWReg              = 12 // 1
	xJneImm               = 24 // 1
	xJeqImm               = 49 // 1
	xAdd64Reg             = 2  // 2
	xSub64Imm             = 4  // 2
	xSub64Reg             = 7  // 2
	xLsh64Imm             = 9  // 2
	xRsh64Imm             = 13 // 2
	xAnd64Imm             = 15 // 2
	xOr64Reg              = 18 // 2
	xLdBReg               = 25 // 2
	xStBReg               = 27 // 2
	xLdWReg               = 30 // 2
	xStWReg               = 36 // 2
	xJa                   = 50 // 2
	xCallFunction         = 52 // 2
	xExit                 = 55 // 2
	xLdDwImm              = 61 // 2
	xJgtImm               = 74 // 2
	xJeqReg               = 5  // 3
	xJneReg               = 8  // 3
	xJgtReg               = 10 // 3
	xJgeImm               = 14 // 3
	xJltImm               = 16 // 3
	xJltReg               = 19 // 3
	xJgeReg               = 21 // 3
	xJleImm               = 26 // 3
	xJleReg               = 28 // 3
	xMul64Imm             = 31 // 3
	xMul64Reg             = 33 // 3
	xXor64Reg             = 37 // 3
	xXor64Imm             = 39 // 3
	xOr64Imm              = 42 // 3
	xAnd64Reg             = 51 // 3
	xArsh64Imm            = 53 // 3
	xLdHReg               = 56 // 3
	xStHReg               = 58 // 3
	xStDWImm              = 62 // 3
	xStWImm               = 64 // 3
	xStBImm               = 67 // 3
	xMov32Imm             = 75 // 3
	xMov32Reg             = 77 // 3
	xAdd32Imm             = 80 // 3
	xCallSyscall          = 86 // 3
	xJsgtImm              = 11 // 4
	xJsgtReg              = 17 // 4
	xJsgeImm              = 20 // 4
	xJsgeReg              = 22 // 4
	xJsltImm              = 29 // 4
	xJsltReg              = 32 // 4
	xJsleImm              = 34 // 4
	xJsleReg              = 38 // 4
	xJsetImm              = 40 // 4
	xJsetReg              = 43 // 4
	xLsh64Reg             = 45 // 4
	xRsh64Reg             = 54 // 4
	xArsh64Reg            = 57 // 4
	xNeg64                = 59 // 4
	xDiv64Imm             = 63 // 4
	xDiv64Reg             = 65 // 4
	xMod64Imm             = 68 // 4
	xMod64Reg             = 70 // 4
	xAdd32Reg             = 76 // 4
	xSub32Imm             = 78 // 4
	xSub32Reg             = 81 // 4
	xMul32Imm             = 83 // 4
	xMul32Reg             = 87 // 4
	xAnd32Imm             = 89 // 4
	xLsh32Imm             = 92 // 4
	xOr32Imm              = 23 // 5
	xOr32Reg              = 35 // 5
	xAnd32Reg             = 41 // 5
	xRsh32Imm             = 44 // 5
	xXor32Imm             = 46 // 5
	xXor32Reg             = 47 // 5
	xLsh32Reg             = 60 // 5
	xRsh32Reg             = 66 // 5
	xArsh32Imm            = 69 // 5
	xArsh32Reg            = 71 // 5
	xNeg32                = 72 // 5
	xDiv32Imm             = 79 // 5
	xDiv32Reg             = 82 // 5
	xMod32Imm             = 84 // 5
	xMod32Reg             = 88 // 5
	xLe                   = 90 // 5
	xBe                   = 93 // 5
	xStHImm               = 95 // 5
	xCallReg              = 48 // 6
	xLdAbsB               = 73 // 6
	xLdAbsH               = 85 // 6
	xLdAbsW               = 91 // 6
	xLdAbsDW              = 94 // 6
	xCallUnresolved       = 96 // 6
	xBadRegister          = 97 // 6
	xLddwTruncated        = 98 // 7
	// xUnsupported is every opcode v0.2.8 does not execute; exec handles it
	// in the switch's default case.
	xUnsupported = 99
)

// dispatchOf maps an opcode (or pseudo-opcode) of a decoded instruction to
// its dispatch code.
var dispatchOf = buildDispatch()

func buildDispatch() (t [256]uint8) {
	for i := range t {
		t[i] = xUnsupported
	}
	for _, p := range [...]struct{ opc, code uint8 }{
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
		{ebpf.Add32Imm, xAdd32Imm},
		{ebpf.Add32Reg, xAdd32Reg},
		{ebpf.Sub32Imm, xSub32Imm},
		{ebpf.Sub32Reg, xSub32Reg},
		{ebpf.Mul32Imm, xMul32Imm},
		{ebpf.Mul32Reg, xMul32Reg},
		{ebpf.Div32Imm, xDiv32Imm},
		{ebpf.Div32Reg, xDiv32Reg},
		{ebpf.Or32Imm, xOr32Imm},
		{ebpf.Or32Reg, xOr32Reg},
		{ebpf.And32Imm, xAnd32Imm},
		{ebpf.And32Reg, xAnd32Reg},
		{ebpf.Lsh32Imm, xLsh32Imm},
		{ebpf.Lsh32Reg, xLsh32Reg},
		{ebpf.Rsh32Imm, xRsh32Imm},
		{ebpf.Rsh32Reg, xRsh32Reg},
		{ebpf.Neg32, xNeg32},
		{ebpf.Mod32Imm, xMod32Imm},
		{ebpf.Mod32Reg, xMod32Reg},
		{ebpf.Xor32Imm, xXor32Imm},
		{ebpf.Xor32Reg, xXor32Reg},
		{ebpf.Mov32Imm, xMov32Imm},
		{ebpf.Mov32Reg, xMov32Reg},
		{ebpf.Arsh32Imm, xArsh32Imm},
		{ebpf.Arsh32Reg, xArsh32Reg},
		{ebpf.Le, xLe},
		{ebpf.Be, xBe},
		{ebpf.Add64Imm, xAdd64Imm},
		{ebpf.Add64Reg, xAdd64Reg},
		{ebpf.Sub64Imm, xSub64Imm},
		{ebpf.Sub64Reg, xSub64Reg},
		{ebpf.Mul64Imm, xMul64Imm},
		{ebpf.Mul64Reg, xMul64Reg},
		{ebpf.Div64Imm, xDiv64Imm},
		{ebpf.Div64Reg, xDiv64Reg},
		{ebpf.Or64Imm, xOr64Imm},
		{ebpf.Or64Reg, xOr64Reg},
		{ebpf.And64Imm, xAnd64Imm},
		{ebpf.And64Reg, xAnd64Reg},
		{ebpf.Lsh64Imm, xLsh64Imm},
		{ebpf.Lsh64Reg, xLsh64Reg},
		{ebpf.Rsh64Imm, xRsh64Imm},
		{ebpf.Rsh64Reg, xRsh64Reg},
		{ebpf.Neg64, xNeg64},
		{ebpf.Mod64Imm, xMod64Imm},
		{ebpf.Mod64Reg, xMod64Reg},
		{ebpf.Xor64Imm, xXor64Imm},
		{ebpf.Xor64Reg, xXor64Reg},
		{ebpf.Mov64Imm, xMov64Imm},
		{ebpf.Mov64Reg, xMov64Reg},
		{ebpf.Arsh64Imm, xArsh64Imm},
		{ebpf.Arsh64Reg, xArsh64Reg},
		{ebpf.Ja, xJa},
		{ebpf.JeqImm, xJeqImm},
		{ebpf.JeqReg, xJeqReg},
		{ebpf.JgtImm, xJgtImm},
		{ebpf.JgtReg, xJgtReg},
		{ebpf.JgeImm, xJgeImm},
		{ebpf.JgeReg, xJgeReg},
		{ebpf.JltImm, xJltImm},
		{ebpf.JltReg, xJltReg},
		{ebpf.JleImm, xJleImm},
		{ebpf.JleReg, xJleReg},
		{ebpf.JsetImm, xJsetImm},
		{ebpf.JsetReg, xJsetReg},
		{ebpf.JneImm, xJneImm},
		{ebpf.JneReg, xJneReg},
		{ebpf.JsgtImm, xJsgtImm},
		{ebpf.JsgtReg, xJsgtReg},
		{ebpf.JsgeImm, xJsgeImm},
		{ebpf.JsgeReg, xJsgeReg},
		{ebpf.JsltImm, xJsltImm},
		{ebpf.JsltReg, xJsltReg},
		{ebpf.JsleImm, xJsleImm},
		{ebpf.JsleReg, xJsleReg},
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
