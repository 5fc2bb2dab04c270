package verifier

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// prog encodes instructions; a tiny builder keeps the tables readable
// without depending on the assembler.
func prog(insns ...ebpf.Insn) []byte { return ebpf.Encode(insns) }

func op(opc ebpf.OpCode, dst, src uint8, off int16, imm int32) ebpf.Insn {
	return ebpf.Insn{Opc: opc, Dst: dst, Src: src, Off: off, Imm: imm}
}

var exit = op(ebpf.Exit, 0, 0, 0, 0)

// lddw returns the two slots of `lddw dst, imm`.
func lddw(dst uint8, v uint64) []ebpf.Insn {
	return []ebpf.Insn{op(ebpf.LdDwImm, dst, 0, 0, int32(uint32(v))), op(0, 0, 0, 0, int32(uint32(v>>32)))}
}

func cat(parts ...[]ebpf.Insn) []ebpf.Insn {
	var out []ebpf.Insn
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// The cases of rbpf's tests/ubpf_verifier.rs that exercise `check`, with
// the Debug text upstream's should_panic expects.
func TestUpstreamVerifierCases(t *testing.T) {
	tooMany := bytes.Repeat([]byte{0xb7, 0x01, 0, 0, 0, 0, 0, 0}, 65536)
	tooMany = append(tooMany, 0x95, 0, 0, 0, 0, 0, 0, 0)
	cases := []struct {
		name  string
		prog  []byte
		debug string
		text  string
	}{
		{"test_verifier_err_div_by_zero_imm",
			prog(op(ebpf.Mov32Imm, 0, 0, 0, 1), op(ebpf.Div32Imm, 0, 0, 0, 0), exit),
			"DivisionByZero(1)", "division by 0 (insn #1)"},
		{"test_verifier_err_endian_size",
			[]byte{0xdc, 0x01, 0, 0, 0x03, 0, 0, 0, 0xb7, 0x01, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0},
			"UnsupportedLeBeArgument(0)", "unsupported argument for LE/BE (insn #0)"},
		{"test_verifier_err_incomplete_lddw",
			[]byte{0x18, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x95, 0, 0, 0, 0, 0, 0, 0},
			"IncompleteLddw(0)", "incomplete LD_DW instruction (insn #0)"},
		{"test_verifier_err_infinite_loop",
			prog(op(ebpf.Ja, 0, 0, -1, 0), exit),
			"InfiniteLoop(0)", "infinite loop (insn #0)"},
		{"test_verifier_err_invalid_reg_dst",
			prog(op(ebpf.Mov64Imm, 11, 0, 0, 1), exit),
			"InvalidDestinationRegister(0)", "invalid destination register (insn #0)"},
		{"test_verifier_err_invalid_reg_src",
			prog(op(ebpf.Mov64Reg, 0, 11, 0, 0), exit),
			"InvalidSourceRegister(0)", "invalid source register (insn #0)"},
		{"test_verifier_err_jmp_lddw",
			prog(cat([]ebpf.Insn{op(ebpf.Ja, 0, 0, 1, 0)}, lddw(0, 0x1122334455667788), []ebpf.Insn{exit})...),
			"JumpToMiddleOfLddw(2, 0)", "jump to middle of LD_DW at #2 (insn #0)"},
		{"test_verifier_err_jmp_out",
			prog(op(ebpf.Ja, 0, 0, 2, 0), exit),
			"JumpOutOfCode(3, 0)", "jump out of code to #3 (insn #0)"},
		{"test_verifier_err_no_exit",
			prog(op(ebpf.Mov32Imm, 0, 0, 0, 0)),
			"InvalidLastInstruction", "program does not end with \u201cEXIT\u201d instruction"},
		{"test_verifier_err_too_many_instructions", tooMany,
			"ProgramTooLarge(65537)", "program too big, max 65536, is 65537"},
		{"test_verifier_err_unknown_opcode",
			[]byte{0x06, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0},
			"UnknownOpCode(6, 0)", "unknown eBPF opcode 0x6 (insn #0)"},
		{"test_verifier_err_write_r10",
			prog(op(ebpf.Mov64Imm, 10, 0, 0, 1), exit),
			"CannotWriteR10(0)", "cannot write into register r10 (insn #0)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectRejected(t, c.prog, c.debug, c.text)
		})
	}
}

