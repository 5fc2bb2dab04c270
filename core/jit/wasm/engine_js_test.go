//go:build js && wasm

package wasmjit

import (
	"fmt"
	"strings"

	"errors"
	"github.com/rbpfgo/rbpfgo/core/asm"
	"math/rand/v2"
	"reflect"
	"syscall/js"
	"testing"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestLayout checks the context and descriptor offsets the generated
// code uses against Go's layout.
func TestLayout(t *testing.T) {
	var c context
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"regs", unsafe.Offsetof(c.regs), ctxRegs},
		{"budget", unsafe.Offsetof(c.budget), ctxBudget},
		{"pc", unsafe.Offsetof(c.pc), ctxPC},
		{"code", unsafe.Offsetof(c.code), ctxCode},
		{"arg", unsafe.Offsetof(c.arg), ctxArg},
		{"fp", unsafe.Offsetof(c.fp), ctxFP},
		{"traceCur", unsafe.Offsetof(c.traceCur), ctxTraceCur},
		{"traceEnd", unsafe.Offsetof(c.traceEnd), ctxTraceEnd},
		{"regions", unsafe.Offsetof(c.regions), ctxRegions},
		{"nRegions", unsafe.Offsetof(c.nRegions), ctxNRegions},
		{"mid", unsafe.Offsetof(c.mid), ctxMid},
		{"inStart", unsafe.Offsetof(c.inStart), ctxInStart},
		{"inHost", unsafe.Offsetof(c.inHost), ctxInHost},
		{"inLoad", unsafe.Offsetof(c.inLoad), ctxInLoad},
		{"inStore", unsafe.Offsetof(c.inStore), ctxInStore},
		{"frameLim", unsafe.Offsetof(c.frameLim), ctxFrameLim},
		{"frames", unsafe.Offsetof(c.frames), ctxFrames},
		{"frameFL", unsafe.Offsetof(c.frameFL), ctxFrameFL},
		{"size", unsafe.Sizeof(c), ctxSize},
	} {
		if f.got != f.want {
			t.Errorf("context.%s at %d, the code uses %d", f.name, f.got, f.want)
		}
	}
	var d regionDesc
	if unsafe.Sizeof(d) != descSize || unsafe.Offsetof(d.mask) != descMask || unsafe.Offsetof(d.len) != descLen ||
		unsafe.Offsetof(d.host) != descHost || unsafe.Offsetof(d.writable) != descWritable {
		t.Error("regionDesc layout differs from the desc* offsets")
	}
	if unsafe.Sizeof(vm.TraceEntry{}) != traceEntrySize {
		t.Error("vm.TraceEntry is not traceEntrySize bytes")
	}
}

