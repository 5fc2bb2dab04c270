package vm

import (
	"io"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func fuzzSeeds() [][]byte {
	return [][]byte{
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Mov64Imm, Imm: 1}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.LdDWReg, Dst: 0, Src: 1, Off: 0}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Ja, Off: -1}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.CallImm, Imm: 6}, {Opc: ebpf.CallReg, Imm: 1}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.CallImm, Imm: int32(ebpf.HashSymbolName([]byte("log")))}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.LdDwImm, Dst: 3, Imm: 1}, {Imm: 2}, {Opc: ebpf.StDWReg, Dst: 10, Src: 3, Off: -8}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Div32Imm}, {Opc: ebpf.LdDwImm}}),
		{0x95, 0, 0, 0, 0, 0, 0, 0, 0x07},
	}
}

// FuzzInterpreter runs arbitrary bytes as a program with a budget: the run
// must end with a value or an error, never a panic, and running it in
// pieces must give the same outcome as running it at once.
func FuzzInterpreter(f *testing.F) {
	for i, s := range fuzzSeeds() {
		f.Add(s, []byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(i))
	}
	f.Fuzz(func(t *testing.T, prog, input []byte, shape uint8) {
		if len(prog) > 1024 || len(input) > 256 {
			return
		}
		// shape picks the call depth (1-4 or 20), the frame size (a power
		// of two or not) and whether the meter is on.
		cfg := DefaultConfig()
		cfg.EnableInstructionTracing = true
		if shape&0x80 != 0 {
			cfg.MaxCallDepth = 1 + int(shape&3)
			cfg.StackFrameSize = []int{8, 24, 64, 4096}[shape>>2&3]
		}
		meterOff := shape&0x40 != 0
		exe, err := FromText(prog, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		exe.Syscalls = testSyscalls()
		_ = exe.Syscalls.RegisterByHash(1, BpfMemFrob)
		_ = exe.Syscalls.RegisterByHash(2, BpfStrCmp)
		exe.RegisterFunction(0, 0)
		opts := RunOptions{Input: append([]byte(nil), input...), Budget: 300}
		if meterOff {
			// Without a meter nothing stops a loop: bound the run by
			// stepping instead.
			exe.Config.EnableInstructionMeter = false
			vm, err := New(exe, opts)
			if err != nil {
				t.Fatal(err)
			}
			vm.Step(300)
			if vm.Executed() > 300 || vm.Done() && vm.Result().InstructionCount != 0 {
				t.Fatalf("meter off: executed %d, count %d", vm.Executed(), vm.Result().InstructionCount)
			}
			return
		}
		full := Interpreter{}.Run(exe, opts)
		if full.Err == nil && full.InstructionCount > 300 || full.Executed > 301 {
			t.Fatalf("ran %d instructions on a budget of 300", full.Executed)
		}
		if full.Trace == nil || uint64(len(full.Trace.Log)) != full.Executed {
			t.Fatalf("trace has %d entries for %d instructions", len(full.Trace.Log), full.Executed)
		}
		if err := full.Trace.Write(io.Discard, prog); err != nil {
			t.Fatal(err)
		}
		opts.Input = append([]byte(nil), input...)
		vm, err := New(exe, opts)
		if err != nil {
			t.Fatal(err)
		}
		for !vm.Done() {
			vm.Step(3)
		}
		if err := sameResult(full, vm.Result()); err != nil && !timeDependent(prog) {
			t.Fatalf("stepped run differs: %v", err)
		}
	})
}

// timeDependent reports programs whose outcome may legitimately differ
// between two runs: those that can reach bpf_time_getns (call 5).
func timeDependent(prog []byte) bool {
	for _, in := range ebpf.Decode(prog) {
		if in.Opc == ebpf.CallImm && in.Imm == 5 {
			return true
		}
	}
	return false
}
