package wasmjit

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func mustExe(t testing.TB, src string) *vm.Executable {
	t.Helper()
	text, err := asm.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func mustCompile(t testing.TB, exe *vm.Executable) *Module {
	t.Helper()
	m, err := Compile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkModule(m.Bytes()); err != nil {
		t.Fatalf("invalid module: %v", err)
	}
	return m
}

// TestCheckModuleFindsDefects makes sure the structure check can fail:
// it must reject a truncated module, a module with an unbalanced body and
// one whose branch leaves the function.
func TestCheckModuleFindsDefects(t *testing.T) {
	m := mustCompile(t, mustExe(t, "mov64 r0, 1\njeq r0, 1, +1\nadd64 r0, 2\nexit"))
	good := m.Bytes()
	if err := checkModule(good[:len(good)-3]); err == nil {
		t.Error("truncated module accepted")
	}
	// The chunk's final end (the last byte of its body) made an
	// unreachable: the body is then unbalanced.
	end := -1
	for i := range good {
		if &good[i] == &m.bodies[0][len(m.bodies[0])-1] {
			end = i
		}
	}
	bad := append([]byte(nil), good...)
	bad[end] = opUnreachable
	if err := checkModule(bad); err == nil {
		t.Error("unbalanced body accepted")
	}
	if err := checkBody([]byte{0, opBr, 5, opEnd}, 0, 5); err == nil {
		t.Error("branch out of the function accepted")
	}
	if err := checkBody([]byte{0, opLocalGet, 3, opEnd}, 1, 5); err == nil {
		t.Error("local out of range accepted")
	}
}

// randomExe makes an executable of n random instruction slots, with some
// of its call immediates registered as functions (some outside the text)
// and others as syscalls, and tracing on or off.
func randomExe(rng *rand.Rand, n int) *vm.Executable {
	text := make([]byte, n*ebpf.InsnSize)
	for i := range text {
		text[i] = byte(rng.Uint32())
	}
	// Bias toward real opcodes and small registers.
	for i := 0; i < n; i++ {
		if rng.IntN(2) == 0 {
			ops := []ebpf.OpCode{ebpf.CallImm, ebpf.CallReg, ebpf.Exit, ebpf.Ja, ebpf.LdDwImm, ebpf.LdDWReg, ebpf.StBImm, 0x07, 0x1f, 0x3f, 0xd4, 0xdc, 0x15, 0x2d}
			text[i*8] = byte(ops[rng.IntN(len(ops))])
			text[i*8+1] &= 0x7b
		}
	}
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionTracing = rng.IntN(2) == 0
	exe, _ := vm.FromText(text, cfg, nil)
	for i := 0; i < n; i++ {
		in := ebpf.DecodeSlot(text[i*8:])
		if in.Opc == ebpf.CallImm {
			if rng.IntN(2) == 0 {
				exe.RegisterFunction(uint32(in.Imm), rng.IntN(n+4)-2)
			} else {
				_ = exe.Syscalls.RegisterByHash(uint32(in.Imm), vm.BpfGatherBytes)
			}
		}
	}
	return exe
}

// TestTooLarge requires programs above the limit to be refused with
// ErrTooLarge, quickly (before any work), and programs at the limit to
// compile.
func TestTooLarge(t *testing.T) {
	text := make([]byte, 2_000_000*ebpf.InsnSize)
	exe, _ := vm.FromText(text, vm.DefaultConfig(), nil)
	start := time.Now()
	_, err := Compile(exe)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "2000000 instruction slots") {
		t.Errorf("got %v, want ErrTooLarge naming the size", err)
	}
	if el := time.Since(start); el > 50*time.Millisecond {
		t.Errorf("refusing took %v", el)
	}
	small := mustExe(t, "mov64 r0, 1\nmov64 r0, 2\nexit")
	if _, err := Compile(small, Options{MaxSlots: 2}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxSlots 2: got %v", err)
	}
	mustCompile(t, small)
}

// TestInstructionText checks the listing of a few lowerings.
func TestInstructionText(t *testing.T) {
	m := mustCompile(t, mustExe(t, "add64 r1, 5\nldxb r0, [r1+2]\nstxdw [r10-8], r0\nexit"))
	for pc, want := range map[int][]string{
		0: {"i64.sub", "local.tee $budget", "local.get $r1", "i64.const 5", "i64.add", "local.set $r1"},
		1: {"local.get $in_start", "if (result i32)", "call $translate", "i64.load8_u", "local.set $r0"},
		2: {"local.get $frame_start", "local.get $frame_limit8", "i64.store"},
		3: {"local.get $frame", "i32.load offset=256", "i32.const 1"},
	} {
		text := m.InstructionText(pc)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("slot %d: %q missing from\n%s", pc, w, text)
			}
		}
	}
	if m.InstructionText(4) != "" || m.InstructionText(-1) != "" {
		t.Error("text for a slot outside the program")
	}
}
