package ebpf

import "testing"

// TestExecutedOpcodes compares the table with the opcodes rbpf v0.2.8's
// interpreter and verifier match (listed from their source): every other
// opcode is unsupported and unknown.
func TestExecutedOpcodes(t *testing.T) {
	known := []OpCode{0x04, 0x05, 0x07, 0x0c, 0x0f, 0x14, 0x15, 0x17, 0x18, 0x1c, 0x1d, 0x1f,
		0x20, 0x24, 0x25, 0x27, 0x28, 0x2c, 0x2d, 0x2f, 0x30, 0x34, 0x35, 0x37, 0x38, 0x3c,
		0x3d, 0x3f, 0x40, 0x44, 0x45, 0x47, 0x48, 0x4c, 0x4d, 0x4f, 0x50, 0x54, 0x55, 0x57,
		0x58, 0x5c, 0x5d, 0x5f, 0x61, 0x62, 0x63, 0x64, 0x65, 0x67, 0x69, 0x6a, 0x6b, 0x6c,
		0x6d, 0x6f, 0x71, 0x72, 0x73, 0x74, 0x75, 0x77, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7f,
		0x84, 0x85, 0x87, 0x8d, 0x94, 0x95, 0x97, 0x9c, 0x9f, 0xa4, 0xa5, 0xa7, 0xac, 0xad,
		0xaf, 0xb4, 0xb5, 0xb7, 0xbc, 0xbd, 0xbf, 0xc4, 0xc5, 0xc7, 0xcc, 0xcd, 0xcf, 0xd4,
		0xd5, 0xdc, 0xdd}
	want := map[OpCode]bool{}
	for _, op := range known {
		want[op] = true
	}
	for i := range 256 {
		op := OpCode(i)
		if op.Executed() != want[op] {
			t.Errorf("opcode %#02x: Executed() = %v", i, op.Executed())
		}
		if named := op.Mnemonic() != ""; named != (op.Form() != FormNone) || want[op] && !named {
			t.Errorf("opcode %#02x: mnemonic %q, form %d", i, op.Mnemonic(), op.Form())
		}
	}
	for _, op := range []OpCode{StWXadd, StDWXadd} {
		if op.Mnemonic() == "" || op.Executed() {
			t.Errorf("xadd %#02x: the disassembler names it, v0.2.8 does not execute it", op)
		}
	}
}

// TestRegisterUse checks the register fields of one opcode of each form.
func TestRegisterUse(t *testing.T) {
	for _, c := range []struct {
		op   OpCode
		want RegUse
	}{
		{LdAbsW, 0}, {LdIndW, UsesSrc}, {LdDwImm, UsesDst}, {LdWReg, UsesDst | UsesSrc},
		{StWImm, UsesDst}, {StWReg, UsesDst | UsesSrc}, {StWXadd, 0},
		{Add32Imm, UsesDst}, {Add64Reg, UsesDst | UsesSrc}, {Neg64, UsesDst}, {Be, UsesDst},
		{Ja, 0}, {JeqImm, UsesDst}, {JsleReg, UsesDst | UsesSrc},
		{CallImm, 0}, {CallReg, UsesImmReg}, {Exit, 0}, {0x06, 0},
	} {
		if got := c.op.Uses(); got != c.want {
			t.Errorf("opcode %#02x (%s): uses %03b, want %03b", c.op, c.op.Mnemonic(), got, c.want)
		}
	}
}

func TestOpcodeFields(t *testing.T) {
	if !Div32Imm.IsDivMod() || !Mod64Reg.IsDivMod() || Mul64Imm.IsDivMod() || JgeImm.IsDivMod() {
		t.Error("IsDivMod")
	}
	if !Arsh32Imm.IsShift() || !Lsh64Reg.IsShift() || Mov64Imm.IsShift() || JsgtImm.IsShift() {
		t.Error("IsShift")
	}
	if !StBImm.IsStore() || !StDWReg.IsStore() || LdDWReg.IsStore() {
		t.Error("IsStore")
	}
	for op, size := range map[OpCode]uint64{LdAbsB: 1, LdHReg: 2, StWImm: 4, StDWReg: 8, LdIndDW: 8} {
		if op.AccessSize() != size {
			t.Errorf("opcode %#02x: access size %d, want %d", op, op.AccessSize(), size)
		}
	}
}

func TestJumps(t *testing.T) {
	for i := range 256 {
		op := OpCode(i)
		want := op == Ja || op.Class() == ClassJmp && op.Executed() &&
			op.Operation() != OpCall && op.Operation() != OpExit
		if op.IsJump() != want {
			t.Errorf("opcode %#02x: IsJump() = %v", i, op.IsJump())
		}
	}
	if JumpTarget(5, -6) != 0 || JumpTarget(5, 2) != 8 || JumpTarget(0, -2) != -1 {
		t.Error("JumpTarget")
	}
}
