package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestELF(t *testing.T) {
	code, out, _ := cli(t, "elf", "../../testdata/elfs/relative_call.so")
	if code != 0 || !strings.HasPrefix(out, "ELF file, 9368 bytes: loaded\n") || !strings.Contains(out, "Relocation log (5 steps)") {
		t.Errorf("elf: exit %d:\n%s", code, out)
	}
	code, out, _ = cli(t, "elf", "../../testdata/elfs/relative_call.so", "--json")
	var doc struct {
		OK         bool
		Entrypoint int
		Calls      []struct{ Hash uint32 }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || !doc.OK || doc.Entrypoint != 8 ||
		len(doc.Calls) != 1 || doc.Calls[0].Hash != 0xe162dcf9 || strings.Count(out, "\n") != 1 {
		t.Errorf("elf --json: exit %d, %v, %+v", code, err, doc)
	}
}

func TestELFRejected(t *testing.T) {
	data, err := os.ReadFile("../../testdata/elfs/relative_call.so")
	if err != nil {
		t.Fatal(err)
	}
	data[18] = 62 // EM_X86_64
	code, out, _ := cli(t, "elf", writeTemp(t, "x86.so", data), "--json")
	if code != 2 || !strings.Contains(out, `"error":"ELF error: Incompatible ELF: wrong machine"`) {
		t.Errorf("rejected: exit %d, %s", code, out)
	}
	wantFail(t, "expected one ELF FILE", "elf")
	wantFail(t, "no such file", "elf", "/nonexistent/x.so")
}

func TestELFFromAssembly(t *testing.T) {
	// Assembly is linked first, exactly as rbpf asm --elf does.
	code, out, _ := cli(t, "elf", "../../testdata/elfs/relative_call.s")
	if code != 0 || !strings.HasPrefix(out, "ELF file, 9368 bytes: loaded\n") {
		t.Errorf("elf of assembly: exit %d:\n%s", code, out)
	}
	wantFail(t, "Invalid instruction", "elf", writeTemp(t, "bad.s", []byte("nope\n")))
}
