package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/jit"
)

func TestJITListing(t *testing.T) {
	// Compiling is pure Go: this works on every platform.
	src := writeTemp(t, "ret.s", []byte("mov r0, 42\nexit\n"))
	code, out, _ := cli(t, "jit", src)
	if code != 0 || !strings.HasPrefix(out, "compiled 2 instructions to ") ||
		!strings.Contains(out, "\n    0 #29     mov64 r0, 0x2a  (") || !strings.Contains(out, "mov ebx, 0x2a\n") {
		t.Errorf("jit: exit %d:\n%s", code, out)
	}
	code, out, _ = cli(t, "jit", src, "--json", "--routines")
	var doc jit.Listing
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("jit --json: exit %d, %v", code, err)
	}
	if len(doc.Insns) != 2 || doc.Insns[1].Asm != "exit" || len(doc.Insns[0].X86) == 0 || len(doc.Routines) == 0 ||
		doc.CodeBytes < doc.Insns[0].Bytes+doc.Insns[1].Bytes {
		t.Errorf("jit --json: %+v", doc)
	}
	wantFail(t, `bad.s: Invalid instruction "nope"`, "jit", writeTemp(t, "bad.s", []byte("nope\n")))
}

func TestRunBothEngines(t *testing.T) {
	src := writeTemp(t, "ret.s", []byte("mov r0, 42\nexit\n"))
	if !jit.Supported() {
		wantFail(t, "the JIT cannot run on", "run", src, "--engine", "jit")
		return
	}
	code, out, _ := cli(t, "run", src, "--engine", "both", "--json")
	want := `{"engine":"interp","result":42,"error":null,"instruction_count":2,"log":[]}
{"engine":"jit","result":42,"error":null,"instruction_count":2,"log":[]}
{"agree":true}
`
	if code != 0 || out != want {
		t.Errorf("both: exit %d:\n%s", code, out)
	}
	code, out, _ = cli(t, "run", "../../testdata/elfs/relative_call.so", "--input", "01", "--engine", "jit")
	if code != 0 || out != "jit: result: 0x2 (2), 14 instructions\n" {
		t.Errorf("jit ELF: exit %d, %q", code, out)
	}
}

func TestRunBothTraces(t *testing.T) {
	if !jit.Supported() {
		t.Skip("the JIT executor runs only on linux/amd64")
	}
	loop := writeTemp(t, "loop.s", []byte("mov r1, 0\nmov r0, 0\nadd r0, 1\nadd r1, 1\njlt r1, 3, -3\nexit\n"))
	code, out, _ := cli(t, "run", loop, "--engine", "both", "--trace")
	if code != 0 || !strings.Contains(out, "Trace (jit):\n") || !strings.HasSuffix(out, "engines agree\n") {
		t.Errorf("both --trace: exit %d:\n%s", code, out)
	}
}
