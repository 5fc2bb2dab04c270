package amd64

import (
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// decodeAll decodes code into Intel-syntax text, one entry per instruction.
func decodeAll(t *testing.T, code []byte) []string {
	t.Helper()
	var out []string
	for len(code) > 0 {
		inst, err := x86asm.Decode(code, 64)
		if err != nil {
			t.Fatalf("decode % x: %v", code, err)
		}
		out = append(out, x86asm.IntelSyntax(inst, 0, nil))
		code = code[inst.Len:]
	}
	return out
}

func TestEncoder(t *testing.T) {
	cases := []struct {
		emit func(a *Assembler)
		hex  string
		text string
	}{
		{func(a *Assembler) { a.Alu(Add, W64, RAX, RBX) }, "4801d8", "add rax, rbx"},
		{func(a *Assembler) { a.Alu(Sub, W32, R8, R15) }, "4529f8", "sub r8d, r15d"},
		{func(a *Assembler) { a.Alu(Xor, W32, RDX, RDX) }, "31d2", "xor edx, edx"},
		{func(a *Assembler) { a.Alu(Cmp, W64, R12, RSI) }, "4939f4", "cmp r12, rsi"},
		{func(a *Assembler) { a.Alu(And, W64, RDI, R9) }, "4c21cf", "and rdi, r9"},
		{func(a *Assembler) { a.Alu(Or, W32, RSI, RAX) }, "09c6", "or esi, eax"},
		{func(a *Assembler) { a.AluImm(Add, W64, RBX, 1) }, "4883c301", "add rbx, 0x1"},
		{func(a *Assembler) { a.AluImm(Sub, W64, RBP, -128) }, "4883ed80", "sub rbp, -0x80"},
		{func(a *Assembler) { a.AluImm(Cmp, W64, R13, 0x10000) }, "4981fd00000100", "cmp r13, 0x10000"},
		{func(a *Assembler) { a.AluImm(And, W32, R11, 1023) }, "4181e3ff030000", "and r11d, 0x3ff"},
		{func(a *Assembler) { a.AluImm(Xor, W32, RAX, -1) }, "83f0ff", "xor eax, -0x1"},
		{func(a *Assembler) { a.AluLoad(Sub, W64, R10, M(R11, 8)) }, "4d2b5308", "sub r10, qword ptr [r11+0x8]"},
		{func(a *Assembler) { a.AluLoad(Cmp, W64, RAX, M(RSP, 0x100)) }, "483b842400010000", "cmp rax, qword ptr [rsp+0x100]"},
		{func(a *Assembler) { a.AluLoad(Add, W64, RCX, M(R12, 0)) }, "49030c24", "add rcx, qword ptr [r12]"},
		{func(a *Assembler) { a.AluLoad(And, W64, RCX, M(R13, 0)) }, "49234d00", "and rcx, qword ptr [r13]"},
		{func(a *Assembler) { a.AluMemImm(Sub, W64, M(RSP, 16), 5) }, "48836c241005", "sub qword ptr [rsp+0x10], 0x5"},
		{func(a *Assembler) { a.AluMemImm(Add, W64, M(RAX, 0), 300) }, "4881002c010000", "add qword ptr [rax], 0x12c"},
		{func(a *Assembler) { a.Mov(W64, R15, RAX) }, "4989c7", "mov r15, rax"},
		{func(a *Assembler) { a.Mov(W32, RSI, R9) }, "4489ce", "mov esi, r9d"},
		{func(a *Assembler) { a.MovImm(RBX, 0) }, "31db", "xor ebx, ebx"},
		{func(a *Assembler) { a.MovImm(R9, 7) }, "41b907000000", "mov r9d, 0x7"},
		{func(a *Assembler) { a.MovImm(RSI, -2) }, "48c7c6feffffff", "mov rsi, -0x2"},
		{func(a *Assembler) { a.MovImm(R14, 0x400000000) }, "49be0000000004000000", "mov r14, 0x400000000"},
		{func(a *Assembler) { a.MovImm32(RAX, 0xffffffff) }, "b8ffffffff", "mov eax, -0x1"},
		{func(a *Assembler) { a.Load(W8, RBX, M(RAX, 0)) }, "0fb618", "movzx ebx, byte ptr [rax]"},
		{func(a *Assembler) { a.Load(W16, R8, M(RDX, -2)) }, "440fb742fe", "movzx r8d, word ptr [rdx-0x2]"},
		{func(a *Assembler) { a.Load(W32, RDI, MI(RAX, RCX, 1, 0)) }, "8b3c08", "mov edi, dword ptr [rax+rcx]"},
		{func(a *Assembler) { a.Load(W64, R11, MI(RSP, RAX, 8, 0x40)) }, "4c8b5cc440", "mov r11, qword ptr [rsp+8*rax+0x40]"},
		{func(a *Assembler) { a.Load(W64, RAX, MI(RBP, R10, 4, 0)) }, "4a8b449500", "mov rax, qword ptr [rbp+4*r10]"},
		{func(a *Assembler) { a.Store(W8, M(RAX, 0), RSI) }, "408830", "mov byte ptr [rax], sil"},
		{func(a *Assembler) { a.Store(W8, M(RAX, 0), RBX) }, "8818", "mov byte ptr [rax], bl"},
		{func(a *Assembler) { a.Store(W8, M(RAX, 0), R12) }, "448820", "mov byte ptr [rax], r12b"},
		{func(a *Assembler) { a.Store(W16, M(RCX, 4), RDI) }, "66897904", "mov word ptr [rcx+0x4], di"},
		{func(a *Assembler) { a.Store(W32, M(RAX, 0), R9) }, "448908", "mov dword ptr [rax], r9d"},
		{func(a *Assembler) { a.Store(W64, M(RSP, 8), RBP) }, "48896c2408", "mov qword ptr [rsp+0x8], rbp"},
		{func(a *Assembler) { a.StoreImm(W8, M(RAX, 0), 0x1ff) }, "c600ff", "mov byte ptr [rax], 0xff"},
		{func(a *Assembler) { a.StoreImm(W16, M(RAX, 0), 0x1234) }, "66c7003412", "mov word ptr [rax], 0x1234"},
		{func(a *Assembler) { a.StoreImm(W32, M(RAX, 0), -1) }, "c700ffffffff", "mov dword ptr [rax], -0x1"},
		{func(a *Assembler) { a.StoreImm(W64, M(RSP, 0x20), 3) }, "48c744242003000000", "mov qword ptr [rsp+0x20], 0x3"},
		{func(a *Assembler) { a.Test(W64, RAX, RCX) }, "4885c8", "test rax, rcx"},
		{func(a *Assembler) { a.TestMem(W64, M(R11, 16), R10) }, "4d855310", "test qword ptr [r11+0x10], r10"},
		{func(a *Assembler) { a.TestImm(W64, R8, 0x80) }, "49f7c080000000", "test r8, 0x80"},
		{func(a *Assembler) { a.Unary(Neg, W64, R13) }, "49f7dd", "neg r13"},
		{func(a *Assembler) { a.Unary(Neg, W32, RBX) }, "f7db", "neg ebx"},
		{func(a *Assembler) { a.Unary(Div, W64, RCX) }, "48f7f1", "div rcx"},
		{func(a *Assembler) { a.Unary(Div, W32, R9) }, "41f7f1", "div r9d"},
		{func(a *Assembler) { a.Imul(W64, RSI, R14) }, "490faff6", "imul rsi, r14"},
		{func(a *Assembler) { a.Imul(W32, RAX, RBX) }, "0fafc3", "imul eax, ebx"},
		{func(a *Assembler) { a.ImulImm(W64, RCX, RAX, 40) }, "4869c828000000", "imul rcx, rax, 0x28"},
		{func(a *Assembler) { a.Shift(Shl, W64, RDI, 3) }, "48c1e703", "shl rdi, 0x3"},
		{func(a *Assembler) { a.Shift(Shr, W32, R10, 31) }, "41c1ea1f", "shr r10d, 0x1f"},
		{func(a *Assembler) { a.Shift(Sar, W64, RBX, 63) }, "48c1fb3f", "sar rbx, 0x3f"},
		{func(a *Assembler) { a.Shift(Rol, W16, RSI, 8) }, "66c1c608", "rol si, 0x8"},
		{func(a *Assembler) { a.ShiftCL(Shl, W32, R15) }, "41d3e7", "shl r15d, cl"},
		{func(a *Assembler) { a.ShiftCL(Sar, W64, RSI) }, "48d3fe", "sar rsi, cl"},
		{func(a *Assembler) { a.Movzx16(RBX, RBX) }, "0fb7db", "movzx ebx, bx"},
		{func(a *Assembler) { a.Movsxd(RAX, R9) }, "4963c1", "movsxd rax, r9d"},
		{func(a *Assembler) { a.Bswap(W32, RSI) }, "0fce", "bswap esi"},
		{func(a *Assembler) { a.Bswap(W64, R12) }, "490fcc", "bswap r12"},
		{func(a *Assembler) { a.Lea(RAX, M(RBX, -8)) }, "488d43f8", "lea rax, ptr [rbx-0x8]"},
		{func(a *Assembler) { a.Lea(RCX, MI(RAX, RAX, 4, 0)) }, "488d0c80", "lea rcx, ptr [rax+4*rax]"},
		{func(a *Assembler) { a.JmpReg(RAX) }, "ffe0", "jmp rax"},
		{func(a *Assembler) { a.JmpReg(R11) }, "41ffe3", "jmp r11"},
		{func(a *Assembler) { a.JmpMem(M(RCX, 40)) }, "ff6128", "jmp qword ptr [rcx+0x28]"},
		{func(a *Assembler) { a.Push(RAX) }, "50", "push rax"},
		{func(a *Assembler) { a.Pop(R12) }, "415c", "pop r12"},
		{func(a *Assembler) { a.Ret() }, "c3", "ret"},
		{func(a *Assembler) { a.Int3() }, "cc", "int3"},
		{func(a *Assembler) { a.Clc() }, "f8", "clc"},
		{func(a *Assembler) { a.Stc() }, "f9", "stc"},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); a.Jmp(l) }, "ebfe", "jmp .-0x2"},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); a.Jcc(CondNE, l) }, "75fe", "jnz .-0x2"},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); int3s(a, 126); a.Jcc(CondB, l) }, strings.Repeat("cc", 126) + "7280", strings.Repeat("int3|", 126) + "jb .-0x80"},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); int3s(a, 127); a.Jcc(CondB, l) }, strings.Repeat("cc", 127) + "0f827bffffff", ""},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); int3s(a, 126); a.Jmp(l) }, strings.Repeat("cc", 126) + "eb80", ""},
		{func(a *Assembler) { l := a.NewLabel(); a.Bind(l); int3s(a, 127); a.Jmp(l) }, strings.Repeat("cc", 127) + "e97cffffff", ""},
		{func(a *Assembler) { a.Int3(); a.Align(32) }, "cc" + "660f1f840000000000" + "660f1f840000000000" + "660f1f840000000000" + "0f1f4000", "int3|nop word ptr [rax+rax], ax|nop word ptr [rax+rax], ax|nop word ptr [rax+rax], ax|nop dword ptr [rax], eax"},
		{func(a *Assembler) { a.Align(16) }, "", ""},
		{func(a *Assembler) { int3s(a, 13); a.Align(16) }, strings.Repeat("cc", 13) + "0f1f00", ""},
		{func(a *Assembler) { l := a.NewLabel(); a.Jcc(CondLE, l); a.Bind(l) }, "0f8e00000000", "jle .+0x0"},
		{func(a *Assembler) { l := a.NewLabel(); a.Call(l); a.Int3(); a.Bind(l) }, "e801000000|cc", "call .+0x1|int3"},
		{func(a *Assembler) { l := a.NewLabel(); a.LeaLabel(R9, l); a.Bind(l) }, "4c8d0d00000000", "lea r9, ptr [rip]"},
	}
	for _, c := range cases {
		var a Assembler
		c.emit(&a)
		if !a.Finish() {
			t.Fatalf("%s: unbound label", c.text)
		}
		wantHex := strings.ReplaceAll(c.hex, "|", "")
		if got := hex.EncodeToString(a.Bytes()); got != wantHex {
			t.Errorf("%s: got %s want %s", c.text, got, wantHex)
		}
		got := strings.Join(decodeAll(t, a.Bytes()), "|")
		if c.text != "" && got != c.text {
			t.Errorf("%s: decodes as %q", c.text, got)
		}
	}
}

// int3s emits k breakpoints: filler that decodes one byte at a time.
func int3s(a *Assembler, k int) {
	for range k {
		a.Int3()
	}
}
