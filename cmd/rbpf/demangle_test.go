package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// rustNamed defines functions under names as rustc mangles them, legacy
// and v0, in the layout rbpf's own symbol index expects.
const rustNamed = `.layout compact
entrypoint:
    mov64 r1, 0
    call _ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE
    call _RNvCsaljjC7ZTCQu_3log6logger
    exit
_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE:
    jeq r1, 0, +1
    mov64 r0, 2
    exit
_RNvCsaljjC7ZTCQu_3log6logger:
    mov64 r0, 0
    exit
`

const splProcess = "_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"

// TestDemangledNames checks every command that shows function names: the
// listing, the graph and the ELF document show them demangled, the JSON
// keeps them raw beside the demangled form, and the --rbpf and profile
// output name them as rbpf's CLI does (rustc-demangle, hash kept).
func TestDemangledNames(t *testing.T) {
	so := filepath.Join(t.TempDir(), "rust.so")
	if code, _, stderr := cli(t, "asm", writeTemp(t, "rust.s", []byte(rustNamed)), "--elf", "-o", so); code != 0 {
		t.Fatalf("asm --elf: exit %d: %s", code, stderr)
	}
	checks := []struct {
		args []string
		want []string
	}{
		{[]string{"disasm", so, "--no-bytes"}, []string{
			"spl_token::processor::Processor::process: ; " + splProcess + "\n    4 #33     jeq r1, 0x0, +1 ; -> pc 6\n",
			"    1 #30     call 0x53075d44 ; spl_token::processor::Processor::process\n",
			"log::logger: ; _RNvCsaljjC7ZTCQu_3log6logger\n",
		}},
		{[]string{"disasm", so, "--json"}, []string{
			`"call":"` + splProcess + `","call_demangled":"spl_token::processor::Processor::process"}`,
			`"label":"_RNvCsaljjC7ZTCQu_3log6logger","label_demangled":"log::logger"}`,
			`"label":"entrypoint"}`,
		}},
		{[]string{"disasm", so, "--rbpf"}, []string{
			"\nspl_token::processor::Processor::process::h1b9ba2b5dfcdbeac:\n    jeq r1, 0x0, lbb_6\n",
			"    call spl_token::processor::Processor::process::h1b9ba2b5dfcdbeac\n    call log::logger\n",
		}},
		{[]string{"run", so, "--profile"}, []string{
			"\nspl_token::processor::Processor::process::h1b9ba2b5dfcdbeac:\n    # Basic block executed: 1\n",
		}},
		{[]string{"cfg", so}, []string{
			"    label=\"spl_token::processor::Processor::process\";\n    tooltip=\"" + splProcess + "\";\n",
			"    label=\"log::logger\";\n",
		}},
		{[]string{"elf", so}, []string{
			"  0x53075d44  -> pc 4 (insn #33)  spl_token::processor::Processor::process\n",
			"GLOBAL FUNC   1      log::logger\n",
		}},
		{[]string{"elf", so, "--json"}, []string{
			`"name":"` + splProcess + `","demangled":"spl_token::processor::Processor::process"`,
		}},
	}
	for _, c := range checks {
		code, out, stderr := cli(t, c.args...)
		for _, w := range c.want {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("%s: exit %d (%s), output lacks %q:\n%s", strings.Join(c.args, " "), code, stderr, w, out)
			}
		}
	}
}
