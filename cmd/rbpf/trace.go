package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/conformance/export"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func init() {
	commands["trace"] = command{"show, compare or export recorded runs (run --save-trace)", runTrace}
}

const traceSynopsis = "rbpf trace [show] FILE [--program FILE] [--list all|N|FROM:TO] [--json]\n" +
	"       rbpf trace diff A B [--program FILE] [--json]\n" +
	"       rbpf trace case FILE [--program FILE] [--name NAME] -o CASE.txtar"

func runTrace(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("want a trace file or a subcommand: show, diff or case")
	}
	switch args[0] {
	case "show":
		return traceShow(args[1:], stdout)
	case "diff":
		return traceDiff(args[1:], stdout)
	case "case":
		return traceCase(args[1:], stdout)
	}
	// rbpf trace FILE shows it.
	return traceShow(args, stdout)
}

// readTrace reads and decodes a trace file.
func readTrace(path string) (*tracefile.File, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("read trace: %v", trimPathError(err))
	}
	f, err := tracefile.Decode(data, tracefile.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return f, nil
}

// programOf reads --program (nil when not given).
func programOf(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	b, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("read program: %v", trimPathError(err))
	}
	return b, nil
}

// traceText is the program text a trace's pcs index (the relocated text
// of an ELF file), built from the program the file holds or from
// program; nil when neither is at hand.
func traceText(f *tracefile.File, program []byte) ([]byte, error) {
	if !f.Embedded() && program == nil {
		return nil, nil
	}
	s, err := f.RunSpec(program)
	if err != nil {
		return nil, err
	}
	b, err := s.Build()
	if err != nil {
		return nil, nil // the run failed to load: it has no steps to name
	}
	return b.Exe.Program.Text, nil
}

func traceShow(args []string, stdout io.Writer) error {
	fs := newFlags("trace show")
	program := fs.String("program", "", "the ELF `FILE` the trace was recorded on (checked against its sha256), to show instructions")
	list := fs.String("list", "", "print the steps `FROM:TO` (or all with --list all) in rbpf's trace format")
	asJSON := fs.Bool("json", false, "print the file's header (program, run request, result, steps) as JSON")
	pos, err := parse(fs, traceSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("want one trace FILE")
	}
	f, err := readTrace(pos[0])
	if err != nil {
		return err
	}
	prog, err := programOf(*program)
	if err != nil {
		return err
	}
	if prog != nil {
		if err := f.CheckProgram(prog); err != nil {
			return fmt.Errorf("--program: %v", err)
		}
	}
	if *asJSON {
		return writeJSON(stdout, f.Header)
	}
	p := f.Program
	fmt.Fprintf(stdout, "program: %s (%s, %d bytes, sha256 %s)\n", orUnnamed(p.Name), p.Kind, p.Size, p.SHA256)
	fmt.Fprintf(stdout, "run: %s\n", describeSpec(&f.Spec))
	fmt.Fprintf(stdout, "%s: %s\n", f.Result.Engine, f.Result.Summary())
	if o := f.Result.Outcome; o != nil {
		printOutcome(stdout, o, nil)
	}
	steps := fmt.Sprintf("%d steps", f.Len())
	if f.Truncated {
		steps += " (recording stopped before the run ended)"
	}
	fmt.Fprintln(stdout, steps)
	if *list == "" {
		return nil
	}
	from, to, err := stepRange(*list, f.Len())
	if err != nil {
		return err
	}
	text, err := traceText(f, prog)
	if err != nil {
		return err
	}
	if text == nil && !f.Embedded() {
		fmt.Fprintf(stdout, "(give --program %s to show the instructions)\n", orUnnamed(p.Name))
	}
	tf := vm.NewTraceFormatter(text)
	buf := make([]byte, 0, 512)
	c := f.Cursor()
	c.Seek(from)
	for c.Next() && c.Step() < to {
		if _, err := stdout.Write(tf.AppendLine(buf[:0], uint64(c.Step()), c.Entry())); err != nil {
			return err
		}
	}
	return nil
}

func orUnnamed(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	return name
}

// stepRange reads --list: "all", "N" (step N), "FROM:TO", "FROM:" or ":TO".
func stepRange(s string, n int) (int, int, error) {
	if s == "all" {
		return 0, n, nil
	}
	a, b, isRange := strings.Cut(s, ":")
	num := func(t string, def int) (int, error) {
		if t == "" {
			return def, nil
		}
		v, err := strconv.ParseUint(t, 10, 31)
		return int(v), err
	}
	from, err1 := num(a, 0)
	to, err2 := num(b, n)
	if !isRange {
		to = from + 1
	}
	if err1 != nil || err2 != nil || from > to {
		return 0, 0, fmt.Errorf("--list: %q is not all, N or FROM:TO", s)
	}
	return from, min(to, n), nil
}

// describeSpec is a one-line account of a run request.
func describeSpec(s *runspec.Spec) string {
	var parts []string
	if ix := s.Instruction; ix != nil {
		parts = append(parts, fmt.Sprintf("instruction to %s with %d accounts and %d bytes of data", ix.ProgramID, len(ix.Accounts), len(ix.Data)))
	} else {
		parts = append(parts, fmt.Sprintf("input %d bytes", len(s.Input)))
		if s.Budget != nil {
			parts = append(parts, fmt.Sprintf("budget %d", *s.Budget))
		}
		if s.Heap > 0 {
			parts = append(parts, fmt.Sprintf("heap %d", s.Heap))
		}
	}
	if s.Verify {
		parts = append(parts, "verified")
	}
	return strings.Join(parts, ", ")
}

