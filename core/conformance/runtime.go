package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// RuntimeCase is one case of the runtime suite (testdata/runtime): a
// program in assembly, built into an ELF by elfbuild, run with an
// instruction document as Solana v1.6.9 runs a program's entrypoint. Its
// expectation is a subset of the result document (`rbpf run --json`):
// every key it gives must match, accounts entry by entry.
//
// A case file has a `# name: …` header line and the sections
// `program.s`, `instruction.json` and `expect.json`. A case of a real
// program names its file with `# elf: NAME.so` and `# sha256: …` instead
// of a program.s; it runs only where RealProgramDir finds that file.
//
// A case may run a sequence of instructions: `instruction 2.json` and
// `expect 2.json` (and so on) follow the first pair, and an account a
// later document lists with only its pubkey and flags keeps the state the
// earlier instructions left (solana.AccountState).
type RuntimeCase struct {
	Name        string
	File        string
	Source      string
	ELF, SHA256 string
	Steps       []RuntimeStep

	elfData []byte // the ELF file when given (CheckExport), not read from RealProgramDir
}

// RuntimeStep is one instruction of a case and its expectation.
type RuntimeStep struct {
	Instruction []byte
	Expect      map[string]json.RawMessage
}

// LoadRuntime parses every *.txtar file under dir, sorted by path.
func LoadRuntime(dir string) ([]RuntimeCase, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []RuntimeCase
	seen := map[string]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		c, err := ParseRuntime(p, data)
		if err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("%s: case %q defined twice", p, c.Name)
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	return out, nil
}

// ParseRuntime parses one runtime case file.
func ParseRuntime(file string, data []byte) (RuntimeCase, error) {
	c := RuntimeCase{File: file}
	header, sections := splitTxtar(string(data))
	for _, l := range header {
		if v, ok := strings.CutPrefix(l, "# name:"); ok {
			c.Name = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "# elf:"); ok {
			c.ELF = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "# sha256:"); ok {
			c.SHA256 = strings.TrimSpace(v)
		}
	}
	for _, s := range sections {
		if s.name == "program.s" {
			c.Source = s.body
			continue
		}
		kind, n, err := stepSection(s.name)
		if err != nil {
			return c, fmt.Errorf("%s:%d: %v", file, s.line, err)
		}
		for len(c.Steps) < n {
			c.Steps = append(c.Steps, RuntimeStep{})
		}
		st := &c.Steps[n-1]
		if kind == "instruction" {
			st.Instruction = []byte(s.body)
		} else if err := json.Unmarshal([]byte(s.body), &st.Expect); err != nil {
			return c, fmt.Errorf("%s:%d: %s: %v", file, s.line, s.name, err)
		}
	}
	switch {
	case c.Name == "":
		return c, fmt.Errorf("%s: no `# name:` line", file)
	case (c.Source == "") == (c.ELF == ""):
		return c, fmt.Errorf("%s: want a program.s section or an `# elf:` line", file)
	case c.ELF != "" && c.SHA256 == "":
		return c, fmt.Errorf("%s: an `# elf:` case needs its `# sha256:`", file)
	case len(c.Steps) == 0:
		return c, fmt.Errorf("%s: want sections instruction.json and expect.json", file)
	}
	for i, st := range c.Steps {
		if st.Instruction == nil || st.Expect == nil {
			return c, fmt.Errorf("%s: instruction %d needs both its instruction and expect sections", file, i+1)
		}
	}
	return c, nil
}

// RealProgramDir is where real program binaries are looked for:
// $SOLANA_ELF_DIR. They are not part of the repository.
func RealProgramDir() string { return os.Getenv("SOLANA_ELF_DIR") }

// errNoBinary reports a real program's missing binary.
var errNoBinary = errors.New("binary not available")

