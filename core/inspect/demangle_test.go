package inspect

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

// rustSource defines functions under names as rustc mangles them: legacy
// (`_ZN…17h<hash>E`) and v0 (`_R…`), one called through an R_BPF_64_32
// relocation, and an import (a syscall) with a mangled name.
const rustSource = `.layout compact
.relocate _RNvCsaljjC7ZTCQu_3log6logger
entrypoint:
    mov64 r1, 0
    call _ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE
    call _RNvCsaljjC7ZTCQu_3log6logger
    call _ZN14solana_program3log7sol_log17h4d8401486258f67dE
    exit
_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE:
    jeq r1, 0, +1
    mov64 r0, 2
    exit
_RNvCsaljjC7ZTCQu_3log6logger:
    mov64 r0, 0
    exit
`

const (
	splProcess = "_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"
	logLogger  = "_RNvCsaljjC7ZTCQu_3log6logger"
	solLog     = "_ZN14solana_program3log7sol_log17h4d8401486258f67dE"
)

func rustDocument(t *testing.T) *Document {
	t.Helper()
	f, err := elfbuild.BuildAssembly(rustSource)
	if err != nil {
		t.Fatal(err)
	}
	d := Build(f.Bytes)
	if !d.OK {
		t.Fatalf("not loaded: %v", *d.Error)
	}
	return d
}

// TestDemangledJSON checks that the document keeps raw names and gives the
// demangled ones beside them, only where they differ.
func TestDemangledJSON(t *testing.T) {
	d := rustDocument(t)
	want := map[string]string{splProcess: "spl_token::processor::Processor::process", logLogger: "log::logger", "entrypoint": ""}
	for _, f := range d.Functions {
		if w, ok := want[f.Name]; !ok || f.Demangled != w {
			t.Errorf("function %q demangled %q, want %q", f.Name, f.Demangled, w)
		}
	}
	for _, c := range d.Calls {
		if w, ok := want[c.Name]; !ok || c.Demangled != w {
			t.Errorf("call %q demangled %q, want %q", c.Name, c.Demangled, w)
		}
	}
	if len(d.Syscalls) != 1 || d.Syscalls[0].Name != solLog || d.Syscalls[0].Demangled != "solana_program::log::sol_log" {
		t.Errorf("syscalls %+v", d.Syscalls)
	}
	if d.Text[5].Label != splProcess || d.Text[1].Note != "function spl_token::processor::Processor::process" {
		t.Errorf("text lines %+v, %+v", d.Text[5], d.Text[1])
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`{"pc":0,"name":"entrypoint","size":40,`)) ||
		!bytes.Contains(b, []byte(`"name":"`+logLogger+`","demangled":"log::logger"`)) {
		t.Errorf("JSON:\n%s", b)
	}
}

// TestDemangledText compares the text of the document with a golden file:
// names demangled, raw ones in the relocation log and beside labels.
func TestDemangledText(t *testing.T) {
	var text bytes.Buffer
	if err := rustDocument(t).WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "rust_names.txt")
	if *update {
		if err := os.WriteFile(golden, text.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(text.Bytes(), want) {
		t.Errorf("text differs from %s (go test -update rewrites it):\n%s", golden, text.String())
	}
	for _, w := range []string{
		"  0x53075d44  -> pc 5 (insn #34)  spl_token::processor::Processor::process\n",
		"  0x4d19aad7  solana_program::log::sol_log\n",
		`symbol "` + solLog + `" -> imm 0x4d19aad7`,
		"log::logger: ; " + logLogger + "\n",
	} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text lacks %q", w)
		}
	}
}
