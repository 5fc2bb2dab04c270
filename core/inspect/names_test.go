package inspect

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
)

// TestNames checks the names and meanings the CLI and the playground both
// show.
func TestNames(t *testing.T) {
	for got, want := range map[string]string{
		SectionTypeName(0x6ffffff6): "SHT_GNU_HASH",
		MachineName(263):            "EM_SBPF",
		MachineName(247):            "EM_BPF",
		SymbolBindName(0x12):        "GLOBAL",
		SymbolTypeName(0x12):        "FUNC",
		SymbolKindName(0x12):        "GLOBAL FUNC",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if m := MachineMeaning(263); !strings.Contains(m, "SBPFv3") || !strings.Contains(m, "WrongMachine") {
		t.Errorf("machine 263: %q", m)
	}
	for f, want := range map[uint32]string{0: "SBPFv0", 2: "does not read e_flags", 3: "rejects EM_SBPF", 0x20: "EF_SBF_V2", 7: "no SBPF version"} {
		if m := FlagsMeaning(f); !strings.Contains(m, want) {
			t.Errorf("flags %#x: %q lacks %q", f, m, want)
		}
	}
}

// TestCheckError checks that a failed check's error does not repeat what
// the check found.
func TestCheckError(t *testing.T) {
	parse := elf.Check{Got: "bad magic: 0x1", Error: &elf.Error{Kind: elf.FailedToParse, Detail: "bad magic: 0x1"}}
	if got := CheckError(parse); got != "Failed to parse ELF file" {
		t.Errorf("parse: %q", got)
	}
	machine := elf.Check{Got: "EM_X86_64 (62)", Error: &elf.Error{Kind: elf.WrongMachine}}
	if got := CheckError(machine); got != "Incompatible ELF: wrong machine" {
		t.Errorf("machine: %q", got)
	}
	if got := CheckError(elf.Check{Got: "x"}); got != "" {
		t.Errorf("no error: %q", got)
	}
}
