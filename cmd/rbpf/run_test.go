package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	ret42 := writeTemp(t, "ret.s", []byte("mov r0, 42\nexit\n"))
	readIn := writeTemp(t, "in.s", []byte("ldxb r0, [r1+1]\nexit\n"))
	input := writeTemp(t, "input.bin", []byte{7, 8})
	logHi := writeTemp(t, "log.s", []byte("mov r1, 0x6968\nstxh [r10-8], r1\nmov r1, r10\nsub r1, 8\nmov r2, 2\ncall log\nexit\n"))
	sqrt := writeTemp(t, "sqrt.s", []byte("mov r1, 16\ncall 7\nexit\n"))
	tests := []struct {
		name       string
		args       []string
		code       int
		out, err   string
		outContain string
	}{
		{name: "text", args: []string{ret42}, out: "interp: result: 0x2a (42), 2 instructions\n"},
		{name: "json", args: []string{"--asm", ret42, "--json"},
			out: `{"engine":"interp","result":42,"error":null,"instruction_count":2,"log":[]}` + "\n"},
		{name: "input hex", args: []string{readIn, "--input", "01 02", "--json"},
			out: `{"engine":"interp","result":2,"error":null,"instruction_count":2,"log":[]}` + "\n"},
		{name: "input file", args: []string{readIn, "--input-file", input}, out: "interp: result: 0x8 (8), 2 instructions\n"},
		// r1 is the input's address only when the input is not empty.
		{name: "input size", args: []string{writeTemp(t, "r1.s", []byte("mov r0, r1\nexit\n")), "--input-size", "4"},
			out: "interp: result: 0x400000000 (17179869184), 2 instructions\n"},
		{name: "budget", args: []string{ret42, "--budget", "1", "--json"}, code: 2,
			out: `{"engine":"interp","result":null,"error":"exceeded maximum number of instructions allowed (1) at instruction #30","instruction_count":1,"log":[]}` + "\n"},
		{name: "no meter", args: []string{ret42, "--no-meter"}, out: "interp: result: 0x2a (42), 0 instructions\n"},
		{name: "log to stderr and json", args: []string{logHi, "--json"}, err: "log: hi\n",
			out: `{"engine":"interp","result":0,"error":null,"instruction_count":7,"log":["log: hi"]}` + "\n"},
		{name: "syscall by number", args: []string{sqrt, "--syscall", "7=bpf_sqrti"}, out: "interp: result: 0x4 (4), 3 instructions\n"},
		{name: "no default syscalls", args: []string{logHi, "--no-default-syscalls", "--json"}, code: 2,
			outContain: `"error":"ELF error: Unresolved symbol (Unknown) at instruction #34`},
		{name: "trace", args: []string{ret42, "--trace"},
			outContain: "Trace (interp):\n    0 [0000000000000000, "},
		{name: "verify", args: []string{writeTemp(t, "noexit.s", []byte("mov r0, 1\n")), "--verify"}, code: 2,
			out: "interp: error: VerifierError, 0 instructions\n"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(t, append([]string{"run"}, tt.args...)...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.code, errOut)
		}
		if tt.outContain != "" {
			if !strings.Contains(out, tt.outContain) {
				t.Errorf("%s: stdout %q lacks %q", tt.name, out, tt.outContain)
			}
		} else if out != tt.out {
			t.Errorf("%s: stdout %q, want %q", tt.name, out, tt.out)
		}
		if errOut != tt.err {
			t.Errorf("%s: stderr %q, want %q", tt.name, errOut, tt.err)
		}
	}
}

