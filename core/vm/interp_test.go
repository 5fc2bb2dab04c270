package vm

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func TestALUSemantics(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		want  uint64
		count uint64
	}{
		{"mov32 imm large", "mov32 r0, -1\nexit", 0xffffffff, 2},
		{"add32 sign-extends", "mov32 r0, 0x7fffffff\nadd32 r0, 1\nexit", 0xffffffff80000000, 3},
		{"sub32 sign-extends", "mov32 r0, 0\nsub32 r0, 1\nexit", 0xffffffffffffffff, 3},
		{"mul32 sign-extends", "mov32 r0, 0x40000000\nmul32 r0, 2\nexit", 0xffffffff80000000, 3},
		{"or32 zero-extends", "mov64 r0, -1\nor32 r0, 0\nexit", 0xffffffff, 3},
		{"lsh32 masks", "mov32 r0, 1\nlsh32 r0, 33\nexit", 2, 3},
		{"lsh64 masks", "mov64 r0, 1\nmov64 r1, 65\nlsh64 r0, r1\nexit", 2, 4},
		{"rsh64 masks", "mov64 r0, 4\nrsh64 r0, 65\nexit", 2, 3},
		{"neg32", "mov32 r0, 2\nneg32 r0\nexit", 0xfffffffe, 3},
		{"neg64", "mov32 r0, 2\nneg64 r0\nexit", 0xfffffffffffffffe, 3},
		{"arsh32", "mov32 r0, 0xf8\nlsh32 r0, 28\narsh32 r0, 16\nexit", 0xffff8000, 4},
		{"arsh64", "mov32 r0, 1\nlsh64 r0, 63\narsh64 r0, 55\nmov32 r1, 5\narsh64 r0, r1\nexit", 0xfffffffffffffff8, 6},
		{"div64 imm sign-extended", "mov64 r0, -1\ndiv64 r0, -1\nexit", 1, 3},
		{"mod32", "mov32 r0, 5748\nmod32 r0, 92\nmov32 r1, 13\nmod32 r0, r1\nexit", 5, 5},
		{"be16", "ldxh r0, [r1]\nbe16 r0\nexit", 0x1122, 3},
		{"le16 truncates", "lddw r0, 0x1122334455667788\nle16 r0\nexit", 0x7788, 3},
		{"be64", "ldxdw r0, [r1]\nbe64 r0\nexit", 0x1122334455667788, 3},
		{"lddw", "lddw r0, 0x1122334455667788\nexit", 0x1122334455667788, 2},
		{"jslt", "mov64 r0, 0\nmov64 r1, -2\njslt r1, -1, +1\nexit\nmov64 r0, 1\nexit", 1, 5},
		{"jset", "mov64 r0, 0\nmov64 r1, 0x7\njset r1, 0x8, +1\nmov64 r0, 1\nexit", 1, 5},
	}
	input := []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.src, append([]byte(nil), input...), c.count, nil)
			expectOK(t, r, c.want, c.count)
		})
	}
}

func TestLoadStore(t *testing.T) {
	r := run(t, "stdw [r10-8], -2\nldxw r0, [r10-4]\nstxb [r1+2], r0\nldxdw r0, [r1]\nexit",
		[]byte{1, 2, 3, 4, 5, 6, 7, 8}, 5, nil)
	expectOK(t, r, 0x08070605_04ff0201, 5)
	r = run(t, "ldabsh 2\nexit", []byte{1, 2, 3, 4}, 2, nil)
	expectOK(t, r, 0x0403, 2)
	r = run(t, "mov64 r2, 1\nldindb r2, 2\nexit", []byte{1, 2, 3, 4}, 3, nil)
	expectOK(t, r, 4, 3)
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, src string
		input     []byte
		budget    uint64
		text      string
		count     uint64
	}{
		{"div by zero reg", "mov32 r0, 1\nmov32 r1, 0\ndiv32 r0, r1\nexit", nil, 3,
			"divide by zero at instruction 31", 3},
		{"div by imm zero", "mov32 r0, 1\ndiv64 r0, 0\nexit", nil, 3,
			"divide by zero at instruction 30", 2},
		{"overrun", "mov64 r0, 0", nil, 5,
			"attempted to execute past the end of the text segment at instruction #30", 1},
		{"callx oob low", "mov64 r0, 0x3\ncallx 0x0\nexit", nil, 2,
			"callx at instruction 30 attempted to call outside of the text segment to addr 0x0", 2},
		{"callx oob high", "mov64 r0, -0x1\nlsh64 r0, 0x20\nor64 r0, 0x3\ncallx 0x0\nexit", nil, 4,
			"callx at instruction 32 attempted to call outside of the text segment to addr 0xffffffff00000000", 4},
		{"callx lddw", "mov64 r8, 0x1\nlsh64 r8, 0x20\nor64 r8, 40\ncallx 0x8\nlddw r0, 0x1122334455667788\nexit", nil, 5,
			"unsupported instruction at instruction 34", 5},
		{"reg stack depth", "mov64 r0, 0x1\nlsh64 r0, 0x20\ncallx 0x0\nexit", nil, 60,
			"exceeded max BPF to BPF call depth of 20 at instruction #31", 60},
		{"tight loop", "jsge r0, r0, -1\nexit", nil, 4,
			"exceeded maximum number of instructions allowed (4) at instruction #30", 4},
		{"unresolved", "call 0\nmov64 r0, 0x0\nexit", nil, 1,
			"ELF error: Unresolved symbol (Unknown) at instruction #29 (ELF file offset 0x0)", 1},
		{"call unresolved", "mov r1, 1\nmov r2, 2\nmov r3, 3\nmov r4, 4\nmov r5, 5\ncall 63\nexit", nil, 6,
			"ELF error: Unresolved symbol (Unknown) at instruction #34 (ELF file offset 0x28)", 6},
		{"stack violation", "ldxb r0, [r10]\nexit", nil, 2,
			"Access violation in stack frame 1 at address 0x200001000 of size 1 by instruction #29", 1},
		{"input violation", "stw [r1+2], 1\nexit", []byte{1, 2, 3, 4}, 2,
			"Access violation in input section at address 0x400000002 of size 4 by instruction #29", 1},
		{"program store", "lddw r1, 0x100000000\nstb [r1], 0\nexit", nil, 3,
			"Access violation in program section at address 0x100000000 of size 1 by instruction #31", 2},
		{"unknown section", "ldxdw r0, [r0+8]\nexit", nil, 3,
			"Access violation in unknown section at address 0x8 of size 8 by instruction #29", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectErr(t, run(t, c.src, c.input, c.budget, nil), c.text, c.count)
		})
	}
}