// program returns the case's ELF file: built from its assembly, or read
// from RealProgramDir and checked against its sha256.
func (c *RuntimeCase) program() ([]byte, error) {
	if c.ELF == "" {
		f, err := elfbuild.BuildAssembly(c.Source)
		if err != nil {
			return nil, fmt.Errorf("build program: %w", err)
		}
		return f.Bytes, nil
	}
	data := c.elfData
	if data == nil {
		dir := RealProgramDir()
		if dir == "" {
			return nil, fmt.Errorf("%w: set SOLANA_ELF_DIR to a folder holding %s", errNoBinary, c.ELF)
		}
		var err error
		if data, err = os.ReadFile(filepath.Join(dir, c.ELF)); err != nil {
			return nil, fmt.Errorf("%w: %v", errNoBinary, err)
		}
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != c.SHA256 {
		return nil, fmt.Errorf("%s: sha256 %x, want %s", c.ELF, sum, c.SHA256)
	}
	return data, nil
}

// Specs builds the case's program and returns a function that reads the
// run request of step i, its accounts inheriting from st.
func (c *RuntimeCase) Specs() (func(i int, st solana.AccountState) (*runspec.Spec, error), error) {
	prog, err := c.program()
	if err != nil {
		return nil, err
	}
	return func(i int, st solana.AccountState) (*runspec.Spec, error) {
		ix, err := solana.Parse(c.Steps[i].Instruction, solana.DefaultLimits)
		if err != nil {
			return nil, fmt.Errorf("instruction %d: %w", i+1, err)
		}
		ix.Inherit(st)
		return &runspec.Spec{Kind: runspec.KindELF, Program: prog, Instruction: ix}, nil
	}, nil
}

// Run runs the case's instructions in turn on engine, the accounts
// carrying their state from one to the next.
func (c *RuntimeCase) Run(engine vm.Engine) ([]runspec.Result, error) {
	return c.run(engine, false)
}

func (c *RuntimeCase) run(engine vm.Engine, trace bool) ([]runspec.Result, error) {
	spec, err := c.Specs()
	if err != nil {
		return nil, err
	}
	st := solana.AccountState{}
	var out []runspec.Result
	for i := range c.Steps {
		s, err := spec(i, st)
		if err != nil {
			return nil, err
		}
		s.Trace = trace
		r := s.Run(engine)
		if r.Outcome != nil {
			if err := st.Keep(s.Instruction, r.Outcome); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Mismatches lists where the results differ from the expectations.
func (c *RuntimeCase) Mismatches(rs []runspec.Result) []string {
	if len(rs) != len(c.Steps) {
		return []string{fmt.Sprintf("%d results for %d instructions", len(rs), len(c.Steps))}
	}
	var diffs []string
	for i, r := range rs {
		for _, d := range stepMismatches(c.Steps[i].Expect, r) {
			if len(rs) > 1 {
				d = fmt.Sprintf("instruction %d: %s", i+1, d)
			}
			diffs = append(diffs, d)
		}
	}
	return diffs
}

// stepMismatches compares one result with its expectation.
func stepMismatches(expect map[string]json.RawMessage, r runspec.Result) []string {
	doc, err := json.Marshal(r)
	if err != nil {
		return []string{err.Error()}
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(doc, &got); err != nil {
		return []string{err.Error()}
	}
	var diffs []string
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := expect[k]
		have, ok := got[k]
		if k == "accounts" && ok {
			diffs = append(diffs, accountMismatches(want, have)...)
			continue
		}
		if !ok && isZero(want) {
			continue
		}
		if !ok {
			have = json.RawMessage("null")
		}
		if !jsonEqual(want, have) {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", k, compact(have), compact(want)))
		}
	}
	return diffs
}

// accountMismatches compares expected accounts with the result's: each
// expected entry is a subset of the result's entry at the same index.
func accountMismatches(want, have json.RawMessage) []string {
	var w, h []map[string]json.RawMessage
	if json.Unmarshal(want, &w) != nil || json.Unmarshal(have, &h) != nil {
		return []string{"accounts: not comparable"}
	}
	if len(w) != len(h) {
		return []string{fmt.Sprintf("accounts: got %d, want %d", len(h), len(w))}
	}
	var diffs []string
	for i := range w {
		for k, v := range w[i] {
			got, ok := h[i][k]
			if !ok && isZero(v) {
				continue
			}
			if !ok {
				got = json.RawMessage("null")
			}
			if !jsonEqual(v, got) {
				diffs = append(diffs, fmt.Sprintf("accounts[%d].%s: got %s, want %s", i, k, compact(got), compact(v)))
			}
		}
	}
	sort.Strings(diffs)
	return diffs
}

// isZero reports whether v is JSON's form of a zero value (null, false,
// 0, "", [] or {}), which a result document leaves out.
func isZero(v json.RawMessage) bool {
	var x any
	if json.Unmarshal(v, &x) != nil {
		return false
	}
	switch x := x.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func compact(b json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

// RuntimeDir is where the runtime suite lives, and RealProgramsDir the
// cases of real programs, from a package directory two levels below the
// repository root.
const (
	RuntimeDir      = "../../testdata/runtime"
	RealProgramsDir = "../../testdata/realprograms"
)

// RunRuntime runs every runtime case on engine and checks its
// expectations.
func RunRuntime(t *testing.T, engine vm.Engine, cases []RuntimeCase) {
	t.Helper()
	if len(cases) == 0 {
		t.Fatal("no runtime cases")
	}
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t *testing.T) {
			r, err := c.Run(engine)
			if errors.Is(err, errNoBinary) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range c.Mismatches(r) {
				t.Error(d)
			}
		})
	}
}

// CompareRuntime runs every runtime case on reference and on engine, with
// tracing on, and requires the same result document — value or error,
// instruction count, program error, compute units, logs, accounts — and
// the same trace.
func CompareRuntime(t *testing.T, reference, engine vm.Engine, cases []RuntimeCase) {
	t.Helper()
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t *testing.T) {
			as, err := c.run(reference, true)
			if errors.Is(err, errNoBinary) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			bs, err := c.run(engine, true)
			if err != nil {
				t.Fatal(err)
			}
			for i := range as {
				if d := runspec.Difference(as[i], bs[i]); d != "" {
					t.Errorf("instruction %d: %s vs %s: %s", i+1, reference.Name(), engine.Name(), d)
				}
				if as[i].Trace != bs[i].Trace {
					t.Errorf("instruction %d: traces differ", i+1)
				}
			}
		})
	}
}

// stepSection reads "instruction.json", "expect 3.json" and the like.
func stepSection(name string) (kind string, n int, err error) {
	base, ok := strings.CutSuffix(name, ".json")
	kind, num, numbered := strings.Cut(base, " ")
	if !ok || (kind != "instruction" && kind != "expect") {
		return "", 0, fmt.Errorf("unknown section %q", name)
	}
	if !numbered {
		return kind, 1, nil
	}
	n, err = strconv.Atoi(num)
	if err != nil || n < 2 || n > 1000 {
		return "", 0, fmt.Errorf("section %q: want a step number from 2", name)
	}
	return kind, n, nil
}
