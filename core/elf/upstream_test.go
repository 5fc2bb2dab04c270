package elf

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// TestUpstreamFixtures loads rbpf v0.2.8's own fixture binaries, which this
// project does not redistribute. Extract them with
//
//	for f in noop noro empty_rodata multiple_file relative_call scratch_registers pass_stack_reference unresolved_syscall; do
//	  git -C <rbpf clone> show v0.2.8:tests/elfs/$f.so > /tmp/upelfs/$f.so
//	done
//
// and run with RBPF_UPSTREAM_ELFS=/tmp/upelfs.
func TestUpstreamFixtures(t *testing.T) {
	dir := os.Getenv("RBPF_UPSTREAM_ELFS")
	if dir == "" {
		t.Skip("RBPF_UPSTREAM_ELFS not set")
	}
	for _, name := range []string{"noop", "noro", "empty_rodata", "multiple_file", "relative_call", "scratch_registers", "pass_stack_reference", "unresolved_syscall"} {
		data, err := os.ReadFile(filepath.Join(dir, name+".so"))
		if err != nil {
			t.Fatal(err)
		}
		p, l, err := LoadWithLog(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: entry %d textvaddr %#x textoff %#x calls %v", name, p.Entrypoint, p.TextVaddr, p.TextOffset, p.Calls)
		for _, s := range p.ROSections {
			t.Logf("  ro %s %#x off %#x len %d", s.Name, s.Vaddr, s.Offset, len(s.Data))
		}
		for _, s := range l.Steps {
			t.Logf("  step %s insn %d %s -> %s %s", s.Kind, s.Insn, hex.EncodeToString(s.Before), hex.EncodeToString(s.After), s.Symbol)
		}
		sc, fn := p.Symbols()
		t.Logf("  syscalls %v functions %v", sc, fn)
	}
}
