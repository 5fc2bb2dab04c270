package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func init() {
	commands["run"] = command{"run a program on the interpreter, the JIT or both", runRun}
}

const runSynopsis = "rbpf run (FILE | --asm FILE | --bytes FILE | --elf FILE) [--instruction IX.json [--run-anyway] | --input HEX | --input-file FILE | --input-size N] " +
	"[--heap N] [--engine interp|jit|both] [--budget N] [--no-meter] [--verify] [--no-default-syscalls] " +
	"[--syscall KEY=NAME ...] [--function KEY=PC ...] [--max-call-depth N] [--stack-frame-size N] [--trace] [--max-trace N] [--save-trace FILE] [--export-case CASE.txtar [--case-name NAME]] [--profile] [--cu-profile FILE [--cu-format folded|dot|json]] [--rbpf] [--json]"

// maxHeap bounds --heap: the heap is allocated up front.
const maxHeap = 1 << 30

// runFlags are the flags of rbpf run that shape the Spec.
type runFlags struct {
	src                 *sourceFlags
	instructions        multiFlag
	input, inputFile    *string
	inputSize           *string
	heap, budget        *string
	depth, frame        *string
	engine              *string
	noMeter, verify     *bool
	runAnyway           *bool
	saveInstruction     *string
	ix                  *solana.Instruction
	ixDoc               []byte // the instruction document as read
	saveTrace           *string
	exportPath          *string
	caseName            *string
	noDefault           *bool
	trace, asJSON       *bool
	watches             multiFlag
	watchStop           *bool
	profile, rbpf       *bool
	maxTrace            *int
	syscalls, functions multiFlag
	cuPath, cuFormat    *string
	cu                  *cuProfile // set by --cu-profile
	whys                multiFlag
	why                 *why // set by --why
}

func newRunFlags() (*runFlags, *flagSet) {
	fs := newFlags("run")
	f := &runFlags{src: addSourceFlags(fs)}
	fs.Var(&f.instructions, "instruction", "run the entrypoint as Solana v1.6.9 would, with the instruction document `IX.json` (accounts, data, sysvars; see docs/runtime.md); repeat it to run a sequence in which accounts keep their state")
	f.input = fs.String("input", "", "input region bytes as `HEX` (spaces allowed)")
	f.inputFile = fs.String("input-file", "", "read the input region bytes from `FILE`")
	f.inputSize = fs.String("input-size", "", "an input region of `N` zero bytes (rbpf's --input N)")
	f.heap = fs.String("heap", "0", "heap size in `BYTES`, mapped at 0x300000000")
	f.budget = fs.String("budget", "", "instruction budget `N` (default i64::MAX, as rbpf's CLI)")
	f.depth = fs.String("max-call-depth", "", "override Config.max_call_depth with `N` (default 20)")
	f.frame = fs.String("stack-frame-size", "", "override Config.stack_frame_size with `N` (default 4096)")
	f.engine = fs.String("engine", "interp", "`ENGINE` to run on: interp, jit or both")
	f.noMeter = fs.Bool("no-meter", false, "disable the instruction meter")
	f.verify = fs.Bool("verify", false, "run rbpf's verifier before executing (rbpf's --veri)")
	f.runAnyway = fs.Bool("run-anyway", false, "with --instruction: run a program the loader's verifier rejects (v1.6.9 would refuse it)")
	f.saveInstruction = fs.String("save-instruction", "", "with --instruction: write the document with the accounts as the run left them to `FILE`, to chain instructions")
	f.noDefault = fs.Bool("no-default-syscalls", false, "do not bind log, log_64, bpf_time_getns (5) and bpf_trace_printf (6)")
	f.trace = fs.Bool("trace", false, "print the instruction trace in rbpf's format")
	fs.Var(&f.watches, "watch", "report every load or store of the program that touches `RANGE[:r|w|rw]` (0xADDR+LEN, 0xSTART-0xEND, or with --instruction an input field such as accounts[0].data[0..8]; default w: writes); repeatable")
	f.watchStop = fs.Bool("watch-stop", false, "end the run at the first --watch hit and show the registers")
	f.asJSON = fs.Bool("json", false, "print one JSON result line per engine")
	f.rbpf = fs.Bool("rbpf", false, "behave as rbpf v0.2.8's CLI: print Result: Ok(..) and Instruction Count, bind mocks for ELF imports and no default syscalls")
	f.profile = fs.Bool("profile", false, "print rbpf's CLI profile: how often each block ran and each branch went which way")
	f.cuPath = fs.String("cu-profile", "", "record the interpreter's run and write where its compute units went (per function, call stack and block) to `FILE` (- for standard output)")
	f.cuFormat = fs.String("cu-format", "folded", "the --cu-profile `FORMAT`: folded (stacks for flamegraph.pl and speedscope), dot (the control-flow graph coloured by units) or json")
	f.saveTrace = fs.String("save-trace", "", "record the run (program sha256, run request, result and trace) in the trace file `FILE` for rbpf trace and the playground; with --engine both one file per engine, FILE's name with .interp or .jit before its extension")
	f.exportPath = fs.String("export-case", "", "write the run as a conformance case to `CASE.txtar` (a runtime case with --instruction, a VM-suite case otherwise) and check that it passes")
	f.caseName = fs.String("case-name", "", "the --export-case case's `NAME` (default: the file's name)")
	f.maxTrace = fs.Int("max-trace", 1<<22, "keep at most `N` trace entries (96 bytes each; 0: no limit)")
	fs.Var(&f.whys, "why", "after the run, show where the value of `LOC[@STEP]` came from: a register (r0-r10) or bytes as --watch names them, after STEP instructions (default: at the end); the interpreter's run is recorded. Repeatable")
	fs.Var(&f.syscalls, "syscall", "bind syscall `KEY=NAME` (KEY: number or symbol name); repeatable")
	fs.Var(&f.functions, "function", "register function `KEY=PC`; repeatable")
	return f, fs
}