func expectRejected(t *testing.T, p []byte, debug, text string) {
	t.Helper()
	err := Check(p)
	var ue *UserError
	if !errors.As(err, &ue) {
		t.Fatalf("Check = %v, want a *UserError", err)
	}
	if err.Error() != UserErrorText {
		t.Errorf("Error() = %q, want %q", err.Error(), UserErrorText)
	}
	if got, want := ue.Debug(), "VerifierError("+debug+")"; got != want {
		t.Errorf("Debug() = %q, want %q", got, want)
	}
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("no *Error inside %v", err)
	}
	if ve.Error() != text {
		t.Errorf("detail = %q, want %q", ve.Error(), text)
	}
}

func TestAccepts(t *testing.T) {
	cases := map[string][]byte{
		// test_verifier_success
		"mov32 and exit": prog(op(ebpf.Mov32Imm, 0, 0, 0, 0xBEE), exit),
		"lddw":           prog(cat(lddw(1, 1<<40), []ebpf.Insn{exit})...),
		// lddw counts as a store for the register rule, so r10 is accepted.
		"lddw r10":          prog(cat(lddw(10, 7), []ebpf.Insn{exit})...),
		"store through r10": prog(op(ebpf.StDWImm, 10, 0, -8, 1), op(ebpf.StBReg, 10, 1, -1, 0), exit),
		"load from r10":     prog(op(ebpf.LdDWReg, 0, 10, -8, 0), exit),
		"shift 63":          prog(op(ebpf.Lsh64Imm, 1, 0, 0, 63), op(ebpf.Arsh32Imm, 1, 0, 0, 0), exit),
		"le/be widths": prog(op(ebpf.Le, 1, 0, 0, 16), op(ebpf.Be, 1, 0, 0, 32),
			op(ebpf.Be, 1, 0, 0, 64), exit),
		"jump to exit":      prog(op(ebpf.JeqImm, 1, 0, 0, 3), exit),
		"backward jump":     prog(op(ebpf.Mov64Imm, 0, 0, 0, 0), op(ebpf.JneReg, 0, 1, -2, 0), exit),
		"callx r10":         prog(op(ebpf.CallReg, 0, 0, 0, 10), exit),
		"call any imm":      prog(op(ebpf.CallImm, 0, 0, 0, -1), exit),
		"div by register":   prog(op(ebpf.Div64Reg, 0, 1, 0, 0), op(ebpf.Mod32Reg, 0, 1, 0, 0), exit),
		"ld abs and ind":    prog(op(ebpf.LdAbsB, 0, 0, 0, 3), op(ebpf.LdIndDW, 0, 1, 0, 3), exit),
		"largest program":   append(bytes.Repeat([]byte{0xb7, 0x01, 0, 0, 0, 0, 0, 0}, 65535), 0x95, 0, 0, 0, 0, 0, 0, 0),
		"neg":               prog(op(ebpf.Neg32, 1, 0, 0, 0), op(ebpf.Neg64, 1, 0, 0, 0), exit),
		"exit with garbage": prog(op(ebpf.Exit, 3, 4, 7, 99)),
	}
	for name, p := range cases {
		if err := Check(p); err != nil {
			t.Errorf("%s: %v (%s)", name, err, err.(*UserError).Debug())
		}
	}
}

