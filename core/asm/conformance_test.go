package asm

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// TestAssemblerConformance runs every case of rbpf v0.2.8's
// tests/assembler.rs: the bytes, or the exact error string.
func TestAssemblerConformance(t *testing.T) {
	order, cases := archiveCases(readArchive(t, "assembler.txtar"))
	if len(order) < 45 {
		t.Fatalf("only %d cases in the archive", len(order))
	}
	for _, name := range order {
		c := cases[name]
		t.Run(name, func(t *testing.T) {
			got, err := Assemble(c["s"])
			if want, ok := c["err"]; ok {
				var ae *Error
				if !errors.As(err, &ae) {
					t.Fatalf("got %x, %v; want error %q", got, err, want)
				}
				if ae.Rbpf() != want {
					t.Fatalf("error %q, want %q", ae.Rbpf(), want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(c["hex"], "\n", "")
			if hex.EncodeToString(got) != want {
				t.Fatalf("got  %x\nwant %s", got, want)
			}
		})
	}
}

// TestDisassemblerConformance runs every case of rbpf v0.2.8's
// tests/disassembler.rs: assembling and then describing each instruction
// gives back the source, line for line.
func TestDisassemblerConformance(t *testing.T) {
	order, cases := archiveCases(readArchive(t, "disassembler.txtar"))
	if len(order) < 30 {
		t.Fatalf("only %d cases in the archive", len(order))
	}
	for _, name := range order {
		src := cases[name]["s"]
		t.Run(name, func(t *testing.T) {
			prog, err := Assemble(src)
			if err != nil {
				t.Fatal(err)
			}
			var descs []string
			for _, l := range DisassembleInsns(prog) {
				descs = append(descs, l.Desc)
			}
			if got := strings.Join(descs, "\n"); got != src {
				t.Fatalf("got\n%s\nwant\n%s", got, src)
			}
		})
	}
}