func runRun(args []string, stdout, stderr io.Writer) error {
	f, fs := newRunFlags()
	pos, err := parse(fs, runSynopsis+watchSynopsis+whySynopsis, args, stdout)
	if err != nil {
		return err
	}
	spec, err := f.spec(pos)
	if err != nil {
		return err
	}
	engs, err := engines(*f.engine)
	if err != nil {
		return err
	}
	if *f.profile {
		spec.Trace = true
	}
	if *f.rbpf {
		// rbpf's CLI binds no syscalls of its own, only a printing mock
		// for each ELF import (bindMocks, after the build).
		spec.NoDefaultSyscalls = true
	}
	if *f.saveTrace != "" {
		spec.Trace = true // Config.enable_instruction_tracing; the text is printed only with --trace
	}
	if (*f.saveTrace != "" || *f.exportPath != "") && len(f.instructions) > 1 {
		return fmt.Errorf("--save-trace and --export-case record one run, not a sequence of instructions")
	}
	if *f.caseName != "" && *f.exportPath == "" {
		return fmt.Errorf("--case-name needs --export-case")
	}
	if *f.saveInstruction != "" && len(f.instructions) == 0 {
		return fmt.Errorf("--save-instruction needs --instruction")
	}
	if *f.asJSON && (*f.profile || *f.rbpf) {
		return fmt.Errorf("--profile and --rbpf print text; they have no --json form")
	}
	if err := f.setCUProfile(fs, spec, pos, engs); err != nil {
		return err
	}
	if len(f.whys) > 0 {
		f.why = &why{texts: f.whys}
		if err := f.why.check(engs, len(f.instructions) > 1, *f.rbpf); err != nil {
			return err
		}
	}
	if len(f.instructions) > 1 {
		return f.runSequence(stdout, stderr, spec, engs)
	}
	built, err := spec.Build()
	if err == nil && *f.rbpf {
		err = bindMocks(built.Exe, stdout)
	}
	if err == nil {
		if err := f.arm(built); err != nil {
			return err
		}
		if f.why != nil {
			if err := f.why.parse(built); err != nil {
				return err
			}
		}
	}
	var results []runspec.Result
	var traces []*vm.Tracer
	for _, e := range engs {
		r, tr := f.runOne(stdout, stderr, e, built, err)
		results, traces = append(results, r), append(traces, tr)
	}
	if err := f.save(results); err != nil {
		return err
	}
	if *f.saveTrace != "" {
		if err := f.saveTraces(stdout, spec, firstSource(f.src, pos), results, traces); err != nil {
			return err
		}
	}
	if *f.exportPath != "" {
		if err := f.exportCase(stdout, spec, firstSource(f.src, pos), results); err != nil {
			return fmt.Errorf("--export-case: %v", err)
		}
	}
	verdict := f.verdict(stdout, results, traces)
	if err := f.why.print(stdout, "interp", *f.asJSON); err != nil {
		return err
	}
	if f.cu != nil {
		// Also, and above all, for a run that failed.
		if err := f.cu.write(stdout); err != nil {
			return err
		}
	}
	return verdict
}