func TestRejects(t *testing.T) {
	cases := []struct {
		name  string
		prog  []byte
		debug string
		text  string
	}{
		{"empty", nil, "NoProgram", "no program set, call prog_set() to load one"},
		{"partial slot", []byte{0x95, 0, 0}, "ProgramLengthNotMultiple", "program length must be a multiple of 8 octets"},
		{"length before size", make([]byte, ebpf.ProgMaxSize+9), "ProgramLengthNotMultiple", "program length must be a multiple of 8 octets"},
		{"mod64 imm 0", prog(op(ebpf.Mod64Imm, 0, 0, 0, 0), exit), "DivisionByZero(0)", "division by 0 (insn #0)"},
		{"div64 imm 0", prog(exit, op(ebpf.Div64Imm, 0, 0, 0, 0), exit), "DivisionByZero(1)", "division by 0 (insn #1)"},
		{"shift 64", prog(op(ebpf.Rsh64Imm, 1, 0, 0, 64), exit), "ShiftWithOverflow(0)", "Shift with overflow at instruction 0"},
		{"shift negative", prog(op(ebpf.Lsh32Imm, 1, 0, 0, -1), exit), "ShiftWithOverflow(0)", "Shift with overflow at instruction 0"},
		{"callx r11", prog(op(ebpf.CallReg, 0, 0, 0, 11), exit), "InvalidRegister(0)", "Invalid register specified at instruction 0"},
		{"callx negative", prog(op(ebpf.CallReg, 0, 0, 0, -1), exit), "InvalidRegister(0)", "Invalid register specified at instruction 0"},
		{"jump before start", prog(op(ebpf.Ja, 0, 0, -3, 0), exit), "JumpOutOfCode(18446744073709551614, 0)", "jump out of code to #18446744073709551614 (insn #0)"},
		{"jump to zero opcode", prog(op(ebpf.JeqImm, 0, 0, 0, 0), op(0, 0, 0, 0, 0), exit), "JumpToMiddleOfLddw(1, 0)", "jump to middle of LD_DW at #1 (insn #0)"},
		{"zero opcode", prog(op(0, 0, 0, 0, 0), exit), "UnknownOpCode(0, 0)", "unknown eBPF opcode 0x0 (insn #0)"},
		{"xadd is unknown", prog(op(ebpf.StDWXadd, 1, 2, 0, 0), exit), "UnknownOpCode(219, 0)", "unknown eBPF opcode 0xdb (insn #0)"},
		{"unknown before registers", prog(op(0xff, 15, 15, 0, 0), exit), "UnknownOpCode(255, 0)", "unknown eBPF opcode 0xff (insn #0)"},
		{"operand before registers", prog(op(ebpf.Div32Imm, 11, 0, 0, 0), exit), "DivisionByZero(0)", "division by 0 (insn #0)"},
		{"source before destination", prog(op(ebpf.Add64Reg, 11, 12, 0, 0), exit), "InvalidSourceRegister(0)", "invalid source register (insn #0)"},
		{"store src r11", prog(op(ebpf.StWReg, 1, 11, 0, 0), exit), "InvalidSourceRegister(0)", "invalid source register (insn #0)"},
		{"store dst r11", prog(op(ebpf.StWImm, 11, 0, 0, 0), exit), "InvalidDestinationRegister(0)", "invalid destination register (insn #0)"},
		{"load into r10", prog(op(ebpf.LdBReg, 10, 1, 0, 0), exit), "CannotWriteR10(0)", "cannot write into register r10 (insn #0)"},
		{"exit into r10", prog(op(ebpf.Exit, 10, 0, 0, 0)), "CannotWriteR10(0)", "cannot write into register r10 (insn #0)"},
		{"lddw r11", prog(cat(lddw(11, 0), []ebpf.Insn{exit})...), "InvalidDestinationRegister(0)", "invalid destination register (insn #0)"},
		{"lddw before exit", prog(op(ebpf.LdDwImm, 0, 0, 0, 0), exit), "IncompleteLddw(0)", "incomplete LD_DW instruction (insn #0)"},
		{"jump into lddw", prog(cat([]ebpf.Insn{op(ebpf.JsgtReg, 1, 2, 2, 0)}, []ebpf.Insn{exit}, lddw(0, 1), []ebpf.Insn{exit})...), "JumpToMiddleOfLddw(3, 0)", "jump to middle of LD_DW at #3 (insn #0)"},
		{"skipped second slot not checked", prog(cat(lddw(0, 1), []ebpf.Insn{op(0xff, 0, 0, 0, 0), exit})...), "UnknownOpCode(255, 2)", "unknown eBPF opcode 0xff (insn #2)"},
		{"le 8", prog(op(ebpf.Le, 0, 0, 0, 8), exit), "UnsupportedLeBeArgument(0)", "unsupported argument for LE/BE (insn #0)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectRejected(t, c.prog, c.debug, c.text)
		})
	}
}

