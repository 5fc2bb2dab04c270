package wasmjit

import (
	"fmt"
	"strings"
)

// opNames are the WebAssembly text names of the opcodes the compiler
// emits.
var opNames = map[byte]string{
	opUnreachable: "unreachable", opBlock: "block", opLoop: "loop", opIf: "if", opElse: "else",
	opEnd: "end", opBr: "br", opBrIf: "br_if", opBrTable: "br_table", opReturn: "return",
	opCall: "call", opSelect: "select", opLocalGet: "local.get", opLocalSet: "local.set",
	opLocalTee: "local.tee", opGlobalGet: "global.get", opGlobalSet: "global.set",
	opI32Load: "i32.load", opI64Load: "i64.load", opI64Load8U: "i64.load8_u",
	opI64Load16U: "i64.load16_u", opI64Load32U: "i64.load32_u", opI32Store: "i32.store",
	opI64Store: "i64.store", opI64Store8: "i64.store8", opI64Store16: "i64.store16",
	opI64Store32: "i64.store32", opI32Const: "i32.const", opI64Const: "i64.const",
	opI32Eqz: "i32.eqz", opI32Eq: "i32.eq", opI32Ne: "i32.ne", opI32LtU: "i32.lt_u",
	opI32GeU: "i32.ge_u", opI64Eqz: "i64.eqz", opI64Eq: "i64.eq", opI64Ne: "i64.ne",
	opI64LtS: "i64.lt_s", opI64LtU: "i64.lt_u", opI64GtS: "i64.gt_s", opI64GtU: "i64.gt_u",
	opI64LeS: "i64.le_s", opI64LeU: "i64.le_u", opI64GeS: "i64.ge_s", opI64GeU: "i64.ge_u",
	opI32Add: "i32.add", opI32Sub: "i32.sub", opI32Mul: "i32.mul", opI32DivU: "i32.div_u",
	opI32RemU: "i32.rem_u", opI32And: "i32.and", opI32Or: "i32.or", opI32Xor: "i32.xor",
	opI32Shl: "i32.shl", opI32ShrS: "i32.shr_s", opI32ShrU: "i32.shr_u", opI64Add: "i64.add",
	opI64Sub: "i64.sub", opI64Mul: "i64.mul", opI64DivU: "i64.div_u", opI64RemU: "i64.rem_u",
	opI64And: "i64.and", opI64Or: "i64.or", opI64Xor: "i64.xor", opI64Shl: "i64.shl",
	opI64ShrS: "i64.shr_s", opI64ShrU: "i64.shr_u", opI32WrapI64: "i32.wrap_i64",
	opI64ExtendS: "i64.extend_i32_s", opI64ExtendU: "i64.extend_i32_u",
}

// localNames name a chunk function's locals in listings.
var localNames = map[uint64]string{
	lCtx: "$ctx", lB: "$budget", lA: "$addr", lO: "$off", lT: "$tmp", lXArg: "$exit_arg",
	lInStart: "$in_start", lFVM: "$frame_start", lPC: "$pc", lFP: "$frame", lH: "$host",
	lXCode: "$exit_code", lXPC: "$exit_pc", lInHost: "$in_host", lFHost: "$frame_host",
	lMid: "$mid", lC: "$charge",
}

func localName(l uint64) string {
	switch {
	case l >= lR0 && l <= lR0+10:
		return fmt.Sprintf("$r%d", l-lR0)
	case l >= lInL && l < lInL+4:
		return fmt.Sprintf("$in_load_limit%d", 1<<(l-lInL))
	case l >= lInS && l < lInS+4:
		return fmt.Sprintf("$in_store_limit%d", 1<<(l-lInS))
	case l >= lFL && l < lFL+4:
		return fmt.Sprintf("$frame_limit%d", 1<<(l-lFL))
	}
	if s, ok := localNames[l]; ok {
		return s
	}
	return fmt.Sprint(l)
}

var globalNames = [...]string{gRegions: "$regions", gNRegions: "$region_count", gTraceCur: "$trace_cur", gTraceEnd: "$trace_end"}

var funcNames = [...]string{fnRun: "$run", fnXlate: "$translate", fnTrace: "$trace", fnBswap: "$bswap64"}