// setCUProfile checks --cu-profile and --cu-format and prepares the
// profile.
func (f *runFlags) setCUProfile(fs *flagSet, spec *runspec.Spec, pos []string, engs []vm.Engine) error {
	formatSet := false
	fs.Visit(func(fl *flag.Flag) { formatSet = formatSet || fl.Name == "cu-format" })
	if *f.cuPath == "" {
		if formatSet {
			return fmt.Errorf("--cu-format needs --cu-profile")
		}
		return nil
	}
	f.cu = &cuProfile{path: *f.cuPath, format: *f.cuFormat,
		prog: &program{kind: spec.Kind, path: firstSource(f.src, pos), data: spec.Program}}
	return f.cu.check(engs, len(f.instructions) > 1)
}

// accountsBefore are the instruction's accounts before the run, for
// showing what it changed; nil without --instruction.
func (f *runFlags) accountsBefore() []solana.Account {
	if f.ix == nil {
		return nil
	}
	return f.ix.Accounts
}

// runOne runs the built program (or reports why it was not built) on one
// engine and prints the outcome in the form the flags ask for.
func (f *runFlags) runOne(stdout, stderr io.Writer, e vm.Engine, built *runspec.Built, buildErr error) (runspec.Result, *vm.Tracer) {
	if buildErr != nil {
		r := runspec.Failed(runspec.EngineName(e), buildErr)
		if *f.rbpf {
			fmt.Fprintf(stdout, "Executable constructor failed: %s\n", debugOf(buildErr))
		} else {
			printResult(stdout, r, *f.asJSON, *f.trace, f.accountsBefore())
		}
		return r, nil
	}
	if built.Invocation == nil {
		built.Log = stderr
	}
	built.Trace = *f.trace
	built.MaxTraceEntries = *f.maxTrace
	p := built.Prepare()
	vr := f.execute(e, built, p, stderr)
	r := built.Finish(runspec.EngineName(e), p, vr)
	if r.TraceTruncated {
		fmt.Fprintf(stderr, "rbpf run: note: the %s trace stops after %d instructions (--max-trace)\n", r.Engine, *f.maxTrace)
	}
	if *f.rbpf {
		printRbpf(stdout, r, vr)
	} else {
		printWatchHits(stdout, r, *f.asJSON)
		printResult(stdout, r, *f.asJSON, *f.trace, f.accountsBefore())
	}
	if *f.profile {
		printProfile(stdout, built, vr)
	}
	return r, vr.Trace
}

// verdict reports whether two engines agreed (same value or error text and
// count, and with tracing, traces that agree as rbpf's Tracer::compare
// requires) and turns any failure into exit status 2.
func (f *runFlags) verdict(stdout io.Writer, results []runspec.Result, traces []*vm.Tracer) error {
	failed := false
	for _, r := range results {
		failed = failed || r.Failed()
	}
	if len(results) == 2 {
		diff := runspec.Difference(results[0], results[1])
		if diff == "" && traces[0] != nil && traces[1] != nil && !vm.Compare(traces[0], traces[1]) {
			diff = "traces"
		}
		failed = failed || diff != ""
		switch {
		case *f.asJSON:
			v := struct {
				Agree bool   `json:"agree"`
				Diff  string `json:"difference,omitempty"`
			}{diff == "", diff}
			_ = writeJSON(stdout, v)
		case diff == "":
			fmt.Fprintln(stdout, "engines agree")
		default:
			fmt.Fprintf(stdout, "engines DISAGREE: %s\n", diff)
		}
	}
	if failed {
		return errProgram
	}
	return nil
}

// printProfile prints what rbpf's CLI prints for --prof, from the trace.
func printProfile(w io.Writer, b *runspec.Built, r vm.Result) {
	if r.Trace == nil {
		return
	}
	pcs := make([]int, len(r.Trace.Log))
	for i, e := range r.Trace.Log {
		pcs[i] = e.PC()
	}
	a := cfg.Analyze(b.Exe.Program.Text, rbpfView(b.Exe))
	fmt.Fprintf(w, "Profile:\n%s", a.Profile(pcs))
}

// printRbpf prints the result the way rbpf v0.2.8's CLI does: its Debug
// text, the instruction count and, when asked, the trace.
func printRbpf(w io.Writer, r runspec.Result, vr vm.Result) {
	fmt.Fprintf(w, "Result: %s\n", vm.DebugResult(vr.Value, vr.Err))
	fmt.Fprintf(w, "Instruction Count: %d\n", r.InstructionCount)
	if r.Trace != "" {
		fmt.Fprintf(w, "Trace:\n%s\n", r.Trace)
	}
}

