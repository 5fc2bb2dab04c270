package inspect

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/elfs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadedDocument(t *testing.T) {
	d := Build(fixture(t, "relative_call.so"))
	if !d.OK || d.Error != nil || d.ELF == nil {
		t.Fatalf("not loaded: %v", d.Error)
	}
	if *d.Entrypoint != 8 || d.TextOffset != 0x1000 || d.TextVaddr != 0x100001000 {
		t.Errorf("entrypoint %d, text at %#x / %#x", *d.Entrypoint, d.TextOffset, d.TextVaddr)
	}
	// The relative call at pc 14 is hashed with its own pc and targets pc 0.
	if len(d.Calls) != 1 || d.Calls[0] != (Call{Hash: 0xe162dcf9, PC: 0, Name: "syscall"}) {
		t.Errorf("calls %+v", d.Calls)
	}
	if len(d.Syscalls) != 1 || d.Syscalls[0] != (Syscall{Hash: 0x6bf5c3fe, Name: "log"}) {
		t.Errorf("syscalls %+v", d.Syscalls)
	}
	// rbpf indexes symbols as st_value/8 - 29; TextPC is the real place.
	for _, f := range d.Functions {
		want := map[string]int{"syscall": 0, "entrypoint": 8}[f.Name]
		if f.TextPC == nil || *f.TextPC != want || f.PC != 0x1000/8-29+want {
			t.Errorf("function %+v, want text pc %d", f, want)
		}
	}
	for _, c := range d.Checks {
		if c.Status != elf.CheckPass {
			t.Errorf("check %+v did not pass", c)
		}
	}
	if len(d.Checks) != len(elf.CheckNames) || len(d.Relocations) != 5 {
		t.Errorf("%d checks, %d relocation steps", len(d.Checks), len(d.Relocations))
	}
	if len(d.ROSections) != 1 || string(d.ROSections[0].Bytes) != "syscall\x00entrypoint\x00" {
		t.Errorf("ro sections %+v", d.ROSections)
	}
	last := d.Text[len(d.Text)-2]
	if last.PC != 14 || last.Insn != 43 || !last.Relocated || last.Note != "function syscall" ||
		last.Asm != "call 0xe162dcf9" || last.Offset != 0x1070 {
		t.Errorf("relocated call line %+v", last)
	}
	if got := d.Labels(); got[0] != "syscall" || got[8] != "entrypoint" || len(got) != 2 {
		t.Errorf("labels %v", got)
	}
}

func TestRejectedDocument(t *testing.T) {
	data := fixture(t, "relative_call.so")
	data[18] = 62 // e_machine = EM_X86_64
	d := Build(data)
	if d.OK || d.Error == nil || *d.Error != "ELF error: Incompatible ELF: wrong machine" || d.ErrorKind != "WrongMachine" {
		t.Fatalf("error %v kind %q", d.Error, d.ErrorKind)
	}
	var statuses []string
	for _, c := range d.Checks {
		statuses = append(statuses, c.Name+"="+string(c.Status))
	}
	got := strings.Join(statuses, " ")
	if !strings.HasPrefix(got, "parse=pass class=pass data=pass osabi=pass machine=fail type=skipped") {
		t.Errorf("checks %s", got)
	}
	if d.Entrypoint != nil || len(d.Text) != 0 || d.ELF == nil {
		t.Errorf("a rejected file must show headers but no program: %+v", d)
	}
	var text bytes.Buffer
	if err := d.WriteText(&text); err != nil || !strings.HasPrefix(text.String(),
		"ELF file, 9368 bytes: rejected: ELF error: Incompatible ELF: wrong machine\n") ||
		!strings.Contains(text.String(), "fail     machine  want EM_BPF (247), got EM_X86_64 (62)") {
		t.Errorf("text:\n%s", text.String())
	}
}

func TestUnparsableDocument(t *testing.T) {
	d := Build([]byte("hello"))
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	_ = json.Unmarshal(b, &back)
	if back["ok"] != false || back["elf"] != nil || !strings.HasPrefix(back["error"].(string), "ELF error: Failed to parse ELF file") {
		t.Errorf("document %s", b)
	}
	if checks := back["checks"].([]any); len(checks) == 0 || checks[0].(map[string]any)["status"] != "fail" {
		t.Errorf("the parse check must fail: %s", b)
	}
}

func TestTextRendering(t *testing.T) {
	var b bytes.Buffer
	if err := Build(fixture(t, "relative_call.so")).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"ELF file, 9368 bytes: loaded\n",
		"  [ 6]  .text      SHT_PROGBITS  -AX    0x1000  0x1000  0x80",
		"   1. relative call at pc 14 (insn #43): imm -15 -> pc 0, hash(pc 14) = 0xe162dcf9\n",
		"      at 0x1070: 85 10 00 00 f1 ff ff ff -> 85 10 00 00 f9 dc 62 e1\n",
		"   4. R_BPF_64_32 #2: call at pc 4 (insn #33): symbol \"log\" -> imm 0x6bf5c3fe\n",
		"  0xe162dcf9  -> pc 0 (insn #29)  syscall\n",
		"entrypoint:\n      8 #37      71 16 00 00 00 00 00 00  ldxb r6, [r1+0x0]\n",
		"     14 #43    * 85 10 00 00 f9 dc 62 e1  call 0xe162dcf9 ; function syscall\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d has trailing spaces: %q", i+1, l)
		}
	}
}

// FuzzBuild: any bytes give a document, its JSON and its text, without panics.
func FuzzBuild(f *testing.F) {
	for _, name := range []string{"relative_call.so", "noro.so", "unresolved_syscall.so"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Build(data)
		if d.OK == (d.Error != nil) {
			t.Fatalf("ok %v with error %v", d.OK, d.Error)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
		if err := d.WriteText(&bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	})
}
