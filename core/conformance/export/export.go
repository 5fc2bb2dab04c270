package export

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/digest"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// Run is a run to turn into a case file, so that a failing run (or
// any run worth pinning) joins the suites as data.
type Run struct {
	// Name is the case's name.
	Name string
	// Spec is the run request, with its program.
	Spec *runspec.Spec
	// Result is what the run gave; it becomes the case's expectation.
	Result runspec.Result
	// ProgramName names an ELF program: for a runtime run its file name
	// (the case's `# elf:` line; the file is looked for in
	// RealProgramDir), otherwise its path relative to the repository root
	// (the case's elf section).
	ProgramName string
	// Instruction is the instruction document as written; nil writes the
	// Spec's instruction as core/solana marshals it.
	Instruction []byte
	// Comment is free text for the case's header, one line per entry.
	Comment []string
}

// Suites an exported case belongs to: where its file goes.
const (
	SuiteRuntime      = "testdata/runtime"      // a runtime run of assembly
	SuiteRealPrograms = "testdata/realprograms" // a runtime run of a real ELF file
	SuiteVM           = "testdata/conformance"  // a run without an instruction
)

// Case writes the case that reproduces x's run and says which
// suite's format it is in: a runtime run becomes a case of the runtime
// suite (its program as program.s when given as assembly, or named by file
// name and SHA-256 when an ELF file, as testdata/realprograms names real
// programs); any other run a case of the VM suite (testdata/conformance's
// header format). The result's value or error text, instruction count,
// log and (for a runtime run) outcome become the expectations. A run the
// formats cannot express (a runtime run of raw bytes or with
// run_anyway, a watchpoint stop, syscall bindings the VM suite refuses) is
// an error rather than a case that would not reproduce it.
func Case(x Run) (text []byte, suite string, err error) {
	s := x.Spec
	switch {
	case s == nil:
		return nil, "", errors.New("export: no run request")
	case x.Name == "" || strings.ContainsAny(x.Name, "\n\r"):
		return nil, "", errors.New("export: the case needs a one-line name")
	case x.Result.WatchStopped || len(x.Result.WatchHits) > 0:
		return nil, "", errors.New("export: a case has no watchpoints; run without --watch")
	case s.Verifier != nil:
		return nil, "", errors.New("export: a verifier of the caller's own has no case form")
	}
	var b bytes.Buffer
	if s.Instruction != nil {
		suite, err = runtimeCase(&b, x)
	} else {
		suite, err = vmCase(&b, x)
	}
	if err != nil {
		return nil, "", err
	}
	return b.Bytes(), suite, nil
}

func comments(b *bytes.Buffer, lines []string) {
	for _, c := range lines {
		for _, l := range strings.Split(c, "\n") {
			fmt.Fprintf(b, "# %s\n", l)
		}
	}
}

// runtimeCase writes a runtime-suite case (testdata/runtime/README.md).
func runtimeCase(b *bytes.Buffer, x Run) (string, error) {
	s := x.Spec
	if s.RunAnyway {
		return "", errors.New("export: a runtime case has no run_anyway; it runs what the loader accepts")
	}
	fmt.Fprintf(b, "# name: %s\n", x.Name)
	suite := SuiteRuntime
	switch s.Kind {
	case runspec.KindELF:
		name := filepath.Base(filepath.FromSlash(x.ProgramName))
		if x.ProgramName == "" || strings.ContainsAny(name, "\n\r") {
			return "", errors.New("export: a real program's case needs the ELF file's name")
		}
		sum := digest.Sum256(s.Program)
		fmt.Fprintf(b, "# elf: %s\n# sha256: %s\n", name, hex.EncodeToString(sum[:]))
		suite = SuiteRealPrograms
	case runspec.KindAsm:
	default:
		return "", errors.New("export: a runtime case's program is assembly or an ELF file, not raw bytes")
	}
	comments(b, x.Comment)
	if s.Kind == runspec.KindAsm {
		src := s.Source
		if src == "" {
			src = string(s.Program)
		}
		if err := writeSection(b, "program.s", src); err != nil {
			return "", err
		}
	}
	doc := x.Instruction
	if doc == nil {
		var err error
		if doc, err = json.MarshalIndent(s.Instruction, "", " "); err != nil {
			return "", err
		}
	}
	if err := writeSection(b, "instruction.json", strings.TrimRight(string(doc), "\n")); err != nil {
		return "", err
	}
	expect, err := runtimeExpect(x.Result)
	if err != nil {
		return "", err
	}
	return suite, writeSection(b, "expect.json", string(expect))
}

// runtimeExpect is the expect.json of a runtime result: value or error,
// instruction count and the runtime's outcome, each account by its
// lamports, owner, data and what changed.
func runtimeExpect(r runspec.Result) ([]byte, error) {
	e := map[string]any{
		"result":            r.Value,
		"error":             r.Error,
		"instruction_count": r.InstructionCount,
	}
	if o := r.Outcome; o != nil {
		e["program_error"] = o.ProgramError
		e["compute_units_consumed"] = o.ComputeUnitsConsumed
		e["logs"] = o.Logs
		if o.CPI != nil {
			e["cpi"] = o.CPI
		}
		var accounts []map[string]any
		for _, a := range o.Accounts {
			m := map[string]any{"lamports": a.Lamports, "owner": a.Owner, "data_hex": a.DataHex, "changed": a.Changed}
			if a.DupOf != nil {
				m["dup_of"] = *a.DupOf
			}
			if a.Discarded {
				m["discarded"] = true
			}
			accounts = append(accounts, m)
		}
		e["accounts"] = accounts
	}
	return json.MarshalIndent(e, "", " ")
}