func traceDiff(args []string, stdout io.Writer) error {
	fs := newFlags("trace diff")
	program := fs.String("program", "", "the ELF `FILE` both traces were recorded on, to name the instructions")
	asJSON := fs.Bool("json", false, "print the difference as one JSON object")
	pos, err := parse(fs, traceSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("want two trace files")
	}
	a, err := readTrace(pos[0])
	if err != nil {
		return err
	}
	b, err := readTrace(pos[1])
	if err != nil {
		return err
	}
	d := tracefile.Compare(a, b)
	if *asJSON {
		if err := writeJSON(stdout, d); err != nil {
			return err
		}
	} else {
		prog, err := programOf(*program)
		if err != nil {
			return err
		}
		var name func(uint64) string
		text, err := traceText(a, prog)
		if err != nil {
			return fmt.Errorf("--program: %v", err)
		}
		if text != nil {
			name = vm.NewTraceFormatter(text).Instruction
		}
		fmt.Fprintf(stdout, "a: %s (%s)\nb: %s (%s)\n%s", pos[0], a.Result.Engine, pos[1], b.Result.Engine, d.Summary(name))
	}
	if !d.Identical {
		return errProgram
	}
	return nil
}

func traceCase(args []string, stdout io.Writer) error {
	fs := newFlags("trace case")
	program := fs.String("program", "", "the ELF `FILE` the trace was recorded on")
	name := fs.String("name", "", "the case's `NAME` (default: the output file's name)")
	out := fs.String("o", "", "write the case to `CASE.txtar` (- for standard output)")
	pos, err := parse(fs, traceSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return fmt.Errorf("want one trace FILE and -o CASE.txtar")
	}
	f, err := readTrace(pos[0])
	if err != nil {
		return err
	}
	prog, err := programOf(*program)
	if err != nil {
		return err
	}
	s, err := f.RunSpec(prog)
	if err != nil {
		return err
	}
	progName := f.Program.Name
	if *program != "" {
		progName = *program
	}
	return writeCase(stdout, *out, *name, export.Run{Spec: s, Result: f.Result, ProgramName: progName})
}

// writeCase exports x as a case to path, runs it as its suite would and
// says whether it passes.
func writeCase(stdout io.Writer, path, name string, x export.Run) error {
	x.Name = name
	if x.Name == "" {
		x.Name = strings.TrimSuffix(filepath.Base(path), ".txtar")
		if path == "-" {
			x.Name = "exported"
		}
	}
	x.Comment = append(x.Comment, fmt.Sprintf("Exported by rbpf from a run on the %s: the expectations are what that run gave.", engineLong(x.Result.Engine)))
	text, suite, err := export.Case(x)
	if err != nil {
		return err
	}
	diffs, err := conformance.CheckExport(text, suite, x.Spec.Program, vm.Interpreter{})
	if err != nil {
		return fmt.Errorf("the exported case does not run: %v", err)
	}
	if len(diffs) > 0 {
		hint := ""
		if suite == export.SuiteRuntime {
			// conformance.RuntimeCase builds program.s with elfbuild.
			hint = " (a runtime case builds program.s into an ELF file entered at its entrypoint label, where a bare run of assembly starts at its first instruction)"
		}
		return fmt.Errorf("the exported case does not reproduce the run%s: %s", hint, strings.Join(diffs, "; "))
	}
	if path == "-" {
		_, err := stdout.Write(text)
		return err
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		return fmt.Errorf("write case: %v", trimPathError(err))
	}
	where := suite
	if suite == export.SuiteRealPrograms {
		where += " (put the ELF file in $SOLANA_ELF_DIR)"
	}
	fmt.Fprintf(stdout, "case %s written to %s: a %s case, passes on the interpreter\n", x.Name, path, where)
	return nil
}

func engineLong(e string) string {
	if e == "interp" {
		return "interpreter"
	}
	return e
}

// saveTraces writes --save-trace: one file, or with two engines one per
// engine (NAME.interp.trace and NAME.jit.trace).
func (f *runFlags) saveTraces(stdout io.Writer, spec *runspec.Spec, progPath string, results []runspec.Result, traces []*vm.Tracer) error {
	path := *f.saveTrace
	for i, r := range results {
		p := path
		if len(results) > 1 {
			ext := filepath.Ext(path)
			p = strings.TrimSuffix(path, ext) + "." + r.Engine + ext
		}
		file, err := tracefile.New(tracefile.Run{Name: filepath.Base(progPath), Spec: spec, Result: r, Trace: traces[i]})
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if _, err := file.WriteTo(&b); err != nil {
			return err
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("--save-trace: %v", trimPathError(err))
		}
		if !*f.asJSON {
			fmt.Fprintf(stdout, "%s: %d steps saved to %s (%d bytes)\n", r.Engine, file.Len(), p, b.Len())
		}
	}
	return nil
}

// exportCase writes --export-case from the first engine's run.
func (f *runFlags) exportCase(stdout io.Writer, spec *runspec.Spec, progPath string, results []runspec.Result) error {
	x := export.Run{Spec: spec, Result: results[0], ProgramName: progPath, Instruction: f.ixDoc}
	if *f.asJSON {
		stdout = io.Discard
	}
	return writeCase(stdout, *f.exportPath, *f.caseName, x)
}
