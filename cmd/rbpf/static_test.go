package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const labelled = `entrypoint:
  mov r1, 3
  call f
  call log
  exit
f:
  mov r0, r1
  exit
`

func TestDisasm(t *testing.T) {
	src := writeTemp(t, "f.s", []byte(labelled))
	code, out, _ := cli(t, "disasm", src, "--no-bytes")
	want := []string{"entrypoint:", "call 0x2b64883b ; f", "call 0x6bf5c3fe ; log", "f:", "    4 #33     mov64 r0, r1"}
	for _, w := range want {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("disasm: exit %d, output lacks %q:\n%s", code, w, out)
		}
	}
	// rbpf's CLI knows no labels in text bytes: only the entrypoint and
	// branch destinations, and calls stay unresolved.
	code, out, _ = cli(t, "disasm", src, "--rbpf")
	wantText := "\nentrypoint:\n    mov64 r1, 0x3\n    call 2b64883b # unresolved relocation\n" +
		"    call 6bf5c3fe # unresolved relocation\n    exit\n    mov64 r0, r1\n    exit\n"
	if code != 0 || out != wantText {
		t.Errorf("disasm --rbpf: exit %d, %q", code, out)
	}
}

func TestDisasmELF(t *testing.T) {
	code, out, _ := cli(t, "disasm", "../../testdata/elfs/relative_call.so")
	if code != 0 || !strings.Contains(out, "syscall:\n    0 #29  ") || !strings.Contains(out, "entrypoint:\n    8 #37     71 16 00 00 00 00 00 00  ldxb r6, [r1+0x0]") ||
		!strings.Contains(out, "call 0xe162dcf9 ; syscall") {
		t.Errorf("disasm ELF: exit %d:\n%s", code, out)
	}
}

func TestDisasmJSON(t *testing.T) {
	code, out, _ := cli(t, "disasm", writeTemp(t, "f.s", []byte(labelled+"  ja -1\n")), "--json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 7 {
		t.Fatalf("disasm --json: exit %d:\n%s", code, out)
	}
	want := []string{
		`{"pc":0,"insn":29,"bytes":"b701000003000000","asm":"mov64 r1, 0x3","label":"entrypoint"}`,
		`{"pc":1,"insn":30,"bytes":"850000003b88642b","asm":"call 0x2b64883b","call":"f"}`,
		`{"pc":2,"insn":31,"bytes":"85000000fec3f56b","asm":"call 0x6bf5c3fe","call":"log"}`,
		`{"pc":6,"insn":35,"bytes":"0500ffff00000000","asm":"ja +0xffff","target":6}`,
	}
	for _, w := range want {
		if !strings.Contains(out, w+"\n") {
			t.Errorf("disasm --json lacks %s:\n%s", w, out)
		}
	}
}

func TestDisasmRbpfELF(t *testing.T) {
	// The fixture's .text is not at 0xe8, so rbpf's symbol index misses and
	// its CLI warns; the relative call's target gets the function_N name.
	code, out, _ := cli(t, "disasm", "--rbpf", "../../testdata/elfs/relative_call.so")
	for _, w := range []string{
		"WARNING: Invalid symbol \"syscall\", pc=483\n",
		"\nfunction_0:\n    mov64 r6, r1\n",
		"    syscall log\n",
		"    call function_0\n",
	} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("disasm --rbpf ELF lacks %q:\n%s", w, out)
		}
	}
}

func TestAsm(t *testing.T) {
	dir := t.TempDir()
	src := writeTemp(t, "ret.s", []byte("mov r0, 42\nexit\n"))
	out := filepath.Join(dir, "ret.bin")
	if code, _, stderr := cli(t, "asm", src, "-o", out); code != 0 {
		t.Fatalf("asm: exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(out)
	if want := []byte{0xb7, 0, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}; !bytes.Equal(got, want) {
		t.Errorf("asm bytes % x, want % x", got, want)
	}
	if code, hexOut, _ := cli(t, "asm", src, "--hex"); code != 0 || hexOut != "b70000002a000000\n9500000000000000\n" {
		t.Errorf("asm --hex: exit %d, %q", code, hexOut)
	}
	// An ELF built from the fixture's source is the fixture, and it runs.
	so := filepath.Join(dir, "rc.so")
	if code, _, stderr := cli(t, "asm", "../../testdata/elfs/relative_call.s", "--elf", "-o", so); code != 0 {
		t.Fatalf("asm --elf: exit %d: %s", code, stderr)
	}
	built, _ := os.ReadFile(so)
	fixture, _ := os.ReadFile("../../testdata/elfs/relative_call.so")
	if !bytes.Equal(built, fixture) {
		t.Errorf("asm --elf of relative_call.s differs from testdata/elfs/relative_call.so")
	}
	code, res, _ := cli(t, "run", so, "--input", "01", "--json")
	if code != 0 || !strings.HasPrefix(res, `{"engine":"interp","result":2,"error":null,"instruction_count":14,`) {
		t.Errorf("run built ELF: exit %d, %s", code, res)
	}
}

func TestAsmBadInput(t *testing.T) {
	src := writeTemp(t, "ret.s", []byte("mov r0, 42\nexit\n"))
	wantFail(t, "either -o OUT or --hex", "asm", src)
	wantFail(t, "expected one source FILE", "asm", "-o", "x")
	wantFail(t, "line 1, column", "asm", writeTemp(t, "bad.s", []byte("mov r0\n")), "--hex")
	wantFail(t, "no such file", "asm", filepath.Join(t.TempDir(), "none.s"), "--hex")
}

func TestCfg(t *testing.T) {
	code, out, _ := cli(t, "cfg", writeTemp(t, "f.s", []byte(labelled)))
	for _, w := range []string{`digraph "f" {`, `label="f";`, `b0 -> b1 [style=dotted, label="call"];`} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("cfg: exit %d, output lacks %q:\n%s", code, w, out)
		}
	}
	wantFail(t, "assemble", "cfg", writeTemp(t, "bad.s", []byte("bogus r0\n")))
	wantFail(t, "--engine: not a cfg flag", "cfg", writeTemp(t, "f.s", []byte(labelled)), "--engine", "jit")
}

func TestCfgProfile(t *testing.T) {
	loop := writeTemp(t, "loop.s", []byte("mov r1, 0\nmov r0, 0\nadd r0, 1\nadd r1, 1\njlt r1, 3, -3\nexit\n"))
	code, out, _ := cli(t, "cfg", loop, "--profile", "--name", "p")
	for _, w := range []string{`digraph "p" {`, `b1 [label="executed 3\l`, `b1 -> b1 [label="taken 2"];`, `b1 -> b2 [label="fallthrough 1", style=dashed];`} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("cfg --profile: exit %d, output lacks %q:\n%s", code, w, out)
		}
	}
}
