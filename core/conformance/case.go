package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// Stage says how far a case goes.
type Stage string

// The stages of a case.
const (
	StageRun  Stage = "run"  // build the executable, then run it
	StageLoad Stage = "load" // only build the executable and the VM
)

// Patch overwrites byte Offset of the ELF file with Value.
type Patch struct {
	Offset int
	Value  byte
}

// Case is one parsed case file: the run request it makes, as a
// runspec.Spec, and what the harness needs beside it (where an ELF
// program comes from, how far the case goes, what it expects).
type Case struct {
	Name     string
	Upstream string
	File     string // the case file's path
	Stage    Stage

	// Spec is the run request: the program, input, budget, meter,
	// tracing, configuration, verifier, syscalls and functions. It binds
	// no default syscalls. An ELF case's Spec.Program is empty: RunSpec
	// reads (and patches) the fixture.
	Spec runspec.Spec

	ELFPath string // for an ELF case: as written, relative to the repository root
	ELFFile string // ELFPath resolved against the repository root
	Patches []Patch

	Expect Expect

	elfData []byte // the ELF file when given (CheckExport), not read from ELFFile
}

// Expect is what a case expects of a run. HasValue and HasError are
// exclusive; a load-stage case expecting success has neither.
type Expect struct {
	HasValue      bool
	Value         uint64
	HasError      bool
	Error         string
	HasCount      bool
	Count         uint64
	VerifierText  string // expect.verifier, "" when not checked
	VerifierDebug string // expect.verifier_debug, "" when not checked
	HasLog        bool
	Log           []string
}

// Load parses every *.txtar file under dir (recursively), sorted by path.
// ELF paths are resolved against the repository root, the nearest
// ancestor of dir holding a go.mod.
func Load(dir string) ([]Case, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".txtar") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	root := repoRoot(dir)
	seen := map[string]string{}
	cases := make([]Case, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c, err := Parse(f, data)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[c.Name]; dup {
			return nil, fmt.Errorf("%s: case %q already defined in %s", f, c.Name, prev)
		}
		seen[c.Name] = f
		if c.Spec.Kind == runspec.KindELF {
			c.ELFFile = filepath.Join(root, filepath.FromSlash(c.ELFPath))
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// repoRoot walks up from dir to the folder holding go.mod; dir itself when
// there is none.
func repoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}