// writeSection writes one `-- NAME --` section; a body line that reads as a
// marker would end it early, so it is refused.
func writeSection(b *bytes.Buffer, name, body string) error {
	for _, l := range strings.Split(body, "\n") {
		if _, ok := Marker(l); ok {
			return fmt.Errorf("export: %s has a line %q that reads as a section marker", name, l)
		}
	}
	fmt.Fprintf(b, "-- %s --\n%s\n", name, strings.TrimRight(body, "\n"))
	return nil
}

// vmCase writes a VM-suite case (testdata/conformance/README.md).
func vmCase(b *bytes.Buffer, x Run) (string, error) {
	s, r := x.Spec, x.Result
	comments(b, x.Comment)
	fmt.Fprintf(b, "name: %s\n", x.Name)
	if s.Trace {
		fmt.Fprintln(b, "tracing: on")
	}
	if s.Budget != nil {
		fmt.Fprintf(b, "budget: %d\n", *s.Budget)
	}
	if s.NoMeter {
		fmt.Fprintln(b, "meter: off")
	}
	if s.Verify {
		fmt.Fprintln(b, "verifier: check")
	}
	if s.MaxCallDepth != 0 {
		fmt.Fprintf(b, "max_call_depth: %d\n", s.MaxCallDepth)
	}
	if s.StackFrameSize != 0 {
		fmt.Fprintf(b, "stack_frame_size: %d\n", s.StackFrameSize)
	}
	if s.Heap != 0 {
		fmt.Fprintf(b, "heap: %d\n", s.Heap)
	}
	bindings, err := vmBindings(s)
	if err != nil {
		return "", err
	}
	for _, bind := range bindings {
		fmt.Fprintf(b, "syscall: %s %s\n", caseKey(bind.Key), bind.Name)
	}
	for _, f := range s.Functions {
		fmt.Fprintf(b, "function: %s %d\n", caseKey(f.Key), f.PC)
	}
	switch {
	case r.Error != nil:
		if strings.ContainsAny(*r.Error, "\n\r") {
			return "", errors.New("export: the error text spans lines, which a header cannot hold")
		}
		fmt.Fprintf(b, "expect.error: %s\n", *r.Error)
	case r.Value != nil:
		fmt.Fprintf(b, "expect.value: %#x\n", *r.Value)
	default:
		return "", errors.New("export: the result has neither a value nor an error")
	}
	fmt.Fprintf(b, "expect.count: %d\n", r.InstructionCount)
	switch s.Kind {
	case runspec.KindAsm:
		src := s.Source
		if src == "" {
			src = string(s.Program)
		}
		err = writeSection(b, "asm", src)
	case runspec.KindBytes:
		err = writeSection(b, "bytes", hexLines(s.Program))
	case runspec.KindELF:
		p := filepath.ToSlash(x.ProgramName)
		if p == "" || strings.ContainsAny(p, "\n\r") {
			return "", errors.New("export: an ELF case needs the fixture's path relative to the repository root")
		}
		sum := digest.Sum256(s.Program)
		fmt.Fprintf(b, "# %s: sha256 %s\n", p, hex.EncodeToString(sum[:]))
		err = writeSection(b, "elf", p)
	default:
		err = fmt.Errorf("export: unknown program kind %q", s.Kind)
	}
	if err != nil {
		return "", err
	}
	if len(s.Input) > 0 {
		if err := writeSection(b, "input", hexLines(s.Input)); err != nil {
			return "", err
		}
	}
	if !r.LogTruncated {
		var lines []string
		for _, l := range r.Log {
			lines = append(lines, strconv.Quote(l))
		}
		if err := writeSection(b, "log", strings.Join(lines, "\n")); err != nil {
			return "", err
		}
	}
	return SuiteVM, nil
}

// vmBindings are the syscall bindings of a run without an instruction,
// the defaults included, in the order runspec registers them (a later
// binding of a key replaces the earlier); the VM suite's format refuses
// one implementation under two keys.
func vmBindings(s *runspec.Spec) ([]runspec.Binding, error) {
	var all []runspec.Binding
	if !s.NoDefaultSyscalls {
		all = append(all, runspec.DefaultSyscalls...)
	}
	all = append(all, s.Syscalls...)
	var order []runspec.Binding
	index := map[uint32]int{}
	for _, b := range all {
		h, err := runspec.KeyHash(b.Key)
		if err != nil {
			return nil, err
		}
		if i, ok := index[h]; ok {
			order[i] = b
			continue
		}
		index[h] = len(order)
		order = append(order, b)
	}
	used := map[string]bool{}
	for _, b := range order {
		if used[b.Name] {
			return nil, fmt.Errorf("export: syscall %s is bound under two keys, which a case cannot register", b.Name)
		}
		used[b.Name] = true
	}
	return order, nil
}

// caseKey is a runspec key in the case format: numbers as they are,
// names as sym:NAME.
func caseKey(k string) string {
	if k != "" && k[0] >= '0' && k[0] <= '9' {
		return k
	}
	return "sym:" + k
}

// hexLines writes bytes in the case format's hex, 16 to a line.
func hexLines(data []byte) string {
	var b strings.Builder
	for i, c := range data {
		switch {
		case i > 0 && i%16 == 0:
			b.WriteByte('\n')
		case i > 0:
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}

// Marker reads a txtar section marker, a line "-- NAME --", returning
// NAME; every case format of the suites splits its files on it.
func Marker(l string) (string, bool) {
	l = strings.TrimRight(l, " \t\r")
	if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
		return strings.TrimSpace(l[3 : len(l)-3]), true
	}
	return "", false
}
