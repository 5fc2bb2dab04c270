package elf_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
)

// TestUpstreamFixtures compares rbpf v0.2.8's own fixture binaries, which
// this project does not redistribute, with the project's counterparts in
// testdata/elfs. Extract them and point RBPF_UPSTREAM_ELFS at the folder:
//
//	mkdir -p /tmp/upelfs
//	for f in noop noro empty_rodata multiple_file relative_call scratch_registers pass_stack_reference unresolved_syscall; do
//	  git -C <rbpf clone> show v0.2.8:tests/elfs/$f.so > /tmp/upelfs/$f.so
//	done
//	RBPF_UPSTREAM_ELFS=/tmp/upelfs go test ./core/elf -run Upstream
//
// (CONFORMANCE_ELF_DIR=/tmp/upelfs go test ./core/conformance runs the
// upstream files through the ELF cases too.) Both loads must give the same
// entrypoint, text address and length, call map and read-only section
// names, and the same relocated instructions except for the lddw
// immediates, which hold .rodata addresses.
func TestUpstreamFixtures(t *testing.T) {
	dir := os.Getenv("RBPF_UPSTREAM_ELFS")
	if dir == "" {
		t.Skip("RBPF_UPSTREAM_ELFS not set")
	}
	for _, name := range []string{"noop", "noro", "empty_rodata", "multiple_file", "relative_call", "scratch_registers", "pass_stack_reference", "unresolved_syscall"} {
		up := mustLoadFile(t, filepath.Join(dir, name+".so"))
		ours := mustLoadFile(t, filepath.Join(root, "testdata/elfs", name+".so"))
		if up.Entrypoint != ours.Entrypoint || up.TextVaddr != ours.TextVaddr || up.TextOffset != ours.TextOffset || len(up.Text) != len(ours.Text) {
			t.Errorf("%s: entry/vaddr/offset/len upstream %d %#x %#x %d, ours %d %#x %#x %d", name,
				up.Entrypoint, up.TextVaddr, up.TextOffset, len(up.Text), ours.Entrypoint, ours.TextVaddr, ours.TextOffset, len(ours.Text))
			continue
		}
		if !reflect.DeepEqual(up.Calls, ours.Calls) {
			t.Errorf("%s: calls upstream %v, ours %v", name, up.Calls, ours.Calls)
		}
		if got, want := roNames(ours), roNames(up); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ro sections upstream %v, ours %v", name, want, got)
		}
		for i := 0; i+8 <= len(up.Text); i += 8 {
			a, b := up.Text[i:i+8], ours.Text[i:i+8]
			if a[0] != b[0] || (a[0] != 0x18 && !reflect.DeepEqual(a, b)) {
				t.Errorf("%s: slot %d upstream % x, ours % x", name, i/8, a, b)
			}
		}
	}
}

func mustLoadFile(t *testing.T, path string) *elf.Program {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := elf.Load(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

func roNames(p *elf.Program) []string {
	out := []string{}
	for _, s := range p.ROSections {
		out = append(out, s.Name)
	}
	return out
}
