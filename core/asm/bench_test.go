package asm

import (
	"fmt"
	"strings"
	"testing"
)

// benchSource is a program of about 1000 instructions using every operand
// shape, labels and comments.
func benchSource() string {
	var b strings.Builder
	b.WriteString("entrypoint:\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "block%d: # iteration %d\n", i, i)
		b.WriteString("  mov64 r1, 0x1234\n  add32 r2, r1\n  ldxdw r3, [r10-8]\n  stxw [r10-16], r3\n")
		b.WriteString("  stb [r1+3], -1\n  lddw r4, 0x1122334455667788\n  jeq r1, 0, entrypoint\n")
		fmt.Fprintf(&b, "  jsgt r1, r2, block%d\n  call sol_log_\n", i)
	}
	b.WriteString("  exit\n")
	return b.String()
}

func BenchmarkAssemble(b *testing.B) {
	src := benchSource()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Assemble(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDisassemble(b *testing.B) {
	prog, err := Assemble(benchSource())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(prog)))
	for b.Loop() {
		_ = Disassemble(prog)
	}
}

func BenchmarkDisassembleInsns(b *testing.B) {
	prog, err := Assemble(benchSource())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(prog)))
	for b.Loop() {
		_ = DisassembleInsns(prog)
	}
}
