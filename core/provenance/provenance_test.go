package provenance

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// recorded builds spec, runs it to the end under a Recorder and returns
// the Recorder, the run's result and the input's field map.
func recorded(t testing.TB, spec *runspec.Spec) (*Recorder, vm.Result, *solana.Input) {
	t.Helper()
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := b.Prepare()
	m, err := vm.New(b.Exe, p.Options)
	if err != nil {
		t.Fatal(err)
	}
	var in *solana.Input
	if b.Invocation != nil {
		in = b.Invocation.Input
	}
	r, err := NewRecorder(m, Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return r, r.Run(), in
}

func asmSpec(src string, input []byte) *runspec.Spec {
	return &runspec.Spec{Kind: runspec.KindAsm, Source: src, Input: input}
}

// shape is a chain as "depth kind step loc" lines, for comparing.
func shape(c *Chain) string {
	var b strings.Builder
	for _, l := range c.Links {
		b.WriteString(strings.Repeat(" ", l.Depth))
		b.WriteString(string(l.Kind))
		b.WriteString(" ")
		b.WriteString(l.Loc)
		if l.Step >= 0 {
			b.WriteString(" @")
			b.WriteString(itoa(l.Step))
		}
		if l.Repeat > 0 {
			b.WriteString(" x")
			b.WriteString(itoa(l.Repeat))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestRegisterChain(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r2, 5
    mov64 r3, r2
    add64 r3, r1
    mov64 r0, r3
    exit`, []byte{1}))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	c, err := r.Why(res.Executed, Reg(0), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + c.Text())
	want := `copy r0 @3
 compute r3 @2
  copy r3 @1
   constant r2 @0
  entry r1
`
	if got := shape(c); got != want {
		t.Errorf("chain\n%swant\n%s", got, want)
	}
}

// why asks about loc at the end of r's recording and checks the chain's
// shape.
func why(t *testing.T, r *Recorder, at uint64, loc Location, want string) *Chain {
	t.Helper()
	c, err := r.Why(at, loc, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := shape(c); got != want {
		t.Errorf("%s after %d:\n%s\ngot shape\n%swant\n%s", loc, at, c.Text(), got, want)
	}
	return c
}

func TestRegisterChainMidRun(t *testing.T) {
	r, _, _ := recorded(t, asmSpec("mov64 r2, 5\nmov64 r3, r2\nadd64 r3, r1\nmov64 r0, r3\nexit", nil))
	why(t, r, 2, Reg(3), "copy r3 @1\n constant r2 @0\n")
	why(t, r, 1, Reg(3), "entry r3\n")
	// Without input r1 is 0 at the entrypoint.
	c := why(t, r, 3, Reg(1), "entry r1\n")
	if d := c.Links[0].Detail; d != "0x0 at the entrypoint" {
		t.Errorf("r1's entry: %q", d)
	}
	why(t, r, 0, Reg(10), "frame r10\n")
	if _, err := r.Why(6, Reg(0), Limits{}); err == nil {
		t.Error("a query past the run's end answered")
	}
	if _, err := r.Why(1, Reg(11), Limits{}); err == nil {
		t.Error("r11 answered")
	}
}

func TestMemoryChain(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r2, 7
    stxdw [r10-8], r2
    ldxdw r3, [r10-8]
    mov64 r0, r3
    exit`, nil))
	c := why(t, r, res.Executed, Reg(0), `copy r0 @3
 load r3 @2
  store 0x200000ff8+8 @1
   constant r2 @0
`)
	if d := c.Links[1].Detail; d != "loaded 8 bytes at 0x200000ff8 (frame 0, r10-0x8)" {
		t.Errorf("load detail %q", d)
	}
	if f := c.Links[2].Field; f != "frame 0, r10-0x8" {
		t.Errorf("the stack bytes are named %q", f)
	}
	// Bytes nothing wrote.
	why(t, r, res.Executed, Mem(0x200000ff0, 4), "stack 0x200000ff0+4\n")
	// Part of a store.
	why(t, r, res.Executed, Mem(0x200000ffa, 2), "store 0x200000ffa+2 @1\n constant r2 @0\n")
}

func TestBytesFromSeveralWriters(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    stdw [r10-8], 0x11
    mov64 r2, 0x2233
    stxh [r10-6], r2
    ldxdw r0, [r10-8]
    exit`, nil))
	c := why(t, r, res.Executed, Reg(0), `load r0 @3
 constant 0x200000ff8+2 @0
 store 0x200000ffa+2 @2
  constant r2 @1
 constant 0x200000ffc+4 @0
`)
	if d := c.Links[1].Detail; d != "stored the constant 0x11" {
		t.Errorf("st detail %q", d)
	}
}

func TestLoopCounterFolds(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r1, 0
loop:
    add64 r1, 1
    jlt r1, 10, loop
    mov64 r0, r1
    exit`, nil))
	c := why(t, r, res.Executed, Reg(0), "copy r0 @21\n compute r1 @19 x10\n  constant r1 @0\n")
	if l := c.Links[1]; l.FirstStep != 1 {
		t.Errorf("the folded loop starts at step %d, want 1", l.FirstStep)
	}
	// In the middle of the loop: the last iteration before step 8.
	why(t, r, 8, Reg(1), "compute r1 @7 x4\n constant r1 @0\n")
}

