package ebpf

// Complete opcodes, named as in rbpf v0.2.8 (`LD_ABS_B` is LdAbsB).
const (
	LdAbsB  = ClassLd | ModeAbs | SizeB
	LdAbsH  = ClassLd | ModeAbs | SizeH
	LdAbsW  = ClassLd | ModeAbs | SizeW
	LdAbsDW = ClassLd | ModeAbs | SizeDW
	LdIndB  = ClassLd | ModeInd | SizeB
	LdIndH  = ClassLd | ModeInd | SizeH
	LdIndW  = ClassLd | ModeInd | SizeW
	LdIndDW = ClassLd | ModeInd | SizeDW

	// LdDwImm loads a 64-bit immediate and occupies two instruction slots.
	LdDwImm = ClassLd | ModeImm | SizeDW

	LdBReg  = ClassLdx | ModeMem | SizeB
	LdHReg  = ClassLdx | ModeMem | SizeH
	LdWReg  = ClassLdx | ModeMem | SizeW
	LdDWReg = ClassLdx | ModeMem | SizeDW

	StBImm  = ClassSt | ModeMem | SizeB
	StHImm  = ClassSt | ModeMem | SizeH
	StWImm  = ClassSt | ModeMem | SizeW
	StDWImm = ClassSt | ModeMem | SizeDW

	StBReg  = ClassStx | ModeMem | SizeB
	StHReg  = ClassStx | ModeMem | SizeH
	StWReg  = ClassStx | ModeMem | SizeW
	StDWReg = ClassStx | ModeMem | SizeDW

	StWXadd  = ClassStx | ModeXadd | SizeW
	StDWXadd = ClassStx | ModeXadd | SizeDW

	Add32Imm  = ClassAlu | SrcK | OpAdd
	Add32Reg  = ClassAlu | SrcX | OpAdd
	Sub32Imm  = ClassAlu | SrcK | OpSub
	Sub32Reg  = ClassAlu | SrcX | OpSub
	Mul32Imm  = ClassAlu | SrcK | OpMul
	Mul32Reg  = ClassAlu | SrcX | OpMul
	Div32Imm  = ClassAlu | SrcK | OpDiv
	Div32Reg  = ClassAlu | SrcX | OpDiv
	Or32Imm   = ClassAlu | SrcK | OpOr
	Or32Reg   = ClassAlu | SrcX | OpOr
	And32Imm  = ClassAlu | SrcK | OpAnd
	And32Reg  = ClassAlu | SrcX | OpAnd
	Lsh32Imm  = ClassAlu | SrcK | OpLsh
	Lsh32Reg  = ClassAlu | SrcX | OpLsh
	Rsh32Imm  = ClassAlu | SrcK | OpRsh
	Rsh32Reg  = ClassAlu | SrcX | OpRsh
	Neg32     = ClassAlu | OpNeg
	Mod32Imm  = ClassAlu | SrcK | OpMod
	Mod32Reg  = ClassAlu | SrcX | OpMod
	Xor32Imm  = ClassAlu | SrcK | OpXor
	Xor32Reg  = ClassAlu | SrcX | OpXor
	Mov32Imm  = ClassAlu | SrcK | OpMov
	Mov32Reg  = ClassAlu | SrcX | OpMov
	Arsh32Imm = ClassAlu | SrcK | OpArsh
	Arsh32Reg = ClassAlu | SrcX | OpArsh

	// Le and Be convert the byte order of dst; imm is the width (16, 32 or 64).
	Le = ClassAlu | SrcK | OpEnd
	Be = ClassAlu | SrcX | OpEnd

	Add64Imm  = ClassAlu64 | SrcK | OpAdd
	Add64Reg  = ClassAlu64 | SrcX | OpAdd
	Sub64Imm  = ClassAlu64 | SrcK | OpSub
	Sub64Reg  = ClassAlu64 | SrcX | OpSub
	Mul64Imm  = ClassAlu64 | SrcK | OpMul
	Mul64Reg  = ClassAlu64 | SrcX | OpMul
	Div64Imm  = ClassAlu64 | SrcK | OpDiv
	Div64Reg  = ClassAlu64 | SrcX | OpDiv
	Or64Imm   = ClassAlu64 | SrcK | OpOr
	Or64Reg   = ClassAlu64 | SrcX | OpOr
	And64Imm  = ClassAlu64 | SrcK | OpAnd
	And64Reg  = ClassAlu64 | SrcX | OpAnd
	Lsh64Imm  = ClassAlu64 | SrcK | OpLsh
	Lsh64Reg  = ClassAlu64 | SrcX | OpLsh
	Rsh64Imm  = ClassAlu64 | SrcK | OpRsh
	Rsh64Reg  = ClassAlu64 | SrcX | OpRsh
	Neg64     = ClassAlu64 | OpNeg
	Mod64Imm  = ClassAlu64 | SrcK | OpMod
	Mod64Reg  = ClassAlu64 | SrcX | OpMod
	Xor64Imm  = ClassAlu64 | SrcK | OpXor
	Xor64Reg  = ClassAlu64 | SrcX | OpXor
	Mov64Imm  = ClassAlu64 | SrcK | OpMov
	Mov64Reg  = ClassAlu64 | SrcX | OpMov
	Arsh64Imm = ClassAlu64 | SrcK | OpArsh
	Arsh64Reg = ClassAlu64 | SrcX | OpArsh

	Ja      = ClassJmp | OpJa
	JeqImm  = ClassJmp | SrcK | OpJeq
	JeqReg  = ClassJmp | SrcX | OpJeq
	JgtImm  = ClassJmp | SrcK | OpJgt
	JgtReg  = ClassJmp | SrcX | OpJgt
	JgeImm  = ClassJmp | SrcK | OpJge
	JgeReg  = ClassJmp | SrcX | OpJge
	JltImm  = ClassJmp | SrcK | OpJlt
	JltReg  = ClassJmp | SrcX | OpJlt
	JleImm  = ClassJmp | SrcK | OpJle
	JleReg  = ClassJmp | SrcX | OpJle
	JsetImm = ClassJmp | SrcK | OpJset
	JsetReg = ClassJmp | SrcX | OpJset
	JneImm  = ClassJmp | SrcK | OpJne
	JneReg  = ClassJmp | SrcX | OpJne
	JsgtImm = ClassJmp | SrcK | OpJsgt
	JsgtReg = ClassJmp | SrcX | OpJsgt
	JsgeImm = ClassJmp | SrcK | OpJsge
	JsgeReg = ClassJmp | SrcX | OpJsge
	JsltImm = ClassJmp | SrcK | OpJslt
	JsltReg = ClassJmp | SrcX | OpJslt
	JsleImm = ClassJmp | SrcK | OpJsle
	JsleReg = ClassJmp | SrcX | OpJsle

	// CallImm calls a syscall or a function by the hash in imm.
	CallImm = ClassJmp | OpCall
	// CallReg ("callx") calls the address held in the register numbered by imm.
	CallReg = ClassJmp | SrcX | OpCall
	Exit    = ClassJmp | OpExit
)
