package symname

// This file compares symname, and the Rust demangler it vendors
// (internal/rustdemangle), with the whole github.com/ianlancetaylor/demangle
// library. It is the only place the library is imported: a test's imports
// do not reach a binary, so the playground's main.wasm links only the
// vendored Rust part.

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ianlancetaylor/demangle"
	"github.com/rbpfgo/rbpfgo/core/symname/internal/rustdemangle"
)

// optionSets are the options the vendored demangler is compared under:
// a bound real names never reach, symname's bound, a bound that cuts real
// names short, and each option rust.go reads. Each has a bound (a power of
// two): v0 back-references make output exponential in a name's length.
var optionSets = []struct {
	pow  int
	more []rustdemangle.Option
}{
	{20, nil},
	{maxOutPow, nil},
	{6, nil},
	{20, []rustdemangle.Option{rustdemangle.NoTemplateParams}},
	{20, []rustdemangle.Option{rustdemangle.LLVMStyle}},
}

// libOptions converts options to the library's; rustdemangle keeps the
// library's values (TestOptionValues).
func libOptions(opts []rustdemangle.Option) []demangle.Option {
	out := make([]demangle.Option, len(opts))
	for i, o := range opts {
		out[i] = demangle.Option(o)
	}
	return out
}

func TestOptionValues(t *testing.T) {
	for _, c := range []struct {
		got  rustdemangle.Option
		want demangle.Option
	}{
		{rustdemangle.NoTemplateParams, demangle.NoTemplateParams},
		{rustdemangle.LLVMStyle, demangle.LLVMStyle},
		{rustdemangle.MaxLength(1), demangle.MaxLength(1)},
		{rustdemangle.MaxLength(maxOutPow), demangle.MaxLength(maxOutPow)},
		{rustdemangle.MaxLength(30), demangle.MaxLength(30)},
	} {
		if demangle.Option(c.got) != c.want {
			t.Errorf("rustdemangle option %d, library's %d", c.got, c.want)
		}
	}
}

// guarded calls fn, turning a panic into an error (the library re-panics
// on its own internal errors; symname recovers from them).
func guarded(fn func() (string, error)) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = "", fmt.Errorf("panic: %v", r)
		}
	}()
	return fn()
}

// libRead is how the library demangles a name: its result, and whether
// it read the name as Rust's.
type libRead struct {
	s    string
	err  error
	rust bool
	// unsure is set for a `_ZN…` name when the library cannot be told to
	// have read it as Rust's or as C++, as both readings give the same
	// result, cut short at the bound.
	unsure bool
}

// readByLibrary demangles name with the library under opts, whose bound
// is 1<<pow. The library reads as Rust's every `_R…` name, and a `_ZN…`
// name its legacy Rust parser accepts; it then demangles differently than
// with NoRust (as C++, or not at all). Readings of one name as Rust and as
// C++ differ unless both are cut short: C++ output has every element of
// Rust output, as written (never shorter than unescaped), and the hash.
func readByLibrary(name string, pow int, opts []demangle.Option) libRead {
	opts = append(opts[:len(opts):len(opts)], demangle.MaxLength(pow))
	var r libRead
	r.s, r.err = guarded(func() (string, error) { return demangle.ToString(name, opts...) })
	switch {
	case strings.HasPrefix(name, "_R"):
		r.rust = true
	case strings.HasPrefix(name, "_ZN") && r.err == nil:
		c, err := guarded(func() (string, error) { return demangle.ToString(name, append(opts, demangle.NoRust)...) })
		r.rust = err != nil || c != r.s
		r.unsure = !r.rust && len(r.s) >= 1<<pow
	}
	return r
}

// libDemangled is demangled as it was with the whole library, C++
// included.
func libDemangled(name string) (string, bool) {
	if len(name) > MaxLen || !(strings.HasPrefix(name, "_Z") || strings.HasPrefix(name, "_R")) {
		return "", false
	}
	out, err := guarded(func() (string, error) { return demangle.ToString(name, demangle.MaxLength(maxOutPow)) })
	if err != nil || out == "" || len(out) >= 1<<maxOutPow {
		return "", false
	}
	return out, true
}