func TestLastWriteInALoop(t *testing.T) {
	// Each iteration stores its counter; the byte read after the loop is
	// the last iteration's.
	r, res, _ := recorded(t, asmSpec(`
    mov64 r1, 0
loop:
    stxb [r10-1], r1
    add64 r1, 1
    jlt r1, 3, loop
    ldxb r0, [r10-1]
    exit`, nil))
	why(t, r, res.Executed, Reg(0), "load r0 @10\n store 0x200000fff+1 @7\n  compute r1 @5 x2\n   constant r1 @0\n")
}

func TestCallAndExitFrames(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r6, 3
    mov64 r1, 4
    call fn
    add64 r0, r6
    exit
fn:
    mov64 r6, 9
    mov64 r0, r1
    exit`, nil))
	if res.Err != nil || res.Value != 7 {
		t.Fatalf("run: %d %v", res.Value, res.Err)
	}
	c := why(t, r, res.Executed, Reg(0), `compute r0 @6
 copy r0 @4
  constant r1 @1
 restored r6 @5
  constant r6 @0
`)
	if d := c.Links[3].Detail; d != "restored on return, as saved by the call at step 2" {
		t.Errorf("restored detail %q", d)
	}
	// Inside the function r6 is the callee's own.
	why(t, r, 5, Reg(6), "constant r6 @3\n")
	why(t, r, 4, Reg(10), "frame r10 @2\n")
	why(t, r, 7, Reg(10), "frame r10 @5\n")
	why(t, r, 2, Reg(10), "frame r10\n")
}

func TestSyscallResult(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r1, 1
    call 6
    mov64 r7, r0
    mov64 r0, 0
    exit`, nil))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	c := why(t, r, res.Executed, Reg(7), "copy r7 @2\n syscall r0 @1\n")
	if d := c.Links[1].Detail; !strings.HasPrefix(d, "returned by bpf_trace_printf(r1=0x1, ") {
		t.Errorf("syscall detail %q", d)
	}
}

func TestSyscallWrites(t *testing.T) {
	spec := asmSpec(`
    stdw [r10-8], 0x11
    mov64 r1, r10
    add64 r1, -8
    mov64 r2, 4
    call 1
    ldxdw r0, [r10-8]
    exit`, nil)
	spec.Syscalls = []runspec.Binding{{Key: "1", Name: "bpf_mem_frob"}}
	r, res, _ := recorded(t, spec)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	c := why(t, r, res.Executed, Reg(0), "load r0 @5\n syscall 0x200000ff8+4 @4\n constant 0x200000ffc+4 @0\n")
	if d := c.Links[1].Detail; !strings.HasPrefix(d, "written by bpf_mem_frob(r1=0x200000ff8, r2=0x4") {
		t.Errorf("syscall detail %q", d)
	}
}

