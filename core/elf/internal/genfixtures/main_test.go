package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun regenerates everything into a scratch copy of the sources and
// compares it with the committed files.
func TestRun(t *testing.T) {
	root := t.TempDir()
	elfs := filepath.Join(root, "testdata", "elfs")
	if err := os.MkdirAll(elfs, 0o755); err != nil {
		t.Fatal(err)
	}
	srcs, _ := filepath.Glob("../../../../testdata/elfs/*.s")
	for _, s := range srcs {
		data, _ := os.ReadFile(s)
		os.WriteFile(filepath.Join(elfs, filepath.Base(s)), data, 0o644)
	}
	if err := run(root); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"testdata/elfs/noop.so", "testdata/elf/hostile/reloc_type_1.so", "testdata/elf/hostile/reloc_type_1.err", "testdata/elf/hostile/README.md"} {
		got, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join("../../../..", rel))
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed file", rel)
		}
	}
	if err := run(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no sources") {
		t.Errorf("empty root: %v", err)
	}
}