// TestModulesValidate has WebAssembly validate the modules of random
// programs (every opcode, bad registers, calls and jumps anywhere), and
// refuse a corrupted one.
func TestModulesValidate(t *testing.T) {
	validate := func(b []byte) bool {
		u8 := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(u8, b)
		return js.Global().Get("WebAssembly").Call("validate", u8).Bool()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 150; i++ {
		m, err := Compile(randomExe(rng, 1+rng.IntN(64)))
		if err != nil {
			t.Fatal(err)
		}
		if !validate(m.Bytes()) {
			t.Fatalf("invalid module (%d bytes)", len(m.Bytes()))
		}
	}
	m, _ := Compile(mustExe(t, "mov64 r0, 1\nexit"))
	bad := append([]byte(nil), m.Bytes()...)
	bad[len(bad)-1] = opUnreachable
	if validate(bad) {
		t.Error("WebAssembly accepted a corrupted module")
	}
}

// TestEngineFallback checks what Engine does where the tier cannot run:
// the interpreter's result, or the reason in Strict mode.
func TestEngineFallback(t *testing.T) {
	exe := mustExe(t, "mov64 r1, 7\nstxdw [r10-8], r1\nldxdw r0, [r10-8]\nexit")
	opts := vm.RunOptions{Budget: 100, Watches: []vm.Watch{{Addr: ebpf.MMStackStart + 4096 - 8, Len: 8, Kind: vm.WatchAny}}}
	want := vm.Interpreter{}.Run(exe, opts)
	if len(want.WatchHits) != 2 {
		t.Fatalf("interpreter: %d watch hits, want 2", len(want.WatchHits))
	}
	if got := (Engine{}).Run(exe, opts); got.Value != 7 || !reflect.DeepEqual(got.WatchHits, want.WatchHits) {
		t.Errorf("watchpoints: got %v, %+v", got.Value, got.WatchHits)
	}
	if got := (Engine{Strict: true}).Run(exe, opts); !errors.Is(got.Err, ErrUnsupported) {
		t.Errorf("strict with watchpoints: %v", got.Err)
	}
	small := Engine{Options: Options{MaxSlots: 2}}
	if got := small.Run(exe, vm.RunOptions{Budget: 100}); got.Err != nil || got.Value != 7 {
		t.Errorf("too large, fallback: %v %v", got.Value, got.Err)
	}
	small.Strict = true
	if got := small.Run(exe, vm.RunOptions{Budget: 100}); !errors.Is(got.Err, ErrTooLarge) {
		t.Errorf("too large, strict: %v", got.Err)
	}
	if (Engine{}).Name() != "wasm" {
		t.Error("name")
	}
}

// TestProgramReuse runs one instantiated program on several VMs with
// different inputs, and refuses a VM built for another executable or with
// watchpoints.
func TestProgramReuse(t *testing.T) {
	exe := mustExe(t, "ldxb r0, [r1+3]\nstb [r1+3], 9\nexit")
	p, err := Load(exe)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		in := []byte{0, 0, 0, byte(i)}
		if i == 4 {
			in = in[:3]
		}
		want := vm.Interpreter{}.Run(exe, vm.RunOptions{Input: append([]byte(nil), in...), Budget: 10})
		m, err := vm.New(exe, vm.RunOptions{Input: in, Budget: 10})
		if err != nil {
			t.Fatal(err)
		}
		got := p.RunVM(m)
		if got.Value != want.Value || progen.ErrText(got.Err) != progen.ErrText(want.Err) || got.InstructionCount != want.InstructionCount {
			t.Errorf("input %x: got (%d, %v, %d), want (%d, %v, %d)", in, got.Value, got.Err, got.InstructionCount, want.Value, want.Err, want.InstructionCount)
		}
		if i < 4 && in[3] != 9 {
			t.Errorf("input %x: the store did not reach Go's memory", in)
		}
	}
	other, _ := vm.New(mustExe(t, "exit"), vm.RunOptions{})
	if r := p.RunVM(other); r.Err == nil {
		t.Error("ran on a VM of another executable")
	}
	watched, _ := vm.New(exe, vm.RunOptions{Input: make([]byte, 4), Watches: []vm.Watch{{Addr: ebpf.MMInputStart, Len: 1, Kind: vm.WatchAny}}})
	if r := p.RunVM(watched); r.Err == nil {
		t.Error("ran on a VM with watchpoints")
	}
}

// TestLongRuns runs past several budget slices, with the meter off and
// with a meter larger than a slice, and stops exactly where the
// interpreter stops.
func TestLongRuns(t *testing.T) {
	src := "mov64 r1, 3000000\nadd64 r0, 3\nsub64 r1, 1\njne r1, 0, -3\nexit"
	for _, c := range []struct {
		meter  bool
		budget uint64
	}{{false, 0}, {true, 20_000_000}, {true, 5_000_001}, {true, sliceBudget}, {true, sliceBudget + 1}} {
		exe := mustExe(t, src)
		exe.Config.EnableInstructionMeter = c.meter
		opts := vm.RunOptions{Budget: c.budget}
		want := vm.Interpreter{}.Run(exe, opts)
		got := Engine{Strict: true}.Run(exe, opts)
		if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
			t.Errorf("meter %v, budget %d: %s", c.meter, c.budget, d)
		}
	}
}