func TestFailedInstructionHasNoEffect(t *testing.T) {
	r, res, _ := recorded(t, asmSpec("mov64 r0, 6\nmov64 r2, 0\ndiv64 r0, r2\nexit", nil))
	if res.Err == nil || res.Executed != 3 {
		t.Fatalf("run: %v after %d", res.Err, res.Executed)
	}
	why(t, r, 3, Reg(0), "constant r0 @0\n")
}

func TestMeterExhaustedInstructionTakesEffect(t *testing.T) {
	budget := uint64(2)
	spec := asmSpec("mov64 r0, 6\nmov64 r0, 7\nmov64 r0, 8\nexit", nil)
	spec.Budget = &budget
	r, res, _ := recorded(t, spec)
	if res.Err == nil {
		t.Fatal("the meter did not stop the run")
	}
	why(t, r, res.Executed, Reg(0), "constant r0 @"+itoa(int(res.Executed)-1)+"\n")
}

func TestSharedInputIsLinkedOnce(t *testing.T) {
	r, res, _ := recorded(t, asmSpec("mov64 r2, 5\nmov64 r3, r2\nadd64 r3, r2\nmov64 r0, r3\nexit", nil))
	c := why(t, r, res.Executed, Reg(0), "copy r0 @3\n compute r3 @2\n  copy r3 @1\n   constant r2 @0\n  seen r2 @0\n")
	if l := c.Links[4]; l.Ref != 3 {
		t.Errorf("the seen link refers to %d, want 3", l.Ref)
	}
}

func TestLimits(t *testing.T) {
	// r0 doubles itself through a second register each time: a chain as
	// long as the loop.
	r, res, _ := recorded(t, asmSpec(`
    mov64 r0, 1
    mov64 r1, 0
loop:
    mov64 r2, r0
    add64 r0, r2
    add64 r1, 1
    jlt r1, 50, loop
    exit`, nil))
	c, err := r.Why(res.Executed, Reg(0), Limits{MaxLinks: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Links) != 10 || !c.Truncated {
		t.Errorf("%d links, truncated %v:\n%s", len(c.Links), c.Truncated, c.Text())
	}
	c, _ = r.Why(res.Executed, Reg(0), Limits{MaxDepth: 3})
	cuts := 0
	for _, l := range c.Links {
		if l.Depth > 4 || (l.Depth == 4) != (l.Kind == KindCut) {
			t.Errorf("a %s link at depth %d", l.Kind, l.Depth)
		}
		if l.Kind == KindCut {
			cuts++
		}
	}
	if !c.Truncated || cuts == 0 {
		t.Errorf("depth limit:\n%s", c.Text())
	}
	// Unlimited, the chain reaches the constant through every iteration:
	// each one is three links, its add, the copy into r2 and the copy's
	// input, seen as the previous iteration's add; then the constant.
	c, _ = r.Why(res.Executed, Reg(0), Limits{MaxLinks: 1000, MaxDepth: 1000})
	if c.Truncated || c.Links[len(c.Links)-1].Kind != KindSeen || len(c.Links) != 50*3+1 {
		t.Errorf("%d links, truncated %v, ends with %s", len(c.Links), c.Truncated, c.Links[len(c.Links)-1].Kind)
	}
}

func TestStackNames(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    call fn
    exit
fn:
    stw [r10-12], 7
    exit`, nil))
	// fn's frame is frame 1: its stack starts 2 frame sizes up and its
	// r10 one frame size above that.
	c := why(t, r, res.Executed, Mem(0x200002000+0x1000-12, 4), "constant 0x200002ff4+4 @1\n")
	if f := c.Links[0].Field; f != "frame 1, r10-0xc" {
		t.Errorf("named %q", f)
	}
	for _, addr := range []uint64{0x200001000, 0x200000000 + 20*0x2000} { // a gap, past the frames
		if f := r.field(Mem(addr, 1)); f != "" {
			t.Errorf("%#x named %q", addr, f)
		}
	}
}
