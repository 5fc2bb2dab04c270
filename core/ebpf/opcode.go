package ebpf

// OpCode is the first byte of an instruction. Its bits split into fields
// that depend on its class:
//
//	  7   6   5   4   3   2   1   0
//	+---+---+---+---+---+---+---+---+
//	|  mode     | size  |   class   |   load and store classes
//	+---+---+---+---+---+---+---+---+
//	|  operation    |src|   class   |   ALU and jump classes
//	+---+---+---+---+---+---+---+---+
//
// The constants below name the fields; opcodes.go names every opcode
// rbpf v0.2.8 defines, and table.go says what each one means.
type OpCode uint8

// Instruction classes (bits 0-2).
const (
	ClassLd    OpCode = 0x00
	ClassLdx   OpCode = 0x01
	ClassSt    OpCode = 0x02
	ClassStx   OpCode = 0x03
	ClassAlu   OpCode = 0x04
	ClassJmp   OpCode = 0x05
	ClassAlu64 OpCode = 0x07

	// ClassMask selects the class bits of an opcode.
	ClassMask OpCode = 0x07
	// AluOpMask selects the operation bits of an ALU or jump opcode.
	AluOpMask OpCode = 0xf0
)

// Access sizes of load and store instructions (bits 3-4).
const (
	SizeW  OpCode = 0x00
	SizeH  OpCode = 0x08
	SizeB  OpCode = 0x10
	SizeDW OpCode = 0x18
)

// Addressing modes of load and store instructions (bits 5-7).
const (
	ModeImm  OpCode = 0x00
	ModeAbs  OpCode = 0x20
	ModeInd  OpCode = 0x40
	ModeMem  OpCode = 0x60
	ModeXadd OpCode = 0xc0
)

// Operand source of ALU and jump instructions (bit 3).
const (
	SrcK OpCode = 0x00 // the immediate
	SrcX OpCode = 0x08 // the source register
)

// ALU operations (bits 4-7).
const (
	OpAdd  OpCode = 0x00
	OpSub  OpCode = 0x10
	OpMul  OpCode = 0x20
	OpDiv  OpCode = 0x30
	OpOr   OpCode = 0x40
	OpAnd  OpCode = 0x50
	OpLsh  OpCode = 0x60
	OpRsh  OpCode = 0x70
	OpNeg  OpCode = 0x80
	OpMod  OpCode = 0x90
	OpXor  OpCode = 0xa0
	OpMov  OpCode = 0xb0
	OpArsh OpCode = 0xc0
	OpEnd  OpCode = 0xd0
)

// Jump operations (bits 4-7).
const (
	OpJa   OpCode = 0x00
	OpJeq  OpCode = 0x10
	OpJgt  OpCode = 0x20
	OpJge  OpCode = 0x30
	OpJset OpCode = 0x40
	OpJne  OpCode = 0x50
	OpJsgt OpCode = 0x60
	OpJsge OpCode = 0x70
	OpCall OpCode = 0x80
	OpExit OpCode = 0x90
	OpJlt  OpCode = 0xa0
	OpJle  OpCode = 0xb0
	OpJslt OpCode = 0xc0
	OpJsle OpCode = 0xd0
)

// Class returns the class bits (ClassLd .. ClassAlu64).
func (op OpCode) Class() OpCode { return op & ClassMask }

// Operation returns the operation bits of an ALU or jump opcode (OpAdd ..,
// OpJa ..).
func (op OpCode) Operation() OpCode { return op & AluOpMask }

// IsReg reports whether an ALU or jump opcode takes its operand from the
// source register (SrcX) rather than from the immediate (SrcK).
func (op OpCode) IsReg() bool { return op&SrcX != 0 }

// IsALU reports whether the opcode is of a 32- or 64-bit ALU class.
func (op OpCode) IsALU() bool { c := op.Class(); return c == ClassAlu || c == ClassAlu64 }

// IsDivMod reports whether the opcode is an ALU division or modulo.
func (op OpCode) IsDivMod() bool {
	return op.IsALU() && (op.Operation() == OpDiv || op.Operation() == OpMod)
}

// IsShift reports whether the opcode is an ALU shift (lsh, rsh, arsh).
func (op OpCode) IsShift() bool {
	o := op.Operation()
	return op.IsALU() && (o == OpLsh || o == OpRsh || o == OpArsh)
}

// IsStore reports whether the opcode is of a store class (st, stx).
func (op OpCode) IsStore() bool { c := op.Class(); return c == ClassSt || c == ClassStx }

// AccessSize returns how many bytes a load or store opcode accesses: 1, 2,
// 4 or 8, from its size bits.
func (op OpCode) AccessSize() uint64 {
	switch op & SizeDW {
	case SizeB:
		return 1
	case SizeH:
		return 2
	case SizeW:
		return 4
	}
	return 8
}
