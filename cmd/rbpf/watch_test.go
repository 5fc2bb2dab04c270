package main

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// TestRunWatchField watches an input field by name on a runtime run: each
// engine prints the same hit, names the field, and agrees; in JSON the
// hits are in the result document.
func TestRunWatchField(t *testing.T) {
	so := counterELF(t)
	engine := "both"
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		engine = "interp"
	}
	var out, errOut bytes.Buffer
	code := run([]string{"run", so, "--instruction", "testdata/docs/counter.json", "--engine", engine,
		"--watch", "accounts[0].data"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("status %d: %s%s", code, out.String(), errOut.String())
	}
	const hit = ": watch 0: after 10 instructions, pc 9 (insn #38) wrote 8 bytes at 0x400000060 (accounts[0].data): 2900000000000000 -> 2a00000000000000\n"
	if !strings.Contains(out.String(), "interp"+hit) || engine == "both" && !strings.Contains(out.String(), "jit"+hit) {
		t.Errorf("output:\n%s", out.String())
	}
	if engine == "both" && !strings.Contains(out.String(), "engines agree") {
		t.Errorf("engines disagree:\n%s", out.String())
	}

	out.Reset()
	code = run([]string{"run", so, "--instruction", "testdata/docs/counter.json", "--json",
		"--watch", "accounts[0].data[0..8]:rw", "--watch", "0x400000000-0x400000008:r", "--watch-stop"}, &out, &errOut)
	var r struct {
		WatchHits []struct {
			Watch  int    `json:"watch"`
			PC     int    `json:"pc"`
			Field  string `json:"field"`
			Access string `json:"access"`
		} `json:"watch_hits"`
		WatchStopped bool    `json:"watch_stopped"`
		Error        *string `json:"error"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || code != 0 {
		t.Fatalf("status %d, %v: %s", code, err, out.String())
	}
	if len(r.WatchHits) != 1 || r.WatchHits[0].Watch != 1 || r.WatchHits[0].Field != "num_accounts" || !r.WatchStopped || r.Error == nil {
		t.Errorf("stop: %s", out.String())
	}
}

func TestRunWatchErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "testdata/docs/loop.s", "--watch", "accounts[0].data"}, "input fields can be named only in a run with an instruction"},
		{[]string{"run", "testdata/docs/loop.s", "--watch", "0x400000000+8:x"}, `the kind "x" is not r, w or rw`},
		{[]string{"run", "testdata/docs/loop.s", "--watch-stop"}, "--watch-stop needs --watch"},
		{[]string{"run", "testdata/docs/loop.s", "--instruction", "testdata/docs/counter.json", "--watch", "accounts[3].data"}, "names no field"},
	} {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: status %d, stderr %q; want 1 and %q", c.args, code, errOut.String(), c.want)
		}
	}
}
