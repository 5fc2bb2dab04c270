package asm

import (
	"strconv"
	"strings"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// mnemonic is what one mnemonic encodes to: an opcode whose form
// (ebpf.Form) decides the operands, and for le/be the width. A binary ALU
// or conditional jump mnemonic names its immediate form (FormAluImm,
// FormJumpImm); a register operand selects the register form, opc|SrcX.
type mnemonic struct {
	opc   ebpf.OpCode
	width int64 // byte-swap width of le16, be64, ...
}

// mnemonics maps every mnemonic rbpf v0.2.8's assembler knows to its
// encoding, from the opcode table: the mnemonic of every opcode v0.2.8
// executes (it has none for the xadd stores), "le16".."be64" for the byte
// swaps, and the 64-bit ALU mnemonics also without their width ("add" is
// "add64"). Built on first use rather than at package initialisation.
var mnemonics = sync.OnceValue(buildMnemonics)

func buildMnemonics() map[string]mnemonic {
	m := map[string]mnemonic{}
	for i := range 256 {
		op := ebpf.OpCode(i)
		name := op.Mnemonic()
		switch f := op.Form(); {
		case !op.Executed(), f == ebpf.FormAluReg, f == ebpf.FormJumpReg:
			// Unknown to the assembler, or named by the immediate form.
		case f == ebpf.FormEndian:
			for _, w := range []int64{16, 32, 64} {
				m[name+strconv.FormatInt(w, 10)] = mnemonic{opc: op, width: w}
			}
		case op.Class() == ebpf.ClassAlu64:
			m[name] = mnemonic{opc: op}
			m[strings.TrimSuffix(name, "64")] = mnemonic{opc: op}
		default:
			m[name] = mnemonic{opc: op}
		}
	}
	return m
}

// namedOperandMnemonics are the mnemonics whose operands may be names: jump
// targets, call targets and lddw data symbols.
var namedOperandMnemonics = sync.OnceValue(func() map[string]bool {
	named := map[string]bool{}
	for name, m := range mnemonics() {
		switch m.opc.Form() {
		case ebpf.FormJa, ebpf.FormJumpImm, ebpf.FormCall, ebpf.FormLoadImm64:
			named[name] = true
		}
	}
	return named
})
