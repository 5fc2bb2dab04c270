package conformance

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

const dataDir = "../../testdata/conformance"

// interpreter is the engine every test here runs on.
var interpreter vm.Engine = vm.Interpreter{}

func TestLoadAllCases(t *testing.T) {
	cases, err := Load(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	byName := map[string]Case{}
	for _, c := range cases {
		per[filepath.Base(filepath.Dir(c.File))]++
		byName[c.Name] = c
	}
	// 157 upstream tests in ubpf_execution.rs: 154 one-to-one, the depth
	// loop unrolled to 20, test_large_program split in two, test_total_chaos
	// kept as Go code.
	if per["execution"] != 154+20+2 || per["verifier"] != 14 || per["misc"] != 1 {
		t.Errorf("cases per folder = %v", per)
	}
	c := byName["test_stack2"]
	if s := c.Spec; s.Kind != runspec.KindAsm || !strings.HasPrefix(s.Source, "stb [r10-4], 0x01\n") ||
		s.Budget == nil || *s.Budget != 16 || !s.Trace || s.NoMeter || !s.NoDefaultSyscalls ||
		len(s.Syscalls) != 2 || s.Syscalls[1] != (runspec.Binding{Key: "1", Name: "bpf_mem_frob"}) ||
		!c.Expect.HasValue || c.Expect.Value != 0x01020304 || !c.Expect.HasCount || c.Expect.Count != 16 {
		t.Errorf("test_stack2 = %+v", c)
	}
	big := byName["test_large_program"]
	if len(big.Spec.Program) != (ebpf.ProgMaxInsns*2-1)*ebpf.InsnSize {
		t.Errorf("test_large_program has %d bytes", len(big.Spec.Program))
	}
	if insn, _ := ebpf.GetInsn(big.Spec.Program, ebpf.ProgMaxInsns-4); insn.Opc != ebpf.Ja || insn.Off != 9 {
		t.Errorf("slot PROG_MAX_INSNS-4 = %v", insn)
	}
	if insn, _ := ebpf.GetInsn(big.Spec.Program, ebpf.ProgMaxInsns*2-2); insn.Opc != ebpf.Exit {
		t.Errorf("last slot = %v", insn)
	}
	e := byName["test_custom_entrypoint"]
	if e.Spec.Kind != runspec.KindELF || e.Spec.Trace || len(e.Patches) != 1 || e.Patches[0] != (Patch{24, 80}) ||
		!strings.HasSuffix(filepath.ToSlash(e.ELFFile), "testdata/elfs/unresolved_syscall.so") {
		t.Errorf("test_custom_entrypoint = %+v", e)
	}
	if k := e.Spec.Syscalls[0].Key; k != "log" {
		t.Errorf("key %q", k)
	}
	v := byName["test_verifier_err_too_many_instructions"]
	if v.Stage != StageLoad || !v.Spec.Verify || v.Spec.Verifier != nil || len(v.Spec.Program) != 65537*8 ||
		v.Expect.VerifierDebug != "ProgramTooLarge(65537)" || v.Expect.Error != "VerifierError" {
		t.Errorf("too many = %+v", v)
	}
	if f := byName["test_verifier_fail"].Spec.Verifier; f == nil || f(nil) == nil || f(nil).Error() != "Gaggablaghblagh!" {
		t.Errorf("verifier_fail's verifier does not reject with its text")
	}
	if a := byName["test_verifier_success"].Spec.Verifier; a == nil || a(nil) != nil {
		t.Errorf("verifier_success's verifier does not accept")
	}
	if l := byName["test_symbol_relocation"].Expect; !l.HasLog || len(l.Log) != 1 || l.Log[0] != "log: \x00" {
		t.Errorf("log = %q", l.Log)
	}
	if l := byName["test_err_syscall_string"].Expect; !l.HasLog || len(l.Log) != 0 {
		t.Errorf("empty log = %q", l.Log)
	}
	if d := byName["test_bpf_to_bpf_depth_7"].Spec; !bytes.Equal(d.Input, []byte{7}) || *d.Budget != 73 {
		t.Errorf("depth 7 = %+v", d)
	}
}

func TestParseHex(t *testing.T) {
	got, err := ParseHex("# c\n01 02 # tail\n\nff * 3\n0a0b")
	if err == nil {
		t.Fatalf("0a0b accepted: %x", got)
	}
	got, err = ParseHex("# c\n01 02 # tail\n\nff * 3\n")
	if err != nil || !bytes.Equal(got, []byte{1, 2, 0xff, 0xff, 0xff}) {
		t.Fatalf("%x %v", got, err)
	}
	if _, err := ParseHex("01 * x"); err == nil {
		t.Error("bad repeat accepted")
	}
}

func TestParseErrors(t *testing.T) {
	ok := "name: a\nexpect.value: 1\n-- asm --\nexit\n"
	if _, err := Parse("ok", []byte(ok)); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"unknown key":     "name: a\nexpect.vlaue: 1\n-- asm --\nexit\n",
		"no name":         "expect.value: 1\n-- asm --\nexit\n",
		"no program":      "name: a\nexpect.value: 1\n",
		"two programs":    "name: a\nexpect.value: 1\n-- asm --\nexit\n-- bytes --\n95 00 00 00 00 00 00 00\n",
		"no expectation":  "name: a\n-- asm --\nexit\n",
		"value and error": "name: a\nexpect.value: 1\nexpect.error: x\n-- asm --\nexit\n",
		"bad budget":      "name: a\nbudget: lots\nexpect.value: 1\n-- asm --\nexit\n",
		"bad key":         "name: a\nsyscall: log log\nexpect.value: 1\n-- asm --\nexit\n",
		"unknown section": "name: a\nexpect.value: 1\n-- asm --\nexit\n-- inptu --\n",
		"bad log":         "name: a\nexpect.value: 1\n-- asm --\nexit\n-- log --\nlog: x\n",
		"patch on asm":    "name: a\npatch: 1 2\nexpect.value: 1\n-- asm --\nexit\n",
		"bad on/off":      "name: a\ntracing: yes\nexpect.value: 1\n-- asm --\nexit\n",
		"bad verifier":    "name: a\nverifier: maybe\nexpect.value: 1\n-- asm --\nexit\n",
		"same key twice":  "name: a\nsyscall: 1 log\nsyscall: 0x1 log_64\nexpect.value: 1\n-- asm --\nexit\n",
		"same impl twice": "name: a\nsyscall: sym:log log\nsyscall: 2 log\nexpect.value: 1\n-- asm --\nexit\n",
		"unknown impl":    "name: a\nsyscall: 1 nope\nexpect.value: 1\n-- asm --\nexit\n",
		"numeric symbol":  "name: a\nsyscall: sym:1x log\nexpect.value: 1\n-- asm --\nexit\n",
		"verifier detail": "name: a\nverifier: accept\nexpect.verifier_debug: NoProgram\nexpect.value: 1\n-- asm --\nexit\n",
	}
	for name, text := range bad {
		if _, err := Parse(name, []byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("name: a\nsyscall: sym:log log\nexpect.value: 1\n-- bytes --\n95 00 * 2\n-- log --\n\"x\"\n"))
	f.Add([]byte("-- elf --\n-- input --\nzz\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz", data)
		if err == nil && (c.Name == "" || c.Spec.Kind == "") {
			t.Fatalf("accepted an incomplete case: %+v", c)
		}
	})
}