func TestRawCrashCases(t *testing.T) {
	cases := []struct {
		name string
		prog []ebpf.Insn
		text string
	}{
		{"bad dst", []ebpf.Insn{{Opc: ebpf.Mov64Imm, Dst: 11}, {Opc: ebpf.Exit}}, "invalid register r11 used at instruction #29"},
		{"bad src", []ebpf.Insn{{Opc: ebpf.Mov64Reg, Dst: 0, Src: 15}, {Opc: ebpf.Exit}}, "invalid register r15 used at instruction #29"},
		{"bad callx", []ebpf.Insn{{Opc: ebpf.CallReg, Imm: -1}}, "invalid register r-1 used at instruction #29"},
		{"lddw last", []ebpf.Insn{{Opc: ebpf.LdDwImm}}, "incomplete lddw at instruction #29"},
		{"jump to -1", []ebpf.Insn{{Opc: ebpf.Ja, Off: -2}}, "attempted to execute past the end of the text segment at instruction #28"},
		{"jump far back", []ebpf.Insn{{Opc: ebpf.Ja, Off: -31}}, "attempted to execute past the end of the text segment at instruction #18446744073709551615"},
		{"bad le width", []ebpf.Insn{{Opc: ebpf.Le, Dst: 12, Imm: 8}}, "invalid instruction at 29"},
		{"xadd unsupported", []ebpf.Insn{{Opc: ebpf.StWXadd}}, "unsupported instruction at instruction 29"},
		{"ja with bad dst is fine", []ebpf.Insn{{Opc: ebpf.Ja, Dst: 15}, {Opc: ebpf.Exit, Src: 15}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exe, err := FromText(ebpf.Encode(c.prog), DefaultConfig(), nil)
			if err != nil {
				t.Fatal(err)
			}
			r := Interpreter{}.Run(exe, RunOptions{Budget: 100})
			if c.text == "" {
				if r.Err != nil {
					t.Fatalf("unexpected %v", r.Err)
				}
				return
			}
			if r.Err == nil || r.Err.Error() != c.text {
				t.Fatalf("got %v, want %q", r.Err, c.text)
			}
		})
	}
}

func TestR1OnlyWithInput(t *testing.T) {
	expectOK(t, run(t, "mov64 r0, r1\nexit", nil, 2, nil), 0, 2)
	expectOK(t, run(t, "mov64 r0, r1\nexit", []byte{1}, 2, nil), ebpf.MMInputStart, 2)
	expectOK(t, run(t, "mov64 r0, r10\nexit", nil, 2, nil), ebpf.MMStackStart+4096, 2)
}

func TestMeter(t *testing.T) {
	// The exit that reaches the limit still returns normally.
	expectOK(t, run(t, "mov64 r0, 1\nexit", nil, 2, nil), 1, 2)
	// Budget 0: the first instruction runs and then fails.
	expectErr(t, run(t, "mov64 r0, 1\nexit", nil, 0, nil),
		"exceeded maximum number of instructions allowed (0) at instruction #30", 0)
	// Meter disabled: no limit and a count of 0.
	exe := mustExe(t, "mov64 r0, 7\nja +0\nexit", nil)
	exe.Config.EnableInstructionMeter = false
	r := Interpreter{}.Run(exe, RunOptions{})
	expectOK(t, r, 7, 0)
	if r.Executed != 3 {
		t.Errorf("executed %d, want 3", r.Executed)
	}
}

