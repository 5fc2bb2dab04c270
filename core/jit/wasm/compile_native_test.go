//go:build !(js && wasm)

package wasmjit

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// These tests check modules by structure (checkModule); under js/wasm,
// where WebAssembly validates them for real, TestModulesValidate and the
// suites that run them take their place.

// TestConformanceModulesValid compiles the executable of every case of
// the conformance suite (traced and not) and checks each module's
// structure.
func TestConformanceModulesValid(t *testing.T) {
	cases, err := conformance.Load("../../../testdata/conformance")
	if err != nil {
		t.Fatal(err)
	}
	e := &checkingEngine{t: t}
	for i := range cases {
		if cases[i].Stage != conformance.StageRun {
			continue
		}
		_, _ = conformance.Execute(e, &cases[i])
	}
	if e.compiled < 200 {
		t.Errorf("only %d modules compiled", e.compiled)
	}
}

// checkingEngine compiles every executable it is given and checks the
// module; it runs the program on the interpreter.
type checkingEngine struct {
	t        *testing.T
	compiled int
}

func (e *checkingEngine) Name() string { return "check" }

func (e *checkingEngine) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	m, err := Compile(exe)
	switch {
	case errors.Is(err, ErrTooLarge):
	case err != nil:
		e.t.Error(err)
	default:
		e.compiled++
		if err := checkModule(m.Bytes()); err != nil {
			e.t.Errorf("invalid module: %v", err)
		}
	}
	return vm.Result{}
}

// TestHostilePrograms compiles random programs (invalid opcodes,
// registers above r10, lddw in the last slot, calls outside the text,
// jumps anywhere) without a panic, each to a well-formed module.
func TestHostilePrograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		exe := randomExe(rng, 1+rng.IntN(64))
		m := mustCompile(t, exe)
		for pc := -1; pc <= m.Slots(); pc++ {
			_ = m.InstructionText(pc)
		}
	}
	for _, text := range [][]byte{nil, {0x95}, make([]byte, 7), make([]byte, 9)} {
		exe, _ := vm.FromText(text, vm.DefaultConfig(), nil)
		mustCompile(t, exe)
	}
	if _, err := Compile(nil); err == nil {
		t.Error("nil executable compiled")
	}
}

// TestSlotCodeBound checks that the code of every slot stays within the
// bound Compile sizes chunks with (slotBound): every opcode
// with registers, offsets and immediates of several sizes, traced and
// not, each slot its own segment and block (the worst case), and across
// two chunks.
func TestSlotCodeBound(t *testing.T) {
	var insns []ebpf.Insn
	for op := 0; op < 256; op++ {
		for _, in := range []ebpf.Insn{
			{Dst: 10, Src: 10, Off: -30000, Imm: -0x7fffffff},
			{Dst: 1, Src: 2, Off: 3000, Imm: 64},
			{Dst: 9, Src: 10, Off: -300, Imm: 16},
			{Dst: 1, Src: 2, Off: 3000, Imm: 10},
		} {
			in.Opc = ebpf.OpCode(op)
			insns = append(insns, in)
		}
	}
	insns = append(insns, ebpf.Insn{Opc: ebpf.Ja, Off: 32767}, ebpf.Insn{Opc: ebpf.CallImm, Imm: 7})
	for _, tracing := range []bool{false, true} {
		cfg := vm.DefaultConfig()
		cfg.EnableInstructionTracing = tracing
		exe, _ := vm.FromText(ebpf.Encode(insns), cfg, nil)
		exe.RegisterFunction(0x80000001, 0)
		exe.RegisterFunction(7, 3)
		c := &compiler{exe: exe, n: len(insns), tracing: tracing, insns: insns}
		c.analyse()
		m := mustCompile(t, exe)
		for pc, r := range m.slotCode {
			// Branch depths take at most 2 bytes (a chunk has at most
			// 1024 blocks); one more per branch is allowed as a margin.
			size := r[1] - r[0] + strings.Count(m.InstructionText(pc), "br")
			if b := c.slotBound(pc) - boundBlock; size > b {
				t.Errorf("slot %d (%v, tracing %v): %d bytes, bound %d", pc, insns[pc], tracing, size, b)
			}
		}
	}
}

// TestChunks compiles programs too large for one function (the densest
// code: traced callx slots; and a long run of pure instructions, which
// the forced segment starts cut) and checks that they are split into
// chunks within V8's limits.
func TestChunks(t *testing.T) {
	for _, c := range []struct {
		in      ebpf.Insn
		n       int
		tracing bool
	}{
		{ebpf.Insn{Opc: ebpf.CallReg, Imm: 1}, 60000, true},
		{ebpf.Insn{Opc: ebpf.Add64Imm, Dst: 1, Imm: 1}, 200000, false},
	} {
		insns := make([]ebpf.Insn, c.n)
		for i := range insns {
			insns[i] = c.in
		}
		cfg := vm.DefaultConfig()
		cfg.EnableInstructionTracing = c.tracing
		exe, _ := vm.FromText(ebpf.Encode(insns), cfg, nil)
		m := mustCompile(t, exe)
		if len(m.bodies) < 2 {
			t.Errorf("%v: %d chunks", c.in, len(m.bodies))
		}
		for i, b := range m.bodies {
			if len(b) > maxBodyBytes {
				t.Errorf("%v: chunk %d has %d bytes", c.in, i, len(b))
			}
		}
		prev := int32(0)
		for pc, ck := range m.chunkOf {
			if ck < prev || ck > prev+1 {
				t.Fatalf("slot %d in chunk %d after %d", pc, ck, prev)
			}
			prev = ck
		}
	}
}

// FuzzCompile compiles arbitrary texts (the first byte picks tracing, a
// registered function and a syscall) and requires a well-formed module,
// without a panic.
func FuzzCompile(f *testing.F) {
	f.Add([]byte{0, 0x95, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 0x85, 0, 0, 0, 7, 0, 0, 0, 0x8d, 0, 0, 0, 1, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0})
	rng := rand.New(rand.NewPCG(9, 10))
	for range 8 {
		b := make([]byte, 1+8*rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		cfg := vm.DefaultConfig()
		cfg.EnableInstructionTracing = data[0]&1 != 0
		exe, err := vm.FromText(data[1:], cfg, nil)
		if err != nil {
			return
		}
		exe.RegisterFunction(7<<24, int(data[0]>>1)%8)
		_ = exe.Syscalls.RegisterByHash(1<<24, vm.BpfGatherBytes)
		m, err := Compile(exe)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkModule(m.Bytes()); err != nil {
			t.Fatalf("invalid module: %v", err)
		}
	})
}