// debugOf is an error's Rust `{:?}` text when it has one.
func debugOf(err error) string {
	if d, ok := err.(interface{ Debug() string }); ok {
		return d.Debug()
	}
	return err.Error()
}

// printResult prints one engine's result; before are the instruction's
// accounts as they were, for showing what a runtime run changed.
func printResult(w io.Writer, r runspec.Result, asJSON, trace bool, before []solana.Account) {
	if asJSON {
		_ = writeJSON(w, r)
		return
	}
	if trace && r.Trace != "" {
		fmt.Fprintf(w, "Trace (%s):\n%s", r.Engine, r.Trace)
	}
	fmt.Fprintf(w, "%s: %s\n", r.Engine, r.Summary())
	if r.Outcome != nil {
		printOutcome(w, r.Outcome, before)
	}
}

// spec turns the flags into a run request.
func (f *runFlags) spec(pos []string) (*runspec.Spec, error) {
	p, err := f.src.resolve(pos)
	if err != nil {
		return nil, err
	}
	s := &runspec.Spec{Kind: p.kind, Program: p.data, NoMeter: *f.noMeter, Verify: *f.verify,
		NoDefaultSyscalls: *f.noDefault, Trace: *f.trace}
	if s.Input, err = f.readInput(); err != nil {
		return nil, err
	}
	if len(f.instructions) == 1 {
		if s.Instruction, f.ixDoc, err = readInstructionDoc(f.instructions[0]); err != nil {
			return nil, err
		}
	}
	s.RunAnyway, f.ix = *f.runAnyway, s.Instruction
	if err := f.numbers(s); err != nil {
		return nil, err
	}
	if len(f.instructions) > 0 {
		if err := s.CheckRuntime(); err != nil {
			return nil, err
		}
	}
	for _, b := range f.syscalls {
		bind, err := runspec.ParseBinding(b)
		if err != nil {
			return nil, fmt.Errorf("--syscall: %v", err)
		}
		s.Syscalls = append(s.Syscalls, bind)
	}
	for _, fn := range f.functions {
		reg, err := runspec.ParseFunction(fn)
		if err != nil {
			return nil, fmt.Errorf("--function: %v", err)
		}
		s.Functions = append(s.Functions, reg)
	}
	return s, nil
}

func (f *runFlags) numbers(s *runspec.Spec) error {
	heap, err := parseUint(*f.heap, 31)
	if err != nil {
		return fmt.Errorf("--heap: %v", err)
	}
	if heap > maxHeap {
		return fmt.Errorf("--heap: %d bytes is more than the %d this command allocates", heap, maxHeap)
	}
	s.Heap = int(heap)
	if *f.budget != "" {
		b, err := parseUint(*f.budget, 64)
		if err != nil {
			return fmt.Errorf("--budget: %v", err)
		}
		s.Budget = &b
	}
	for _, o := range []struct {
		name string
		text string
		dst  *int
	}{{"--max-call-depth", *f.depth, &s.MaxCallDepth}, {"--stack-frame-size", *f.frame, &s.StackFrameSize}} {
		if o.text == "" {
			continue
		}
		v, err := parseUint(o.text, 31)
		if err != nil || v == 0 {
			return fmt.Errorf("%s: %q is not a positive number", o.name, o.text)
		}
		*o.dst = int(v)
	}
	return nil
}

func (f *runFlags) readInput() ([]byte, error) {
	given := 0
	for _, v := range []string{*f.input, *f.inputFile, *f.inputSize} {
		if v != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return nil, fmt.Errorf("give only one of --input, --input-file and --input-size")
	case *f.inputSize != "":
		n, err := parseUint(*f.inputSize, 31)
		if err != nil || n > maxHeap {
			return nil, fmt.Errorf("--input-size: %q is not a size up to %d", *f.inputSize, maxHeap)
		}
		return make([]byte, n), nil
	case *f.inputFile != "":
		b, err := readFile(*f.inputFile)
		if err != nil {
			return nil, fmt.Errorf("read input: %v", trimPathError(err))
		}
		return b, nil
	case *f.input != "":
		return parseHex(*f.input)
	}
	return nil, nil
}

// parseHex reads hex digits, ignoring whitespace and an optional 0x prefix.
func parseHex(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("--input: not hex bytes: %v", err)
	}
	return b, nil
}