// wasmInsn is one decoded WebAssembly instruction.
type wasmInsn struct {
	op    byte
	imm   []int64 // immediates (br_table: the targets then the default)
	size  int
	valid bool
}

// decodeInsn decodes the instruction at the start of b (only the opcodes
// the compiler emits; valid is false for anything else or a truncation).
func decodeInsn(b []byte) wasmInsn {
	if len(b) == 0 {
		return wasmInsn{}
	}
	in := wasmInsn{op: b[0], size: 1}
	uleb := func() bool {
		v, n := readULEB(b[in.size:])
		in.imm = append(in.imm, int64(v))
		in.size += n
		return n > 0
	}
	switch op := b[0]; {
	case opNames[op] == "":
		return in
	case op == opBlock || op == opLoop || op == opIf:
		if len(b) < 2 {
			return in
		}
		in.imm = append(in.imm, int64(b[1]))
		in.size++
	case op == opBr || op == opBrIf || op == opCall || op == opLocalGet || op == opLocalSet ||
		op == opLocalTee || op == opGlobalGet || op == opGlobalSet:
		if !uleb() {
			return in
		}
	case op == opBrTable:
		if !uleb() {
			return in
		}
		count := in.imm[0]
		in.imm = in.imm[:0]
		if count < 0 || count > int64(len(b)) {
			return in
		}
		for i := int64(0); i <= count; i++ {
			if !uleb() {
				return in
			}
		}
	case op >= opI32Load && op <= opI64Store32:
		if !uleb() || !uleb() {
			return in
		}
	case op == opI32Const || op == opI64Const:
		v, n := readSLEB(b[1:])
		if n == 0 {
			return in
		}
		in.imm = append(in.imm, v)
		in.size += n
	}
	in.valid = true
	return in
}

// String is the instruction in WebAssembly text format.
func (in wasmInsn) String() string {
	name := opNames[in.op]
	switch {
	case in.op == opBlock || in.op == opLoop || in.op == opIf:
		if len(in.imm) == 1 && in.imm[0] == typeI32 {
			return name + " (result i32)"
		}
		return name
	case in.op == opLocalGet || in.op == opLocalSet || in.op == opLocalTee:
		return name + " " + localName(uint64(in.imm[0]))
	case in.op == opGlobalGet || in.op == opGlobalSet:
		if in.imm[0] < int64(len(globalNames)) {
			return name + " " + globalNames[in.imm[0]]
		}
	case in.op == opCall:
		if in.imm[0] < int64(len(funcNames)) {
			return name + " " + funcNames[in.imm[0]]
		}
		return fmt.Sprintf("%s $chunk%d", name, in.imm[0]-fnChunks)
	case in.op >= opI32Load && in.op <= opI64Store32:
		if in.imm[1] != 0 {
			return fmt.Sprintf("%s offset=%d", name, in.imm[1])
		}
		return name
	case in.op == opBrTable:
		return fmt.Sprintf("%s (%d targets)", name, len(in.imm))
	}
	s := name
	for _, v := range in.imm {
		s += fmt.Sprint(" ", v)
	}
	return s
}

// InstructionText is the WebAssembly text of the code instruction pc
// compiled to (the meter charge of a segment start, the trace record when
// tracing, then the instruction), one instruction a line, indented by
// nesting. Branch depths are relative, as in the binary: br 0 leaves the
// innermost construct. A text above 1024 slots is split into
// several functions; a jump between them leaves with exit code 0 (the
// driver calls the next chunk). It is "" for a pc outside the program.
func (m *Module) InstructionText(pc int) string {
	if pc < 0 || pc >= len(m.slotCode) {
		return ""
	}
	r := m.slotCode[pc]
	code := m.bodies[m.chunkOf[pc]][r[0]:r[1]]
	var sb strings.Builder
	depth := 0
	for len(code) > 0 {
		in := decodeInsn(code)
		if !in.valid {
			fmt.Fprintf(&sb, ";; undecodable byte 0x%02x\n", code[0])
			break
		}
		if in.op == opEnd || in.op == opElse {
			depth--
		}
		sb.WriteString(strings.Repeat("  ", max(depth, 0)))
		sb.WriteString(in.String())
		sb.WriteByte('\n')
		if in.op == opBlock || in.op == opLoop || in.op == opIf || in.op == opElse {
			depth++
		}
		code = code[in.size:]
	}
	return sb.String()
}
