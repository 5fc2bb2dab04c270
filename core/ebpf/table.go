package ebpf

// opcodeInfo is what one opcode means: the mnemonic rbpf v0.2.8's
// disassembler prints, the operand form, and whether v0.2.8 executes it.
type opcodeInfo struct {
	mnemonic string
	form     Form
	run      execution
}

// execution says whether rbpf v0.2.8 executes an opcode it can name.
type execution bool

const (
	executed    execution = true  // the interpreter and the JIT run it; the verifier accepts it
	notExecuted execution = false // only the disassembler knows it
)

// opcodes is the one table of opcode semantics. Every opcode rbpf v0.2.8
// names has a row; the zero row (no mnemonic, FormNone) is an opcode it
// does not know. The verifier, the assembler, the disassembler, the
// interpreter's decoder and the JIT's classifier are all built from it.
//
// The ALU and jump operations have a row for the immediate form (SrcK) and
// one for the register form (SrcX), with the same mnemonic. The assembler
// also accepts a 64-bit ALU mnemonic without its width ("add" is "add64").
var opcodes = [256]opcodeInfo{
	LdAbsB:  {"ldabsb", FormLoadAbs, executed},
	LdAbsH:  {"ldabsh", FormLoadAbs, executed},
	LdAbsW:  {"ldabsw", FormLoadAbs, executed},
	LdAbsDW: {"ldabsdw", FormLoadAbs, executed},
	LdIndB:  {"ldindb", FormLoadInd, executed},
	LdIndH:  {"ldindh", FormLoadInd, executed},
	LdIndW:  {"ldindw", FormLoadInd, executed},
	LdIndDW: {"ldinddw", FormLoadInd, executed},
	LdDwImm: {"lddw", FormLoadImm64, executed},

	LdBReg:  {"ldxb", FormLoadReg, executed},
	LdHReg:  {"ldxh", FormLoadReg, executed},
	LdWReg:  {"ldxw", FormLoadReg, executed},
	LdDWReg: {"ldxdw", FormLoadReg, executed},
	StBImm:  {"stb", FormStoreImm, executed},
	StHImm:  {"sth", FormStoreImm, executed},
	StWImm:  {"stw", FormStoreImm, executed},
	StDWImm: {"stdw", FormStoreImm, executed},
	StBReg:  {"stxb", FormStoreReg, executed},
	StHReg:  {"stxh", FormStoreReg, executed},
	StWReg:  {"stxw", FormStoreReg, executed},
	StDWReg: {"stxdw", FormStoreReg, executed},

	StWXadd:  {"stxxaddw", FormStoreReg, notExecuted},
	StDWXadd: {"stxxadddw", FormStoreReg, notExecuted},

	Add32Imm:  {"add32", FormAluImm, executed},
	Add32Reg:  {"add32", FormAluReg, executed},
	Sub32Imm:  {"sub32", FormAluImm, executed},
	Sub32Reg:  {"sub32", FormAluReg, executed},
	Mul32Imm:  {"mul32", FormAluImm, executed},
	Mul32Reg:  {"mul32", FormAluReg, executed},
	Div32Imm:  {"div32", FormAluImm, executed},
	Div32Reg:  {"div32", FormAluReg, executed},
	Or32Imm:   {"or32", FormAluImm, executed},
	Or32Reg:   {"or32", FormAluReg, executed},
	And32Imm:  {"and32", FormAluImm, executed},
	And32Reg:  {"and32", FormAluReg, executed},
	Lsh32Imm:  {"lsh32", FormAluImm, executed},
	Lsh32Reg:  {"lsh32", FormAluReg, executed},
	Rsh32Imm:  {"rsh32", FormAluImm, executed},
	Rsh32Reg:  {"rsh32", FormAluReg, executed},
	Neg32:     {"neg32", FormUnary, executed},
	Mod32Imm:  {"mod32", FormAluImm, executed},
	Mod32Reg:  {"mod32", FormAluReg, executed},
	Xor32Imm:  {"xor32", FormAluImm, executed},
	Xor32Reg:  {"xor32", FormAluReg, executed},
	Mov32Imm:  {"mov32", FormAluImm, executed},
	Mov32Reg:  {"mov32", FormAluReg, executed},
	Arsh32Imm: {"arsh32", FormAluImm, executed},
	Arsh32Reg: {"arsh32", FormAluReg, executed},
	Le:        {"le", FormEndian, executed},
	Be:        {"be", FormEndian, executed},

	Add64Imm:  {"add64", FormAluImm, executed},
	Add64Reg:  {"add64", FormAluReg, executed},
	Sub64Imm:  {"sub64", FormAluImm, executed},
	Sub64Reg:  {"sub64", FormAluReg, executed},
	Mul64Imm:  {"mul64", FormAluImm, executed},
	Mul64Reg:  {"mul64", FormAluReg, executed},
	Div64Imm:  {"div64", FormAluImm, executed},
	Div64Reg:  {"div64", FormAluReg, executed},
	Or64Imm:   {"or64", FormAluImm, executed},
	Or64Reg:   {"or64", FormAluReg, executed},
	And64Imm:  {"and64", FormAluImm, executed},
	And64Reg:  {"and64", FormAluReg, executed},
	Lsh64Imm:  {"lsh64", FormAluImm, executed},
	Lsh64Reg:  {"lsh64", FormAluReg, executed},
	Rsh64Imm:  {"rsh64", FormAluImm, executed},
	Rsh64Reg:  {"rsh64", FormAluReg, executed},
	Neg64:     {"neg64", FormUnary, executed},
	Mod64Imm:  {"mod64", FormAluImm, executed},
	Mod64Reg:  {"mod64", FormAluReg, executed},
	Xor64Imm:  {"xor64", FormAluImm, executed},
	Xor64Reg:  {"xor64", FormAluReg, executed},
	Mov64Imm:  {"mov64", FormAluImm, executed},
	Mov64Reg:  {"mov64", FormAluReg, executed},
	Arsh64Imm: {"arsh64", FormAluImm, executed},
	Arsh64Reg: {"arsh64", FormAluReg, executed},

	Ja:      {"ja", FormJa, executed},
	JeqImm:  {"jeq", FormJumpImm, executed},
	JeqReg:  {"jeq", FormJumpReg, executed},
	JgtImm:  {"jgt", FormJumpImm, executed},
	JgtReg:  {"jgt", FormJumpReg, executed},
	JgeImm:  {"jge", FormJumpImm, executed},
	JgeReg:  {"jge", FormJumpReg, executed},
	JltImm:  {"jlt", FormJumpImm, executed},
	JltReg:  {"jlt", FormJumpReg, executed},
	JleImm:  {"jle", FormJumpImm, executed},
	JleReg:  {"jle", FormJumpReg, executed},
	JsetImm: {"jset", FormJumpImm, executed},
	JsetReg: {"jset", FormJumpReg, executed},
	JneImm:  {"jne", FormJumpImm, executed},
	JneReg:  {"jne", FormJumpReg, executed},
	JsgtImm: {"jsgt", FormJumpImm, executed},
	JsgtReg: {"jsgt", FormJumpReg, executed},
	JsgeImm: {"jsge", FormJumpImm, executed},
	JsgeReg: {"jsge", FormJumpReg, executed},
	JsltImm: {"jslt", FormJumpImm, executed},
	JsltReg: {"jslt", FormJumpReg, executed},
	JsleImm: {"jsle", FormJumpImm, executed},
	JsleReg: {"jsle", FormJumpReg, executed},
	CallImm: {"call", FormCall, executed},
	CallReg: {"callx", FormCallReg, executed},
	Exit:    {"exit", FormExit, executed},
}

// Mnemonic returns the name rbpf v0.2.8's disassembler prints for the
// opcode ("add64", "jeq", "le"), or "" for an opcode it does not know.
func (op OpCode) Mnemonic() string { return opcodes[op].mnemonic }

// Form returns the operand form of the opcode; FormNone when rbpf does not
// know it.
func (op OpCode) Form() Form { return opcodes[op].form }

// Executed reports whether rbpf v0.2.8 executes the opcode. Its verifier
// accepts exactly these opcodes; its interpreter fails on any other with
// UnsupportedInstruction.
func (op OpCode) Executed() bool { return bool(opcodes[op].run) }

// Uses returns the register fields an executed instruction of this opcode
// indexes; 0 when the opcode is not executed.
func (op OpCode) Uses() RegUse {
	if !op.Executed() {
		return 0
	}
	return op.Form().Uses()
}