func TestHasPC(t *testing.T) {
	for k := ProgramLengthNotMultiple; k <= InvalidRegister; k++ {
		e := &Error{Kind: k}
		want := !strings.Contains(e.Debug(), "(") || k == ProgramTooLarge
		if e.HasPC() == want {
			t.Errorf("%v: HasPC() = %v", k, e.HasPC())
		}
	}
}

func TestKindNames(t *testing.T) {
	if InvalidRegister.String() != "InvalidRegister" || Kind(99).String() != "Kind(99)" {
		t.Fatal("kind names")
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(prog(op(ebpf.Mov32Imm, 0, 0, 0, 1), exit))
	f.Add(prog(cat(lddw(0, 1), []ebpf.Insn{op(ebpf.Ja, 0, 0, -3, 0), exit})...))
	f.Fuzz(func(t *testing.T, p []byte) {
		err := Check(p)
		if err == nil {
			return
		}
		var ve *Error
		if !errors.As(err, &ve) || ve.Error() == "" || ve.Debug() == "" {
			t.Fatalf("malformed error %#v", err)
		}
	})
}

// TestOpcodeTable compares the rule table with the opcodes v0.2.8's
// verifier matches (listed from its source) and the checks it applies.
func TestOpcodeTable(t *testing.T) {
	known := []uint8{0x04, 0x05, 0x07, 0x0c, 0x0f, 0x14, 0x15, 0x17, 0x18, 0x1c, 0x1d, 0x1f,
		0x20, 0x24, 0x25, 0x27, 0x28, 0x2c, 0x2d, 0x2f, 0x30, 0x34, 0x35, 0x37, 0x38, 0x3c,
		0x3d, 0x3f, 0x40, 0x44, 0x45, 0x47, 0x48, 0x4c, 0x4d, 0x4f, 0x50, 0x54, 0x55, 0x57,
		0x58, 0x5c, 0x5d, 0x5f, 0x61, 0x62, 0x63, 0x64, 0x65, 0x67, 0x69, 0x6a, 0x6b, 0x6c,
		0x6d, 0x6f, 0x71, 0x72, 0x73, 0x74, 0x75, 0x77, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7f,
		0x84, 0x85, 0x87, 0x8d, 0x94, 0x95, 0x97, 0x9c, 0x9f, 0xa4, 0xa5, 0xa7, 0xac, 0xad,
		0xaf, 0xb4, 0xb5, 0xb7, 0xbc, 0xbd, 0xbf, 0xc4, 0xc5, 0xc7, 0xcc, 0xcd, 0xcf, 0xd4,
		0xd5, 0xdc, 0xdd}
	special := map[uint8]rule{
		0x18: ruleLddw,
		0x34: ruleNonZero, 0x37: ruleNonZero, 0x94: ruleNonZero, 0x97: ruleNonZero,
		0x64: ruleShift, 0x67: ruleShift, 0x74: ruleShift, 0x77: ruleShift, 0xc4: ruleShift, 0xc7: ruleShift,
		0xd4: ruleEndian, 0xdc: ruleEndian,
		0x8d: ruleCallxReg,
		0x62: ruleStore, 0x6a: ruleStore, 0x72: ruleStore, 0x7a: ruleStore,
		0x63: ruleStore, 0x6b: ruleStore, 0x73: ruleStore, 0x7b: ruleStore,
	}
	for _, j := range []uint8{0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d,
		0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd} {
		special[j] = ruleJump
	}
	accepted := 0
	for op := range 256 {
		if _, ok := ruleOf(ebpf.OpCode(op)); ok {
			accepted++
		}
	}
	if accepted != len(known) {
		t.Errorf("%d opcodes accepted, v0.2.8 knows %d", accepted, len(known))
	}
	for _, op := range known {
		r, ok := ruleOf(ebpf.OpCode(op))
		if !ok {
			t.Errorf("opcode %#02x missing", op)
			continue
		}
		if want := special[op]; r != want {
			t.Errorf("opcode %#02x: rule %d, want %d", op, r, want)
		}
	}
}
