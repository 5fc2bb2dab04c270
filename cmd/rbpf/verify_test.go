package main

import (
	"os"
	"path/filepath"
	"testing"
)

// writeTemp writes data to a file named name in a fresh directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var (
	exitBytes = []byte{0x95, 0, 0, 0, 0, 0, 0, 0}
	// div r1, 0 ; exit
	div0Bytes = []byte{0x37, 1, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}
)

func TestVerify(t *testing.T) {
	ok := writeTemp(t, "ok.bin", exitBytes)
	bad := writeTemp(t, "bad.bin", div0Bytes)

	code, out, _ := cli(t, "verify", ok)
	if code != 0 || out != "ok: 1 instruction slots pass the verifier\n" {
		t.Errorf("verify ok: exit %d, %q", code, out)
	}
	code, out, _ = cli(t, "verify", "--bytes", bad)
	if code != 2 || out != "rejected: division by 0 (insn #0) [VerifierError(DivisionByZero(0))]\n" {
		t.Errorf("verify rejected: exit %d, %q", code, out)
	}

	code, out, _ = cli(t, "verify", "--bytes", bad, "--json")
	want := `{"ok":false,"slots":2,"error":"division by 0 (insn #0)","debug":"VerifierError(DivisionByZero(0))","pc":0}` + "\n"
	if code != 2 || out != want {
		t.Errorf("verify --json: exit %d, %q; want %q", code, out, want)
	}
}

func TestVerifyBadInput(t *testing.T) {
	ok := writeTemp(t, "ok.bin", exitBytes)
	wantFail(t, "no program given", "verify")
	wantFail(t, "no such file", "verify", filepath.Join(t.TempDir(), "missing"))
	wantFail(t, "only one of", "verify", "--bytes", ok, "--elf", ok)
	wantFail(t, "unexpected argument", "verify", ok, "extra")
}

func TestGuessKind(t *testing.T) {
	tests := []struct {
		path string
		data string
		want string
	}{
		{"a.so", "\x7fELF\x02", "elf"},
		{"a.txt", "\x7fELF", "elf"},
		{"a.s", "exit", "asm"},
		{"prog", "mov r0, 1\nexit\n", "asm"},
		{"prog", "\x95\x00\x00\x00\x00\x00\x00\x00", "bytes"},
		{"a.bin", "x", "bytes"},
	}
	for _, tt := range tests {
		if got := guessKind(tt.path, []byte(tt.data)); string(got) != tt.want {
			t.Errorf("guessKind(%q, %q) = %s, want %s", tt.path, tt.data, got, tt.want)
		}
	}
}

func TestVerifyAsm(t *testing.T) {
	ok := writeTemp(t, "ok.s", []byte("mov r0, 1\nexit\n"))
	if code, out, _ := cli(t, "verify", ok); code != 0 || out != "ok: 2 instruction slots pass the verifier\n" {
		t.Errorf("verify asm: exit %d, %q", code, out)
	}
	code, out, _ := cli(t, "verify", writeTemp(t, "bad.s", []byte("mov r0, 1\n")))
	if code != 2 || out != "rejected: program does not end with \u201cEXIT\u201d instruction [VerifierError(InvalidLastInstruction)]\n" {
		t.Errorf("verify asm rejected: exit %d, %q", code, out)
	}
	wantFail(t, "assemble", "verify", "--asm", writeTemp(t, "syntax.s", []byte("mov r0\n")))
	wantFail(t, "ELF error: ", "verify", "--elf", writeTemp(t, "bad.so", []byte("\x7fELF")))
}
