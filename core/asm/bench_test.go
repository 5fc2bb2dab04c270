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

// BenchmarkAssembleHostile measures sources a client may send to make the
// assembler work: junk words (each parses as a statement, the first fails
// to encode), a parse error at the very end of a long program, and many
// labels on one line. Allocation per source byte is the figure to watch.
func BenchmarkAssembleHostile(b *testing.B) {
	for _, c := range []struct{ name, src string }{
		{"junk", strings.Repeat("foo bar baz\n", 640000)},
		{"late-parse-error", strings.Repeat("mov r0, 1\n", 100000) + "mov r0, !\n"},
		{"exits", strings.Repeat("exit\n", 400000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.src)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Assemble(c.src)
			}
		})
	}
}