func TestRunProfile(t *testing.T) {
	loop := writeTemp(t, "loop.s", []byte("mov r1, 0\nmov r0, 0\nadd r0, 1\nadd r1, 1\njlt r1, 3, -3\nexit\n"))
	code, out, _ := cli(t, "run", loop, "--profile")
	want := `interp: result: 0x3 (3), 12 instructions
Profile:

entrypoint:
    # Basic block executed: 1
    mov64 r1, 0x0
    mov64 r0, 0x0
lbb_2:
    # Basic block executed: 3
    add64 r0, 0x1
    add64 r1, 0x1
    jlt r1, 0x3, lbb_2
    # Branch: 1 fall through, 2 jump
lbb_5:
    # Basic block executed: 1
    exit
`
	if code != 0 || out != want {
		t.Errorf("profile: exit %d:\n%s", code, out)
	}
	wantFail(t, "no --json form", "run", loop, "--profile", "--json")
	code, out, _ = cli(t, "run", loop, "--rbpf", "--budget", "5")
	if want := "Result: Err(ExceededMaxInstructions(34, 5))\nInstruction Count: 5\n"; code != 2 || out != want {
		t.Errorf("--rbpf: exit %d, %q, want %q", code, out, want)
	}
	code, out, _ = cli(t, "run", loop, "--rbpf")
	if want := "Result: Ok(3)\nInstruction Count: 12\n"; code != 0 || out != want {
		t.Errorf("--rbpf: exit %d, %q, want %q", code, out, want)
	}
}

func TestRunMaxTrace(t *testing.T) {
	loop := writeTemp(t, "loop.s", []byte("mov r1, 0\nmov r0, 0\nadd r0, 1\nadd r1, 1\njlt r1, 3, -3\nexit\n"))
	code, out, stderr := cli(t, "run", loop, "--trace", "--max-trace", "3")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(stderr, "trace stops after 3 instructions") {
		t.Errorf("max-trace: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestRunRbpfMocks(t *testing.T) {
	// rbpf's CLI prints each imported syscall's arguments and returns 0.
	code, out, stderr := cli(t, "run", "--rbpf", "../../testdata/elfs/unresolved_syscall.so")
	want := "Syscall log: 0x100000228, 0xb, 0x0, 0x0, 0x0\n" +
		"Syscall log_64: 0x1, 0x2, 0x3, 0x4, 0x5\n" +
		"Result: Ok(0)\nInstruction Count: 11\n"
	if code != 0 || out != want || stderr != "" {
		t.Errorf("--rbpf mocks: exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
	}
}

func TestRunELFLoadError(t *testing.T) {
	bad := writeTemp(t, "bad.so", []byte("\x7fELF not really"))
	code, out, _ := cli(t, "run", bad, "--json")
	if code != 2 || !strings.HasPrefix(out, `{"engine":"interp","result":null,"error":"ELF error: `) {
		t.Errorf("exit %d, %q", code, out)
	}
}

func TestRunBadInput(t *testing.T) {
	ret := writeTemp(t, "ret.s", []byte("mov r0, 1\nexit\n"))
	wantFail(t, "not hex bytes", "run", ret, "--input", "zz")
	wantFail(t, "only one of --input", "run", ret, "--input", "00", "--input-file", ret)
	wantFail(t, "only one of --input", "run", ret, "--input", "00", "--input-size", "4")
	wantFail(t, "--input-size", "run", ret, "--input-size", "x")
	wantFail(t, "--heap", "run", ret, "--heap", "-1")
	wantFail(t, "more than the 1073741824", "run", ret, "--heap", "2000000000")
	wantFail(t, "--budget", "run", ret, "--budget", "lots")
	wantFail(t, "unknown engine", "run", ret, "--engine", "gpu")
	wantFail(t, "not KEY=NAME", "run", ret, "--syscall", "7")
	wantFail(t, `unknown syscall "nope"`, "run", ret, "--syscall", "7=nope")
	wantFail(t, "not KEY=PC", "run", ret, "--function", "f")
	wantFail(t, "--max-call-depth", "run", ret, "--max-call-depth", "0")
	wantFail(t, "no program given", "run")
}

func TestStdin(t *testing.T) {
	defer func(r io.Reader) { stdin = r }(stdin)
	stdin = strings.NewReader("mov r0, 5\nexit\n")
	code, out, _ := cli(t, "run", "--asm", "-")
	if code != 0 || out != "interp: result: 0x5 (5), 2 instructions\n" {
		t.Errorf("program from stdin: exit %d, %q", code, out)
	}
	stdin = bytes.NewReader([]byte{9})
	code, out, _ = cli(t, "run", writeTemp(t, "in.s", []byte("ldxb r0, [r1]\nexit\n")), "--input-file", "-")
	if code != 0 || out != "interp: result: 0x9 (9), 2 instructions\n" {
		t.Errorf("input from stdin: exit %d, %q", code, out)
	}
}