func TestSyscallSettlesMeter(t *testing.T) {
	src := "mov64 r2, 0x5\ncall 0\nmov64 r0, 0x0\nexit"
	hello := []byte("Hello")
	r := run(t, src, hello, 4, withSyscall(0, SyscallString))
	expectOK(t, r, 0, 4)
	if len(r.Log) != 1 || r.Log[0] != "log: Hello" {
		t.Errorf("log %q", r.Log)
	}
	expectErr(t, run(t, src, hello, 3, withSyscall(0, SyscallString)),
		"exceeded maximum number of instructions allowed (3) at instruction #32", 3)
	loop := "mov64 r6, 0x0\nmov64 r1, 0x0\nmov64 r2, 0x0\nmov64 r3, 0x0\nmov64 r4, 0x0\nmov64 r5, r6\ncall 0x0\nadd64 r6, 0x1\nja -0x8\nexit"
	expectErr(t, run(t, loop, nil, 6, withSyscall(0, TestTracePrintf)),
		"exceeded maximum number of instructions allowed (6) at instruction #35", 6)
	expectErr(t, run(t, loop, nil, 1000, withSyscall(0, TestTracePrintf)),
		"exceeded maximum number of instructions allowed (1000) at instruction #37", 1000)
	expectErr(t, run(t, "mov64 r6, 0x0\nmov64 r1, 0x0\nmov64 r2, 0x0\nmov64 r3, 0x0\nmov64 r4, 0x0\nmov64 r5, r6\ncall 0x6\nadd64 r6, 0x1\nja -0x8\nexit", nil, 7, nil),
		"ELF error: Unresolved symbol (Unknown) at instruction #35 (ELF file offset 0x30)", 7)
}

func TestSyscallMemoryErrorHasNoPC(t *testing.T) {
	r := run(t, "mov64 r1, 0\nmov64 r2, 5\ncall 0\nexit", nil, 10, withSyscall(0, SyscallString))
	expectErr(t, r, "Access violation in unknown section at address 0x0 of size 5 by instruction #0", 3)
}

func TestFunctionCalls(t *testing.T) {
	rec := "mov64 r3, 0x41414141\ncall 0\nexit"
	expectErr(t, run(t, rec, nil, 4, func(e *Executable) { e.RegisterFunction(0, 0) }),
		"exceeded maximum number of instructions allowed (4) at instruction #31", 4)
	// A function call that returns: r6 survives, r10 is restored.
	src := "mov64 r6, 1\nmov64 r0, r10\ncall 1\nadd64 r0, r6\nexit\nmov64 r6, 5\nexit"
	exe := mustExe(t, src, func(e *Executable) { e.RegisterFunction(1, 5) })
	r := Interpreter{}.Run(exe, RunOptions{Budget: 100})
	expectOK(t, r, ebpf.MMStackStart+4096+1, 7)
	// Returning past the end of the text is reported by the exit.
	expectErr(t, run(t, "ja +1\nexit\ncall 1", nil, 10, func(e *Executable) { e.RegisterFunction(1, 1) }),
		"callx at instruction 30 attempted to call outside of the text segment to addr 0x100000018", 3)
	expectErr(t, run(t, "call 1\nexit", nil, 10, func(e *Executable) { e.RegisterFunction(1, 7) }),
		"callx at instruction 29 attempted to call outside of the text segment to addr 0x100000038", 1)
}

func TestSyscallWithContext(t *testing.T) {
	exe := mustExe(t, "mov64 r1, 0xAA\nmov64 r2, 0xBB\nmov64 r3, 0xCC\nmov64 r4, 0xDD\nmov64 r5, 0xEE\ncall 0\nmov64 r0, 0x0\nexit",
		withSyscall(0, SyscallWithContextFunc))
	obj := &SyscallWithContext{Context: 42}
	vm, err := New(exe, RunOptions{Budget: 8, Bind: map[uint32]Syscall{0: obj}})
	if err != nil {
		t.Fatal(err)
	}
	expectOK(t, vm.Run(), 0, 8)
	if obj.Context != 84 {
		t.Errorf("context %d, want 84", obj.Context)
	}
	if got, _ := vm.SyscallObject(0); got != obj {
		t.Error("SyscallObject does not return the bound object")
	}
	if _, err := New(exe, RunOptions{Bind: map[uint32]Syscall{9: obj}}); err == nil ||
		err.Error() != "syscall #9 was not registered before bind" {
		t.Errorf("bind to unknown hash: %v", err)
	}
}
