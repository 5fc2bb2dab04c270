package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// run assembles src, runs it (with the instruction document ix when not
// empty) under a Recorder and checks the profile against the run: its
// total is the compute units (the instructions with the meter off), the
// stacks, slots and blocks add up to it, and the instruction counts to
// the instructions executed.
func run(t *testing.T, src, ix string, noMeter bool) (*Profile, *cfg.Graph, vm.Result) {
	t.Helper()
	prog, err := asm.AssembleProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	spec := &runspec.Spec{Kind: runspec.KindAsm, Program: []byte(src), NoMeter: noMeter}
	if ix != "" {
		if spec.Instruction, err = solana.Parse([]byte(ix), solana.DefaultLimits); err != nil {
			t.Fatal(err)
		}
	}
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	fns := map[int]string{}
	for name, pc := range prog.Functions {
		fns[pc] = name
	}
	g := cfg.Build(prog.Bytes, cfg.Options{Functions: fns, CallTargets: b.Exe.Program.Calls})
	m, err := vm.New(b.Exe, b.Prepare().Options)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewRecorder(m, g)
	if err != nil {
		t.Fatal(err)
	}
	res := rec.Run()
	p := rec.Profile()
	if err := consistent(p, res); err != nil {
		t.Fatal(err)
	}
	return p, g, res
}

// consistent checks that every view of p adds up to the run's units.
func consistent(p *Profile, res vm.Result) error {
	want := res.InstructionCount
	if !p.Metered {
		want = res.Executed
	}
	var stacks, slots, blocks, counts uint64
	for _, s := range p.Stacks {
		stacks += s.Units
	}
	for pc := range p.SlotUnits {
		slots += p.SlotUnits[pc]
		counts += p.Counts[pc]
	}
	for _, b := range p.Blocks {
		blocks += b.Units
	}
	var folded bytes.Buffer
	if err := p.Folded(&folded); err != nil {
		return err
	}
	if got := sumFolded(folded.String()); p.Units != want || stacks != want || slots != want || blocks != want || got != want {
		return fmt.Errorf("units %d, stacks %d, slots %d, blocks %d, folded %d; the run consumed %d",
			p.Units, stacks, slots, blocks, got, want)
	}
	if counts != res.Executed || p.Instructions != res.Executed {
		return fmt.Errorf("counts %d, instructions %d; the run executed %d", counts, p.Instructions, res.Executed)
	}
	return nil
}

// sumFolded adds up the numbers of folded lines, as flamegraph.pl reads
// them: the count after the last space.
func sumFolded(text string) uint64 {
	var sum uint64
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var n uint64
		if i := strings.LastIndexByte(l, ' '); i >= 0 {
			fmt.Sscan(l[i+1:], &n)
		}
		sum += n
	}
	return sum
}