// checkAgainstLibrary compares rustdemangle.ToString with the library's
// ToString under each option set, and demangled with what it was: equal
// where the library reads name as Rust's, and no demangling at all where
// it does not.
func checkAgainstLibrary(t *testing.T, name string) {
	t.Helper()
	for _, o := range optionSets {
		opts := append(o.more[:len(o.more):len(o.more)], rustdemangle.MaxLength(o.pow))
		got, err := guarded(func() (string, error) { return rustdemangle.ToString(name, opts...) })
		lib := readByLibrary(name, o.pow, libOptions(o.more))
		switch {
		case lib.rust && (got != lib.s || fmt.Sprint(err) != fmt.Sprint(lib.err)):
			t.Errorf("rustdemangle.ToString(%q, %v) = %q, %v; the library gives %q, %v", name, opts, got, err, lib.s, lib.err)
		case !lib.rust && err == nil && !(lib.unsure && got == lib.s):
			t.Errorf("rustdemangle.ToString(%q, %v) = %q; the library does not read it as Rust's (it gives %q, %v)",
				name, opts, got, lib.s, lib.err)
		}
	}
	got, ok := demangled(name)
	want, wantOK := libDemangled(name)
	// Output cut short at symname's bound is never shown, so whether the
	// library read such a name as Rust's does not matter.
	if !readByLibrary(name, maxOutPow, nil).rust {
		want, wantOK = "", false
	}
	if got != want || ok != wantOK {
		t.Errorf("demangled(%q) = %q, %v; want %q, %v", name, got, ok, want, wantOK)
	}
}

// TestAgainstLibrary compares with the library on symname's cases, the
// committed fuzz seeds, and the names in the library's own test files
// (Rust and C++).
func TestAgainstLibrary(t *testing.T) {
	names := map[string]bool{}
	for _, c := range cases {
		names[c.name] = true
	}
	for _, dir := range []string{"testdata/fuzz/FuzzDisplay", "testdata/fuzz/FuzzAgainstLibrary"} {
		for _, n := range fuzzSeeds(t, dir) {
			names[n] = true
		}
	}
	lib := libraryDir(t)
	var rust, cpp int
	for _, f := range []string{"rust-demangle-expected", "rust.test", "demangle-expected"} {
		for _, n := range mangledLines(t, filepath.Join(lib, "testdata", f)) {
			names[n] = true
			if readByLibrary(n, 20, nil).rust {
				rust++
			} else {
				cpp++
			}
		}
	}
	if rust < 200 || cpp < 300 {
		t.Errorf("the library's test files gave %d Rust names and %d others; want at least 200 and 300", rust, cpp)
	}
	for n := range names {
		checkAgainstLibrary(t, n)
	}
}

// FuzzAgainstLibrary runs checkAgainstLibrary on arbitrary names.
func FuzzAgainstLibrary(f *testing.F) {
	for _, c := range cases {
		f.Add(c.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 2*MaxLen {
			return
		}
		checkAgainstLibrary(t, name)
	})
}

// TestVendoredRustGo checks that internal/rustdemangle/rust.go is the
// library's rust.go, as go.mod pins it, but for its package clause: after
// go.mod moves to a newer library, copy it again (see that package's doc).
func TestVendoredRustGo(t *testing.T) {
	path := filepath.Join(libraryDir(t), "rust.go")
	lib, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile("internal/rustdemangle/rust.go")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(lib), "\npackage demangle\n", "\npackage rustdemangle\n", 1)
	if string(ours) != want {
		t.Errorf("internal/rustdemangle/rust.go differs from the library's rust.go (%s) in more than its package clause", path)
	}
}

// libraryDir is the library's module directory, which holds its test
// files.
func libraryDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to find the library's module directory")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ianlancetaylor/demangle").Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v\n%s", err, exit.Stderr)
	} else if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Fatal("go list gave no directory for github.com/ianlancetaylor/demangle")
	}
	return dir
}

// mangledLines returns the lines of a test file that are mangled names.
func mangledLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "_R") || strings.HasPrefix(line, "_Z") {
			names = append(names, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return names
}

// fuzzSeeds returns the names in a directory of committed fuzz inputs
// ("go test fuzz v1" files holding one string).
func fuzzSeeds(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fuzz seeds in %s (%v)", dir, err)
	}
	var names []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" ||
			!strings.HasPrefix(lines[1], "string(") || !strings.HasSuffix(lines[1], ")") {
			t.Fatalf("%s: not a fuzz input holding one string", file)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		names = append(names, s)
	}
	return names
}
