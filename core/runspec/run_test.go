package runspec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

func u64(v uint64) *uint64 { return &v }

// runJSON runs s on the interpreter and returns the result as JSON.
func runJSON(t *testing.T, s Spec) string {
	t.Helper()
	b, err := json.Marshal(s.Run(vm.Interpreter{}))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"asm", Spec{Kind: KindAsm, Source: "mov r0, 42\nexit"},
			`{"engine":"interp","result":42,"error":null,"instruction_count":2,"log":[]}`},
		{"bytes", Spec{Kind: KindBytes, Program: []byte{0xb7, 0, 0, 0, 7, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}},
			`{"engine":"interp","result":7,"error":null,"instruction_count":2,"log":[]}`},
		{"input", Spec{Kind: KindAsm, Source: "ldxb r0, [r1+1]\nexit", Input: []byte{1, 2}},
			`{"engine":"interp","result":2,"error":null,"instruction_count":2,"log":[]}`},
		{"budget", Spec{Kind: KindAsm, Source: "mov r0, 1\nmov r0, 2\nexit", Budget: u64(1)},
			`{"engine":"interp","result":null,"error":"exceeded maximum number of instructions allowed (1) at instruction #30","instruction_count":1,"log":[]}`},
		{"no meter", Spec{Kind: KindAsm, Source: "mov r0, 1\nexit", NoMeter: true, Budget: u64(0)},
			`{"engine":"interp","result":1,"error":null,"instruction_count":0,"log":[]}`},
		// The heap is mapped writable at MM_HEAP_START (0x300000000).
		{"heap", Spec{Kind: KindAsm, Source: "lddw r1, 0x300000000\nstb [r1+3], 9\nldxb r0, [r1+3]\nexit", Heap: 8},
			`{"engine":"interp","result":9,"error":null,"instruction_count":4,"log":[]}`},
		{"no heap", Spec{Kind: KindAsm, Source: "lddw r1, 0x300000000\nldxb r0, [r1+3]\nexit"},
			`{"engine":"interp","result":null,"error":"Access violation in heap section at address 0x300000003 of size 1 by instruction #31","instruction_count":2,"log":[]}`},
		{"verifier", Spec{Kind: KindAsm, Source: "mov r0, 1", Verify: true},
			`{"engine":"interp","result":null,"error":"VerifierError","instruction_count":0,"log":[]}`},
		// A verifier of the caller's own replaces rbpf's.
		{"own verifier", Spec{Kind: KindAsm, Source: "mov r0, 1", Verify: true, Verifier: func([]byte) error { return nil }},
			`{"engine":"interp","result":null,"error":"attempted to execute past the end of the text segment at instruction #30","instruction_count":1,"log":[]}`},
		{"own verifier rejects", Spec{Kind: KindAsm, Source: "mov r0, 1\nexit", Verifier: func([]byte) error { return errors.New("no") }},
			`{"engine":"interp","result":null,"error":"no","instruction_count":0,"log":[]}`},
		{"elf", Spec{Kind: KindELF, Program: []byte("not an elf")},
			`{"engine":"interp","result":null,"error":"ELF error: Failed to parse ELF file: malformed: Too small","instruction_count":0,"log":[]}`},
		{"asm error", Spec{Kind: KindAsm, Source: "mov r0"},
			`{"engine":"interp","result":null,"error":"Failed to encode mov: Unexpected operands: [Register(0)]","instruction_count":0,"log":[]}`},
	}
	for _, tt := range tests {
		if got := runJSON(t, tt.spec); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// logHello stores "hi" on the stack and logs it with the log syscall.
const logHello = `
mov r1, 0x6968
stxh [r10-8], r1
mov r1, r10
sub r1, 8
mov r2, 2
call 0x6bf5c3fe
mov r0, 0
exit`

func TestSyscalls(t *testing.T) {
	got := runJSON(t, Spec{Kind: KindAsm, Source: logHello})
	if !strings.Contains(got, `"log":["log: hi"]`) {
		t.Errorf("default log syscall: %s", got)
	}
	got = runJSON(t, Spec{Kind: KindAsm, Source: logHello, NoDefaultSyscalls: true})
	if !strings.Contains(got, `"error":"ELF error: Unresolved symbol (Unknown) at instruction #34`) {
		t.Errorf("without defaults the call must not resolve: %s", got)
	}
	// Bound by number and by name; log bound twice is allowed.
	spec := Spec{Kind: KindAsm, Source: "mov r1, 9\ncall 7\nexit", NoDefaultSyscalls: true,
		Syscalls: []Binding{{Key: "7", Name: "bpf_sqrti"}}}
	if got := runJSON(t, spec); !strings.Contains(got, `"result":3,`) {
		t.Errorf("bpf_sqrti at 7: %s", got)
	}
	spec.Syscalls = append(spec.Syscalls, Binding{Key: "7", Name: "bpf_gather_bytes"})
	if got := runJSON(t, spec); !strings.Contains(got, `"result":38654705664,`) { // 9 << 32
		t.Errorf("later binding of 7 must win: %s", got)
	}
	spec = Spec{Kind: KindAsm, Source: logHello, Syscalls: []Binding{{Key: "0x6bf5c3fe", Name: "log"}, {Key: "99", Name: "log"}}}
	if got := runJSON(t, spec); !strings.Contains(got, `"log":["log: hi"]`) {
		t.Errorf("rebinding log: %s", got)
	}
	spec.Syscalls = []Binding{{Key: "1", Name: "nope"}}
	if got := runJSON(t, spec); !strings.Contains(got, `unknown syscall \"nope\"`) {
		t.Errorf("unknown syscall: %s", got)
	}
}

func TestFunctions(t *testing.T) {
	// call 0x1234 resolves only once the function is registered.
	src := "call 0x1234\nexit\nmov r0, 5\nexit"
	got := runJSON(t, Spec{Kind: KindAsm, Source: src, Functions: []Function{{Key: "0x1234", PC: 2}}})
	if !strings.Contains(got, `"result":5,`) {
		t.Errorf("registered function: %s", got)
	}
	// A label called by name is registered automatically.
	got = runJSON(t, Spec{Kind: KindAsm, Source: "call f\nexit\nf:\nmov r0, 6\nexit"})
	if !strings.Contains(got, `"result":6,`) {
		t.Errorf("call to a label: %s", got)
	}
}

func TestTrace(t *testing.T) {
	r := (&Spec{Kind: KindAsm, Source: "mov r0, 1\nexit", Trace: true}).Run(vm.Interpreter{})
	lines := strings.Split(strings.TrimRight(r.Trace, "\n"), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "29: mov64 r0, 0x1") || !strings.HasSuffix(lines[1], "30: exit") {
		t.Errorf("trace:\n%s", r.Trace)
	}
}

func TestBuildReusable(t *testing.T) {
	// The program changes its input; each run must start from the original.
	b, err := (&Spec{Kind: KindAsm, Source: "ldxb r0, [r1]\nadd r0, 1\nstxb [r1], r0\nexit", Input: []byte{4}}).Build()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if r := b.Run(vm.Interpreter{}); r.Value == nil || *r.Value != 5 {
			t.Fatalf("run %d: %+v", i, r)
		}
	}
	if _, err := (&Spec{Kind: "wat"}).Build(); err == nil {
		t.Error("unknown kind built")
	}
}

func TestTraceBound(t *testing.T) {
	b, err := (&Spec{Kind: KindAsm, Source: "mov r0, 1\nmov r0, 2\nmov r0, 3\nexit", Trace: true}).Build()
	if err != nil {
		t.Fatal(err)
	}
	b.MaxTraceEntries = 2
	r := b.Run(vm.Interpreter{})
	if !r.TraceTruncated || strings.Count(r.Trace, "\n") != 2 || r.Value == nil || *r.Value != 3 {
		t.Errorf("bounded trace: truncated %v, %d lines, value %v", r.TraceTruncated, strings.Count(r.Trace, "\n"), r.Value)
	}
}