func folded(t *testing.T, p *Profile) string {
	t.Helper()
	var b strings.Builder
	if err := p.Folded(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// fn finds a function of the profile by name.
func fn(t *testing.T, p *Profile, name string) Function {
	t.Helper()
	for _, f := range p.Functions {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %q in %+v", name, p.Functions)
	return Function{}
}

// A loop calling a helper three times, counted by hand: the entrypoint
// runs 2 instructions, 3 rounds of 4 (call, add, sub, jne) and 2 more; the
// helper 2 instructions per call.
func TestCallsAndLoop(t *testing.T) {
	src := `entrypoint:
    mov r6, 0
    mov r7, 3
loop:
    call helper
    add r6, r0
    sub r7, 1
    jne r7, 0, loop
    mov r0, r6
    exit
helper:
    mov r0, 2
    exit
`
	p, _, res := run(t, src, "", false)
	if res.Err != nil || res.Value != 6 || res.InstructionCount != 22 {
		t.Fatalf("run: %+v", res)
	}
	if got, want := folded(t, p), "entrypoint 16\nentrypoint;helper 6\n"; got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
	want := []Function{
		{Name: "entrypoint", Start: 0, Calls: 1, Self: 16, Inclusive: 22},
		{Name: "helper", Start: 8, Calls: 3, Self: 6, Inclusive: 6},
	}
	if !reflect.DeepEqual(p.Functions, want) {
		t.Errorf("functions %+v", p.Functions)
	}
	wantBlocks := []Block{
		{ID: 0, Start: 0, End: 2, Function: "entrypoint", Entries: 1, Units: 2},
		{ID: 1, Start: 2, End: 6, Function: "entrypoint", Entries: 3, Units: 12},
		{ID: 2, Start: 6, End: 8, Function: "entrypoint", Entries: 1, Units: 2},
		{ID: 3, Start: 8, End: 10, Function: "helper", Entries: 3, Units: 6},
	}
	if !reflect.DeepEqual(p.Blocks, wantBlocks) {
		t.Errorf("blocks %+v", p.Blocks)
	}
	if want := []Stack{{Frames: []int{0}, Units: 16}, {Frames: []int{0, 1}, Units: 6}}; !reflect.DeepEqual(p.Stacks, want) {
		t.Errorf("stacks %+v", p.Stacks)
	}
}

// Recursion: rec(3) calls rec(2) ... rec(0). Each rec above 0 runs jeq,
// sub, call and exit (4), rec(0) jeq and exit (2); the entrypoint mov,
// call and exit. rec's inclusive units count each unit once.
func TestRecursion(t *testing.T) {
	src := `entrypoint:
    mov r1, 3
    call rec
    exit
rec:
    jeq r1, 0, done
    sub r1, 1
    call rec
done:
    exit
`
	p, _, res := run(t, src, "", false)
	if res.InstructionCount != 17 {
		t.Fatalf("run: %+v", res)
	}
	want := "entrypoint 3\nentrypoint;rec 4\nentrypoint;rec;rec 4\nentrypoint;rec;rec;rec 4\nentrypoint;rec;rec;rec;rec 2\n"
	if got := folded(t, p); got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
	if f := fn(t, p, "rec"); f.Calls != 4 || f.Self != 14 || f.Inclusive != 14 {
		t.Errorf("rec: %+v", f)
	}
	if f := fn(t, p, "entrypoint"); f.Self != 3 || f.Inclusive != 17 {
		t.Errorf("entrypoint: %+v", f)
	}
}

// counterIx is an instruction document with no accounts, for runtime runs
// of test programs.
const counterIx = `{"program_id": "Counter111111111111111111111111111111111111", "accounts": []%s}`

// A runtime run: sol_log_ costs its length in bytes (here 2), sol_log_64_
// 100 (core/solana's budget), each under a frame named after it, the
// call instructions staying their callers'. logger runs 7 instructions,
// the entrypoint 3.
func TestSyscallCosts(t *testing.T) {
	src := `entrypoint:
    call logger
    mov r0, 0
    exit
logger:
    mov r1, 0x6968
    stxh [r10-8], r1
    mov r1, r10
    sub r1, 8
    mov r2, 2
    call sol_log_
    call sol_log_64_
    exit
`
	p, _, res := run(t, src, fmt.Sprintf(counterIx, ""), false)
	if res.Err != nil || res.InstructionCount != 3+8+2+100 {
		t.Fatalf("run: %+v", res)
	}
	if solana.DefaultBudget.Log64Units != 100 {
		t.Fatalf("sol_log_64_ costs %d", solana.DefaultBudget.Log64Units)
	}
	want := "entrypoint 3\nentrypoint;logger 8\nentrypoint;logger;sol_log_ 2\nentrypoint;logger;sol_log_64_ 100\n"
	if got := folded(t, p); got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
	if f := fn(t, p, "logger"); f.Self != 8 || f.Inclusive != 110 || f.Calls != 1 {
		t.Errorf("logger: %+v", f)
	}
	if f := fn(t, p, "sol_log_64_"); !f.Syscall || f.Start != -1 || f.Self != 100 || f.Calls != 1 {
		t.Errorf("sol_log_64_: %+v", f)
	}
	// The syscalls' costs are charged at their call slots (8 and 9).
	if p.SlotUnits[8] != 1+2 || p.SlotUnits[9] != 1+100 || p.Counts[9] != 1 {
		t.Errorf("slot units %v", p.SlotUnits)
	}
}

// A budget that runs out inside a syscall: the meter saturates, and the
// syscall is charged what was left, so the total is still the budget.
func TestBudgetExhaustedInSyscall(t *testing.T) {
	src := "entrypoint:\n    mov r1, 1\n    call sol_log_64_\n    exit\n"
	p, _, res := run(t, src, fmt.Sprintf(counterIx, `, "compute_units": 50`), false)
	if res.Err == nil || res.InstructionCount != 50 {
		t.Fatalf("run: %+v", res)
	}
	if got, want := folded(t, p), "entrypoint 2\nentrypoint;sol_log_64_ 48\n"; got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
}

// With the meter off, units are the instructions executed, and bare
// rbpf syscalls cost nothing (they still appear, with 0 units, among the
// functions).
func TestMeterOff(t *testing.T) {
	src := "entrypoint:\n    mov r1, 1\n    mov r2, 2\n    call log_64\n    exit\n"
	p, _, res := run(t, src, "", true)
	if res.InstructionCount != 0 || res.Executed != 4 || p.Metered || p.Units != 4 {
		t.Fatalf("run %+v, profile %+v", res, p)
	}
	if got := folded(t, p); got != "entrypoint 4\n" {
		t.Errorf("folded %q", got)
	}
	if f := fn(t, p, "log_64"); f.Calls != 1 || f.Self != 0 {
		t.Errorf("log_64: %+v", f)
	}
}

// A run that fails in the middle of a straight-line run of instructions
// (a division by zero) is charged up to the failing instruction, which
// the meter counts. Syscalls never reached are not among the functions.
func TestFailureMidBlock(t *testing.T) {
	src := "entrypoint:\n    mov r1, 0\n    mov r0, 5\n    div r0, r1\n    call log_64\n    exit\n"
	p, _, res := run(t, src, "", false)
	if res.Err == nil || res.InstructionCount != 3 {
		t.Fatalf("run: %+v", res)
	}
	if p.Counts[2] != 1 || p.Counts[3] != 0 {
		t.Errorf("counts %v", p.Counts)
	}
	if len(p.Functions) != 1 {
		t.Errorf("functions %+v", p.Functions)
	}
}

// A Recorder may start on a VM that already ran: the frames it is in
// become the stack, each named by the function holding its pc.
func TestStartMidRun(t *testing.T) {
	src := "entrypoint:\n    call helper\n    exit\nhelper:\n    mov r0, 1\n    mov r0, 2\n    exit\n"
	prog, err := asm.AssembleProgram(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := (&runspec.Spec{Kind: runspec.KindAsm, Program: []byte(src)}).Build()
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.Build(prog.Bytes, cfg.Options{Functions: map[int]string{prog.Functions["helper"]: "helper"}, CallTargets: b.Exe.Program.Calls})
	m, err := vm.New(b.Exe, b.Prepare().Options)
	if err != nil {
		t.Fatal(err)
	}
	m.Step(2) // the call and the first mov
	rec, err := NewRecorder(m, g)
	if err != nil {
		t.Fatal(err)
	}
	rec.Run()
	if got, want := folded(t, rec.Profile()), "entrypoint 1\nentrypoint;helper 2\n"; got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
}

// A watch hit stops Step after its instruction, as VM.Step does, even in
// the middle of a straight run of instructions.
func TestStepStopsAtWatchHits(t *testing.T) {
	b, err := (&runspec.Spec{Kind: runspec.KindAsm, Program: []byte("mov r1, 1\nstxb [r10-1], r1\nmov r0, 2\nmov r0, 3\nexit\n")}).Build()
	if err != nil {
		t.Fatal(err)
	}
	opts := b.Prepare().Options
	opts.Watches = []vm.Watch{{Addr: ebpf.MMStackStart + 0x1000 - 1, Len: 1, Kind: vm.WatchWrite}}
	m, err := vm.New(b.Exe, opts)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewRecorder(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := rec.Step(10); n != 2 || m.PC() != 2 {
		t.Errorf("stepped %d to pc %d, want 2 to pc 2", n, m.PC())
	}
	if n := rec.Step(10); n != 3 || !m.Done() {
		t.Errorf("then %d, done %v", n, m.Done())
	}
}

// Without a graph, functions are named from the executable's call map.
func TestNoGraph(t *testing.T) {
	src := "entrypoint:\n    call helper\n    exit\nhelper:\n    exit\n"
	b, err := (&runspec.Spec{Kind: runspec.KindAsm, Program: []byte(src)}).Build()
	if err != nil {
		t.Fatal(err)
	}
	m, err := vm.New(b.Exe, b.Prepare().Options)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewRecorder(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec.Run()
	if got, want := folded(t, rec.Profile()), "entrypoint 2\nentrypoint;function_2 1\n"; got != want {
		t.Errorf("folded:\n%s\nwant\n%s", got, want)
	}
	other := cfg.Build(ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Exit}}), cfg.Options{})
	if _, err := NewRecorder(m, other); err == nil {
		t.Error("a graph of another program was accepted")
	}
}

// Folded frames are demangled, and characters that would break the
// format are replaced.
func TestFoldedNames(t *testing.T) {
	p := &Profile{
		Functions: []Function{
			{Name: "_ZN14solana_program3log7sol_log17h4d8401486258f67dE"},
			{Name: "a;b\nc"},
		},
		Stacks: []Stack{{Frames: []int{0, 1}, Units: 5}, {Frames: []int{0}, Units: 2}},
	}
	if got, want := folded(t, p), "solana_program::log::sol_log 2\nsolana_program::log::sol_log;a:b c 5\n"; got != want {
		t.Errorf("folded:\n%q\nwant\n%q", got, want)
	}
}

func TestDotAndJSON(t *testing.T) {
	src := "entrypoint:\n    mov r1, 3\nloop:\n    sub r1, 1\n    jne r1, 0, loop\n    exit\n"
	p, g, _ := run(t, src, "", false)
	dot := p.Dot(g, "loop")
	for _, want := range []string{
		`digraph "loop" {`,
		`    b1 [label="6 CU (75.0%), entered 3\l    1 #30     sub64 r1, 0x1\l    2 #31     jne r1, 0x0, -2\l", style=filled, fillcolor="#ef3b2c"];`,
		`    b0 [label="1 CU (12.5%), entered 1\l    0 #29     mov64 r1, 0x3\l", style=filled, fillcolor="#fee0d2"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("missing %q in\n%s", want, dot)
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"units":8,"metered":true,"instructions":8,` +
		`"functions":[{"name":"entrypoint","start":0,"calls":1,"self":8,"inclusive":8}],` +
		`"stacks":[{"frames":[0],"units":8}],` +
		`"blocks":[{"id":0,"start":0,"end":1,"function":"entrypoint","entries":1,"units":1},` +
		`{"id":1,"start":1,"end":3,"function":"entrypoint","entries":3,"units":6},` +
		`{"id":2,"start":3,"end":4,"function":"entrypoint","entries":1,"units":1}]}`
	if string(b) != want {
		t.Errorf("json:\n%s\nwant\n%s", b, want)
	}
}
