package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWhy asks where the counter's bytes and registers came from, as
// text and as JSON, with the profile recorded in the same run.
func TestRunWhy(t *testing.T) {
	so := counterELF(t)
	var out, errOut bytes.Buffer
	prof := filepath.Join(t.TempDir(), "p.folded")
	code := run([]string{"run", so, "--instruction", "testdata/docs/counter.json", "--engine", "interp",
		"--why", "accounts[0].data[0..8]", "--why", "r7@12", "--cu-profile", prof}, &out, &errOut)
	if code != 0 {
		t.Fatalf("status %d: %s%s", code, out.String(), errOut.String())
	}
	const want = `interp: why 0x400000060+8 (accounts[0].data) after 21 instructions:
  0x400000060+8 (accounts[0].data): stored from r7  [step 9, pc 9 (insn #38): stxdw [r6+0x60], r7]
    r7: computed from r7 and the constant 0x1  [step 8, pc 8 (insn #37): add64 r7, 0x1]
      r7: loaded 8 bytes at 0x400000060 (accounts[0].data)  [step 7, pc 7 (insn #36): ldxdw r7, [r6+0x60]]
        0x400000060+8 (accounts[0].data): the input as serialized, never written
interp: why r7 after 12 instructions:
  r7: computed from r7 and the constant 0x1  [step 8, pc 8 (insn #37): add64 r7, 0x1]
`
	if !strings.Contains(out.String(), want) {
		t.Errorf("output:\n%s\nwant it to hold\n%s", out.String(), want)
	}
	if b, err := os.ReadFile(prof); err != nil || !strings.Contains(string(b), "entrypoint 21\n") {
		t.Errorf("the profile recorded with --why: %q %v", b, err)
	}

	out.Reset()
	code = run([]string{"run", so, "--instruction", "testdata/docs/counter.json", "--json", "--why", "r0"}, &out, &errOut)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var doc struct {
		Engine string `json:"engine"`
		Why    []struct {
			At    uint64 `json:"at"`
			Loc   string `json:"loc"`
			Links []struct {
				Kind string `json:"kind"`
				PC   int    `json:"pc"`
			} `json:"links"`
		} `json:"why"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &doc); err != nil || code != 0 {
		t.Fatalf("status %d, %v: %s", code, err, out.String())
	}
	if doc.Engine != "interp" || len(doc.Why) != 1 || doc.Why[0].At != 21 || len(doc.Why[0].Links) != 1 ||
		doc.Why[0].Links[0].Kind != "constant" || doc.Why[0].Links[0].PC != 20 {
		t.Errorf("JSON: %s", lines[len(lines)-1])
	}
}

// TestRunWhyWatchStop: the recorded run stops at the watch hit, as an
// unrecorded one does, and the question is about the state there.
func TestRunWhyWatchStop(t *testing.T) {
	so := counterELF(t)
	var out, errOut bytes.Buffer
	code := run([]string{"run", so, "--instruction", "testdata/docs/counter.json", "--watch", "accounts[0].data", "--watch-stop",
		"--why", "r7", "--cu-profile", filepath.Join(t.TempDir(), "p")}, &out, &errOut)
	for _, want := range []string{"interp: stopped at the watchpoint, 10 of 200000 compute units\n", "interp: why r7 after 10 instructions:\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status %d, output:\n%s\nwant it to hold %q", code, out.String(), want)
		}
	}
}

func TestRunWhyErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "testdata/docs/loop.s", "--why", "accounts[0].data"}, "input fields can be named only in a run with an instruction"},
		{[]string{"run", "testdata/docs/loop.s", "--why", "r11"}, `"r11" is not a register r0 to r10`},
		{[]string{"run", "testdata/docs/loop.s", "--why", "r1@x"}, `the step "x" is not a number of instructions or end`},
		{[]string{"run", "testdata/docs/loop.s", "--why", "0x400000000+0"}, "a range of 0 bytes"},
		{[]string{"run", "testdata/docs/loop.s", "--why", "r1", "--engine", "jit"}, "--why records the interpreter's run"},
		{[]string{"run", "testdata/docs/loop.s", "--why", "r1", "--rbpf"}, "it has no --why"},
		{[]string{"run", "testdata/docs/loop.s", "--why", "r1@100000"}, "--why r1@100000: the recording holds the state after 0 to "},
	} {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: status %d, stderr %q; want 1 and %q", c.args, code, errOut.String(), c.want)
		}
	}
}
