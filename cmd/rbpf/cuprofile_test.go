package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/cuprofile")

// TestCUProfileGolden writes the compute-unit profile of sum.s (a runtime
// run: a loop calling a function per data byte, then sol_log_ and
// sol_log_64_) in each format and compares it with testdata/cuprofile;
// go test -update rewrites them after an intended change. By hand: the
// entrypoint runs 4 + 3*9 + 1 + 4 = 36 instructions, add_byte 3*3 = 9,
// log_sum 14; sol_log_ of "sum" costs 3 and sol_log_64_ 100: 162 in all,
// the units the runtime reports.
func TestCUProfileGolden(t *testing.T) {
	for _, format := range cuFormats {
		out := filepath.Join(t.TempDir(), "sum."+format)
		code, stdout, stderr := cli(t, "run", "testdata/docs/sum.s", "--instruction", "testdata/docs/sum.json",
			"--cu-profile", out, "--cu-format", format)
		if code != 0 || stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, code, stderr)
		}
		if !strings.Contains(stdout, "consumed 162 of 200000 compute units") {
			t.Fatalf("%s: stdout %q", format, stdout)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "cuprofile", "sum."+format)
		if *updateGolden {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update creates it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", format, golden, got)
		}
	}
}

// TestCUProfileTotals checks that the folded stacks add up to the units
// the run reports, with and without the runtime, on both engines, and
// when the run fails.
func TestCUProfileTotals(t *testing.T) {
	loop := writeTemp(t, "loop.s", []byte("mov r1, 0\nmov r0, 0\nadd r0, 1\nadd r1, 1\njlt r1, 3, -3\nexit\n"))
	consumed := regexp.MustCompile(`consumed (\d+) of|, (\d+) instructions`)
	for _, args := range [][]string{
		{"run", "testdata/docs/sum.s", "--instruction", "testdata/docs/sum.json", "--engine", "both"},
		{"run", "testdata/docs/counter.s", "--instruction", "testdata/docs/counter.json"},
		{"run", loop},
		{"run", loop, "--budget", "7"},
	} {
		_, stdout, stderr := cli(t, append(args, "--cu-profile", "-")...)
		m := consumed.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("%q: no units in %q (stderr %q)", args, stdout, stderr)
		}
		want, _ := strconv.ParseUint(m[1]+m[2], 10, 64)
		var sum uint64
		for _, l := range strings.Split(stdout, "\n") {
			if i := strings.LastIndexByte(l, ' '); i > 0 && !strings.HasPrefix(l, " ") && !strings.Contains(l, ":") {
				n, err := strconv.ParseUint(l[i+1:], 10, 64)
				if err == nil {
					sum += n
				}
			}
		}
		if sum != want {
			t.Errorf("%q: folded stacks add up to %d, the run consumed %d:\n%s", args, sum, want, stdout)
		}
	}
}

func TestCUProfileErrors(t *testing.T) {
	loop := writeTemp(t, "loop.s", []byte("mov r0, 1\nexit\n"))
	wantFail(t, "--cu-format needs --cu-profile", "run", loop, "--cu-format", "dot")
	wantFail(t, `unknown format "svg"`, "run", loop, "--cu-profile", "-", "--cu-format", "svg")
	wantFail(t, "records the interpreter's run", "run", loop, "--cu-profile", "-", "--engine", "jit")
	wantFail(t, "not a sequence", "run", loop, "--cu-profile", "-",
		"--instruction", "testdata/docs/sum.json", "--instruction", "testdata/docs/sum.json")
	wantFail(t, "not a cfg flag", "cfg", loop, "--cu-profile", "-")
}
