package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rbpfgo/rbpfgo/core/elf/internal/fixtures"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "genfixtures:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	names, err := fixtures.Sources(root)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no sources in %s", filepath.Join(root, fixtures.ElfDir))
	}
	for _, n := range names {
		b, err := fixtures.BuildNamed(root, n)
		if err != nil {
			return fmt.Errorf("%s: %v", n, err)
		}
		if err := os.WriteFile(filepath.Join(root, fixtures.ElfDir, n+".so"), b, 0o644); err != nil {
			return err
		}
	}
	cases, err := fixtures.HostileCases()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, fixtures.HostileDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.Name+".so"), c.Data, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, c.Name+".err"), []byte(c.Err+"\n"), 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), fixtures.HostileReadme(cases), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %d fixtures and %d hostile files\n", len(names), len(cases))
	return nil
}