// TestInterrupt stops an endless run (meter off) from its hook after a
// few budget slices, with the counts of what ran, and checks that a hook
// that never fires changes nothing.
func TestInterrupt(t *testing.T) {
	exe := mustExe(t, "add64 r0, 1\nja -2\nexit")
	exe.Config.EnableInstructionMeter = false
	p, err := Load(exe)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := vm.New(exe, vm.RunOptions{})
	calls := 0
	stop := errors.New("stop")
	r := p.RunVMInterruptible(m, func() error {
		calls++
		if calls == 4 {
			return stop
		}
		return nil
	})
	if !errors.Is(r.Err, ErrInterrupted) || !errors.Is(r.Err, stop) {
		t.Fatalf("error %v", r.Err)
	}
	// A slice ends where the next segment (add, ja: two instructions)
	// would not fit: each of the three ran sliceBudget-2.
	if want := uint64(3 * (sliceBudget - 2)); r.Executed != want {
		t.Errorf("executed %d, want 3 slices (%d)", r.Executed, want)
	}
	exe2 := mustExe(t, "mov64 r0, 5\nexit")
	p2, _ := Load(exe2)
	m2, _ := vm.New(exe2, vm.RunOptions{Budget: 10})
	if r := p2.RunVMInterruptible(m2, func() error { return nil }); r.Err != nil || r.Value != 5 || r.InstructionCount != 2 {
		t.Errorf("quiet hook: %+v", r)
	}
}

// TestAccessEdges compares every access size at and around the edges of
// the input region and of the stack frame (the inline fast paths' bounds)
// with the interpreter: loads and stores, in the root frame and in a
// called one.
func TestAccessEdges(t *testing.T) {
	const inputLen = 37
	ok, refused := 0, 0
	for _, size := range []string{"b", "h", "w", "dw"} {
		for _, c := range []struct {
			base string
			offs []int
		}{
			{"r1", []int{-1, 0, 1, inputLen - 9, inputLen - 8, inputLen - 7, inputLen - 4, inputLen - 3, inputLen - 2, inputLen - 1, inputLen}},
			{"r10", []int{-4097, -4096, -4095, -4089, -4088, -9, -8, -7, -4, -3, -2, -1, 0, 1}},
		} {
			for _, off := range c.offs {
				at := fmt.Sprintf("[%s%+d]", c.base, off)
				for _, src := range []string{
					"ldx" + size + " r0, " + at + "\nexit",
					"st" + size + " " + at + ", 7\nldx" + size + " r0, " + at + "\nexit",
					"call 1\nexit\nldx" + size + " r0, " + at + "\nexit",
				} {
					if c.base == "r1" && strings.HasPrefix(src, "call") {
						continue // the frame does not matter for the input
					}
					text, err := asm.Assemble(src)
					if err != nil {
						t.Fatal(err)
					}
					exe, _ := vm.FromText(text, vm.DefaultConfig(), nil)
					exe.RegisterFunction(1, 2)
					opts := func() vm.RunOptions {
						in := make([]byte, inputLen)
						for i := range in {
							in[i] = byte(i + 1)
						}
						return vm.RunOptions{Input: in, Budget: 100}
					}
					want := vm.Interpreter{}.Run(exe, opts())
					got := Engine{Strict: true}.Run(exe, opts())
					if d := progen.Differ(progen.Outcome{Result: want}, progen.Outcome{Result: got}); d != "" {
						t.Errorf("%q: %s", src, d)
					}
					if want.Err == nil {
						ok++
					} else if strings.Contains(want.Err.Error(), "ccess") {
						refused++
					}
				}
			}
		}
	}
	if ok < 50 || refused < 50 {
		t.Errorf("%d accesses allowed, %d refused: the edges are not where the test thinks", ok, refused)
	}
}
