package archcheck

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/rbpfgo/rbpfgo/"

// documented reads the package list of docs/ARCHITECTURE.md: for each
// core package, the short names after its "->" (relative to core/).
func documented(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "```\n")
	end := strings.Index(text[start+4:], "```\n")
	if start < 0 || end < 0 {
		t.Fatal("no package list in docs/ARCHITECTURE.md")
	}
	deps := map[string][]string{}
	cur := ""
	for _, line := range strings.Split(text[start+4:start+4+end], "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(line, " ") {
			cur = f[0]
		}
		if !strings.HasPrefix(cur, "core/") {
			continue
		}
		i := strings.LastIndex(line, "->")
		if i < 0 {
			continue
		}
		list := strings.TrimSpace(line[i+2:])
		if list == "(none)" {
			deps[cur] = []string{}
			continue
		}
		for _, d := range strings.Split(list, ",") {
			deps[cur] = append(deps[cur], "core/"+strings.TrimSpace(d))
		}
	}
	return deps
}

// actual lists each core package (internal ones excepted) with its
// imports within the module, its own internal packages folded into it.
func actual(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir("../../core", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("../..", path)
		rel = filepath.ToSlash(rel)
		if d.Name() == "testdata" || strings.Contains(rel+"/", "/internal/") {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		pkg, err := build.ImportDir(path, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		}
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		deps := []string{}
		for _, imp := range pkg.Imports {
			short, ok := strings.CutPrefix(imp, module)
			if !ok || strings.HasPrefix(short, rel+"/internal/") {
				continue
			}
			if !seen[short] {
				seen[short] = true
				deps = append(deps, short)
			}
		}
		out[rel] = deps
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestArchitectureDoc compares the documented dependencies with the code.
func TestArchitectureDoc(t *testing.T) {
	doc, code := documented(t), actual(t)
	if len(code) < 10 {
		t.Fatalf("found only %d core packages", len(code))
	}
	for pkg, deps := range code {
		want, ok := doc[pkg]
		if !ok {
			t.Errorf("%s is missing from docs/ARCHITECTURE.md (its imports: %v)", pkg, deps)
			continue
		}
		sort.Strings(deps)
		sort.Strings(want)
		if strings.Join(deps, ",") != strings.Join(want, ",") {
			t.Errorf("%s imports %v; docs/ARCHITECTURE.md says %v", pkg, deps, want)
		}
	}
	for pkg := range doc {
		if _, ok := code[pkg]; !ok {
			t.Errorf("docs/ARCHITECTURE.md lists %s, which does not exist", pkg)
		}
	}
}
