package elf_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/elf/internal/fixtures"
)

const root = "../.."

// TestFixturesFresh rebuilds every fixture from its assembly and compares
// it with the committed file; regenerate with
// `go run ./core/elf/internal/genfixtures`.
func TestFixturesFresh(t *testing.T) {
	names, err := fixtures.Sources(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 8 {
		t.Fatalf("only %d fixture sources: %v", len(names), names)
	}
	for _, n := range names {
		want, err := fixtures.BuildNamed(root, n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		got, err := os.ReadFile(filepath.Join(root, fixtures.ElfDir, n+".so"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s.so is stale: run go run ./core/elf/internal/genfixtures", n)
		}
	}
}

// TestHostileFresh checks the committed hostile corpus is what the
// generator makes, and that nothing else is in its folder.
func TestHostileFresh(t *testing.T) {
	cases, err := fixtures.HostileCases()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, fixtures.HostileDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2*len(cases)+1 {
		t.Errorf("%s holds %d files, want %d (.so and .err per case, README.md)", dir, len(entries), 2*len(cases)+1)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil || !bytes.Equal(readme, fixtures.HostileReadme(cases)) {
		t.Errorf("README.md is stale: run go run ./core/elf/internal/genfixtures")
	}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(dir, c.Name+".so"))
		if err != nil {
			t.Fatal(err)
		}
		msg, err := os.ReadFile(filepath.Join(dir, c.Name+".err"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, c.Data) || string(msg) != c.Err+"\n" {
			t.Errorf("%s is stale: run go run ./core/elf/internal/genfixtures", c.Name)
		}
	}
}

// TestHostileErrors loads every file of the hostile corpus and compares the
// error with its .err file, with and without the log.
func TestHostileErrors(t *testing.T) {
	dir := filepath.Join(root, fixtures.HostileDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.so"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile files in %s: %v", dir, err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".so")
		data, _ := os.ReadFile(path)
		want, err := os.ReadFile(strings.TrimSuffix(path, ".so") + ".err")
		if err != nil {
			t.Fatal(err)
		}
		p, err := elf.Load(data)
		if err == nil {
			t.Errorf("%s: loaded (entry %d), want %q", name, p.Entrypoint, want)
			continue
		}
		if got := err.Error() + "\n"; got != string(want) {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
		var e *elf.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %T is not *elf.Error", name, err)
		}
		_, log, err2 := elf.LoadWithLog(data)
		if err2 == nil || err2.Error() != err.Error() || log.Error == nil || log.Error.Error() != err.Error() {
			t.Errorf("%s: LoadWithLog gave %v (log %v), Load gave %v", name, err2, log.Error, err)
		}
	}
}
