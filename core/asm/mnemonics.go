package asm

import (
	"strconv"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// insnKind is the operand pattern of a mnemonic, as in rbpf's assembler.
type insnKind int

const (
	kindAluBinary  insnKind = iota // op dst, src|imm
	kindAluUnary                   // op dst
	kindLoadImm                    // lddw dst, imm64
	kindLoadAbs                    // ldabs imm
	kindLoadInd                    // ldind src, imm
	kindLoadReg                    // ldx dst, [src+off]
	kindStoreImm                   // st [dst+off], imm
	kindStoreReg                   // stx [dst+off], src
	kindJumpAlways                 // ja off
	kindJumpCond                   // jcc dst, src|imm, off
	kindCallImm                    // call imm
	kindCallReg                    // callx imm
	kindEndian                     // be16/le32... dst (imm = width)
	kindNoOperand                  // exit
)

// mnemonic is what one mnemonic encodes to.
type mnemonic struct {
	kind  insnKind
	opc   ebpf.OpCode
	width int64 // byte-swap width for kindEndian
}

// mnemonics maps every mnemonic rbpf v0.2.8's assembler knows to its
// encoding. The plain ALU names (`add`) are the 64-bit ones. Built on first
// use rather than at package initialisation.
var mnemonics = sync.OnceValue(buildMnemonics)

// namedOperandMnemonics are the mnemonics whose operands may be names: jump
// targets, call targets and lddw data symbols.
var namedOperandMnemonics = map[string]bool{
	"ja": true, "call": true, "lddw": true, "jeq": true, "jgt": true, "jge": true, "jlt": true,
	"jle": true, "jset": true, "jne": true, "jsgt": true, "jsge": true, "jslt": true, "jsle": true,
}

func buildMnemonics() map[string]mnemonic {
	m := map[string]mnemonic{
		"exit":  {kind: kindNoOperand, opc: ebpf.Exit},
		"ja":    {kind: kindJumpAlways, opc: ebpf.Ja},
		"call":  {kind: kindCallImm, opc: ebpf.CallImm},
		"callx": {kind: kindCallReg, opc: ebpf.CallReg},
		"lddw":  {kind: kindLoadImm, opc: ebpf.LdDwImm},
		"neg":   {kind: kindAluUnary, opc: ebpf.Neg64},
		"neg32": {kind: kindAluUnary, opc: ebpf.Neg32},
		"neg64": {kind: kindAluUnary, opc: ebpf.Neg64},
	}
	alu := []struct {
		name string
		op   ebpf.OpCode
	}{
		{"add", ebpf.OpAdd}, {"sub", ebpf.OpSub}, {"mul", ebpf.OpMul}, {"div", ebpf.OpDiv},
		{"or", ebpf.OpOr}, {"and", ebpf.OpAnd}, {"lsh", ebpf.OpLsh}, {"rsh", ebpf.OpRsh},
		{"mod", ebpf.OpMod}, {"xor", ebpf.OpXor}, {"mov", ebpf.OpMov}, {"arsh", ebpf.OpArsh},
	}
	for _, a := range alu {
		m[a.name] = mnemonic{kind: kindAluBinary, opc: ebpf.ClassAlu64 | a.op}
		m[a.name+"32"] = mnemonic{kind: kindAluBinary, opc: ebpf.ClassAlu | a.op}
		m[a.name+"64"] = mnemonic{kind: kindAluBinary, opc: ebpf.ClassAlu64 | a.op}
	}
	sizes := []struct {
		suffix string
		size   ebpf.OpCode
	}{{"w", ebpf.SizeW}, {"h", ebpf.SizeH}, {"b", ebpf.SizeB}, {"dw", ebpf.SizeDW}}
	for _, s := range sizes {
		m["ldabs"+s.suffix] = mnemonic{kind: kindLoadAbs, opc: ebpf.ClassLd | ebpf.ModeAbs | s.size}
		m["ldind"+s.suffix] = mnemonic{kind: kindLoadInd, opc: ebpf.ClassLd | ebpf.ModeInd | s.size}
		m["ldx"+s.suffix] = mnemonic{kind: kindLoadReg, opc: ebpf.ClassLdx | ebpf.ModeMem | s.size}
		m["st"+s.suffix] = mnemonic{kind: kindStoreImm, opc: ebpf.ClassSt | ebpf.ModeMem | s.size}
		m["stx"+s.suffix] = mnemonic{kind: kindStoreReg, opc: ebpf.ClassStx | ebpf.ModeMem | s.size}
	}
	for name, op := range conditionalJumps {
		m[name] = mnemonic{kind: kindJumpCond, opc: ebpf.ClassJmp | op}
	}
	for _, w := range []int64{16, 32, 64} {
		m["be"+strconv.FormatInt(w, 10)] = mnemonic{kind: kindEndian, opc: ebpf.Be, width: w}
		m["le"+strconv.FormatInt(w, 10)] = mnemonic{kind: kindEndian, opc: ebpf.Le, width: w}
	}
	return m
}

// conditionalJumps maps the conditional jump mnemonics to their operations.
var conditionalJumps = map[string]ebpf.OpCode{
	"jeq": ebpf.OpJeq, "jgt": ebpf.OpJgt, "jge": ebpf.OpJge, "jlt": ebpf.OpJlt,
	"jle": ebpf.OpJle, "jset": ebpf.OpJset, "jne": ebpf.OpJne, "jsgt": ebpf.OpJsgt,
	"jsge": ebpf.OpJsge, "jslt": ebpf.OpJslt, "jsle": ebpf.OpJsle,
}
