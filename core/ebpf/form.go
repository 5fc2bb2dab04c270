package ebpf

// Form is the operand layout of an opcode: which instruction fields it
// reads and how rbpf v0.2.8's disassembler prints it (the comments show
// an example). The register fields a form reads are its RegUse.
type Form uint8

// The forms. FormNone is the form of every opcode rbpf does not define.
const (
	FormNone      Form = iota
	FormAluImm         // add64 r1, 0x5
	FormAluReg         // add64 r1, r2
	FormUnary          // neg64 r1
	FormEndian         // be16 r1 (imm is the width)
	FormLoadAbs        // ldabsw 0x1
	FormLoadInd        // ldindw r1, 0x2 (the register is src)
	FormLoadImm64      // lddw r1, 0x1122334455667788 (two slots)
	FormLoadReg        // ldxw r1, [r2+0x3]
	FormStoreImm       // stw [r1+0x2], 0x3
	FormStoreReg       // stxw [r1+0x2], r3
	FormJa             // ja +0x8
	FormJumpImm        // jeq r1, 0x4, +8
	FormJumpReg        // jeq r1, r3, +8
	FormCall           // call 0x3
	FormCallReg        // callx 0x3 (imm names the register)
	FormExit           // exit
	formCount
)

// RegUse is a set of the register fields an instruction indexes when it
// runs. An executed instruction whose used field names a register above
// r10 fails with InvalidRegister (see StaticFailure).
type RegUse uint8

// The register fields.
const (
	UsesDst    RegUse = 1 << iota // the dst field
	UsesSrc                       // the src field
	UsesImmReg                    // the immediate (callx)
)

// formUses is the register use of each form.
var formUses = [formCount]RegUse{
	FormAluImm:    UsesDst,
	FormAluReg:    UsesDst | UsesSrc,
	FormUnary:     UsesDst,
	FormEndian:    UsesDst,
	FormLoadInd:   UsesSrc,
	FormLoadImm64: UsesDst,
	FormLoadReg:   UsesDst | UsesSrc,
	FormStoreImm:  UsesDst,
	FormStoreReg:  UsesDst | UsesSrc,
	FormJumpImm:   UsesDst,
	FormJumpReg:   UsesDst | UsesSrc,
	FormCallReg:   UsesImmReg,
}

// Uses returns the register fields an instruction of form f indexes.
func (f Form) Uses() RegUse {
	if f >= formCount {
		return 0
	}
	return formUses[f]
}
