package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// cli runs the command in-process and returns its exit status and output.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// wantFail checks that a command failed with exactly one line on stderr
// containing want.
func wantFail(t *testing.T, want string, args ...string) {
	t.Helper()
	code, _, stderr := cli(t, args...)
	if code != 1 {
		t.Errorf("%q: exit %d, want 1", args, code)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("%q: stderr is not one line: %q", args, stderr)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("%q: stderr %q does not mention %q", args, stderr, want)
	}
}

func TestDispatch(t *testing.T) {
	wantFail(t, "no command", []string{}...)
	wantFail(t, `unknown command "frobnicate"`, "frobnicate")
	code, out, _ := cli(t, "--help")
	if code != 0 || !strings.Contains(out, "hash") {
		t.Errorf("--help: exit %d, output %q", code, out)
	}
}

func TestPanicIsOneLine(t *testing.T) {
	commands["boom"] = command{"test only", func([]string, io.Writer, io.Writer) error { panic("kaboom\nsecond line") }}
	defer delete(commands, "boom")
	code, _, stderr := cli(t, "boom")
	if code != 1 || !strings.HasPrefix(stderr, "rbpf: internal error: kaboom") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("panic: exit %d, stderr %q", code, stderr)
	}
}

func TestHash(t *testing.T) {
	// Values checked against rbpf's hash_symbol_name (murmur3_32, seed 0).
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"log"}, `"log": 0x6bf5c3fe (call imm 1811268606)` + "\n"},
		{[]string{"--pc", "3"}, "pc 3 (bytes 03 00 00 00 00 00 00 00): 0xa33b57b3 (call imm -1556392013)\n"},
		{[]string{"entrypoint", "--json"}, `{"name":"entrypoint","hash":"0x71e3cf81","imm":1910755201}` + "\n"},
		{[]string{"log", "entrypoint"}, `"log": 0x6bf5c3fe (call imm 1811268606)` + "\n" +
			`"entrypoint": 0x71e3cf81 (call imm 1910755201)` + "\n"},
	}
	for _, tt := range tests {
		code, out, stderr := cli(t, append([]string{"hash"}, tt.args...)...)
		if code != 0 || out != tt.want {
			t.Errorf("hash %q: exit %d, stdout %q, stderr %q; want %q", tt.args, code, out, stderr, tt.want)
		}
	}
}

func TestHashSteps(t *testing.T) {
	code, out, _ := cli(t, "hash", "abcde", "--steps", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Hash  string
		Steps struct {
			Blocks []struct{ K uint32 }
			Tail   *struct{ Bytes []byte }
			Hash   uint32
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Steps.Blocks) != 1 || doc.Steps.Blocks[0].K != 0x64636261 {
		t.Errorf("blocks %+v, want one block k=0x64636261", doc.Steps.Blocks)
	}
	if doc.Steps.Tail == nil || string(doc.Steps.Tail.Bytes) != "e" {
		t.Errorf("tail %+v, want the byte 'e'", doc.Steps.Tail)
	}
	code, text, _ := cli(t, "hash", "abcde", "--steps")
	if code != 0 || !strings.Contains(text, "block @0 [61 62 63 64]: k = 0x64636261") ||
		!strings.HasSuffix(text, "  h ^= h >> 16       -> "+doc.Hash+"\n") {
		t.Errorf("text steps do not end in the hash %s:\n%s", doc.Hash, text)
	}
}

func TestHashBadInput(t *testing.T) {
	wantFail(t, "expected NAME ... or --pc N", "hash")
	wantFail(t, "expected NAME ... or --pc N", "hash", "a", "--pc", "1")
	wantFail(t, "not a number", "hash", "--pc", "x")
	wantFail(t, "flag provided but not defined", "hash", "--bogus", "a")
}

// TestBadInputEverywhere: every subcommand turns bad flags, missing files
// and surplus arguments into exit 1 and one line on stderr.
func TestBadInputEverywhere(t *testing.T) {
	missing := "/nonexistent/prog.s"
	for name := range commands {
		if name == "boom" {
			continue
		}
		wantFail(t, "flag provided but not defined", name, "--no-such-flag")
		if name == "hash" || name == "version" {
			continue
		}
		args := []string{name, missing}
		if name == "asm" {
			args = append(args, "--hex")
		}
		wantFail(t, "no such file", args...)
	}
	ok := writeTemp(t, "ok.s", []byte("exit\n"))
	for _, name := range []string{"run", "disasm", "verify", "cfg", "jit"} {
		wantFail(t, "unexpected argument", name, ok, "surplus")
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := cli(t, "version")
	if code != 0 || !strings.HasPrefix(out, "rbpfgo behaving as rbpf v0.2.8\nbuild ") || !strings.Contains(out, "JIT executor") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
