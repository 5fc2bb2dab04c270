package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
)

var writeDocs = flag.Bool("docs", false, "rewrite docs/cli.md from testdata/docs/cli.md.tmpl")

// TestDocs renders docs/cli.md: every example in it is the output of
// running the command, in-process, in a folder holding the example files.
// It always runs every documented command (so a flag removed from the CLI
// shows up here); with -docs it rewrites docs/cli.md:
//
//	go test ./cmd/rbpf -run TestDocs -docs
func TestDocs(t *testing.T) {
	tmpl, err := os.ReadFile("testdata/docs/cli.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs("../../docs/cli.md") // before the commands change directory
	if err != nil {
		t.Fatal(err)
	}
	dir := docsFolder(t)
	var rendered bytes.Buffer
	tpl := template.Must(template.New("cli.md").Funcs(template.FuncMap{
		"cli":  func(cmds ...string) string { return docCommands(t, dir, cmds) },
		"file": func(name string) (string, error) { return docFile(dir, name) },
	}).Parse(string(tmpl)))
	if err := tpl.Execute(&rendered, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rendered.String(), "internal error") {
		t.Errorf("a documented command panicked:\n%s", rendered.String())
	}
	if *writeDocs {
		if err := os.WriteFile(out, rendered.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// docsFolder holds the example programs: the sources in testdata/docs,
// the relative_call fixture and its source, and two files made here.
func docsFolder(t *testing.T) string {
	dir := t.TempDir()
	copies := map[string]string{"../../testdata/elfs/relative_call.so": "relative_call.so",
		"../../testdata/elfs/relative_call.s": "relative_call.s"}
	for _, name := range []string{"loop.s", "hello.s", "sqrt.s", "noexit.s", "counter.s", "counter.json", "sum.s", "sum.json"} {
		copies["testdata/docs/"+name] = name
	}
	for from, to := range copies {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if to == "relative_call.so" {
			x86 := append([]byte(nil), b...)
			x86[18] = 62 // e_machine = EM_X86_64
			writeFile(t, filepath.Join(dir, "x86.so"), x86)
		}
		writeFile(t, filepath.Join(dir, to), b)
	}
	writeFile(t, filepath.Join(dir, "div0.bin"), div0Bytes)
	counter, err := os.ReadFile("testdata/docs/counter.json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "nowrite.json"), []byte(strings.Replace(string(counter), `"is_writable": true`, `"is_writable": false`, 1)))
	writeFile(t, filepath.Join(dir, "again.json"), []byte(`{"program_id": "Counter111111111111111111111111111111111111",
 "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_writable": true}]}
`))
	sum, err := os.ReadFile("testdata/docs/sum.json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sum2.json"), []byte(strings.Replace(string(sum), "010203", "010503", 1)))
	writeFile(t, filepath.Join(dir, "notowned.json"), []byte(strings.Replace(string(counter), `"owner": "Counter111111111111111111111111111111111111"`, `"owner": "11111111111111111111111111111111"`, 1)))
	return dir
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func docFile(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	return "```\n" + string(b) + "```\n", err
}

// docCommands runs each command line ("run loop.s --json", optionally
// piped into head -N or tail -N) and formats it as a shell session.
func docCommands(t *testing.T, dir string, cmds []string) string {
	t.Chdir(dir)
	var b strings.Builder
	b.WriteString("```\n")
	for _, cmd := range cmds {
		line, pipe, _ := strings.Cut(cmd, " | ")
		var out, errOut bytes.Buffer
		code := run(strings.Fields(line), &out, &errOut)
		text := strings.ReplaceAll(out.String()+errOut.String(), "\x00", `\0`)
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if text == "" {
			lines = nil
		}
		if pipe != "" {
			lines = applyPipe(t, pipe, lines)
			code = 0
		}
		fmt.Fprintf(&b, "$ rbpf %s\n", cmd)
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
		if code != 0 {
			fmt.Fprintf(&b, "$ echo $?\n%d\n", code)
		}
	}
	b.WriteString("```\n")
	return b.String()
}

func applyPipe(t *testing.T, pipe string, lines []string) []string {
	f := strings.Fields(pipe)
	if len(f) != 2 || (f[0] != "head" && f[0] != "tail") || !strings.HasPrefix(f[1], "-") {
		t.Fatalf("unsupported pipe %q", pipe)
	}
	n, err := strconv.Atoi(f[1][1:])
	if err != nil {
		t.Fatal(err)
	}
	n = min(n, len(lines))
	if f[0] == "head" {
		return lines[:n]
	}
	return lines[len(lines)-n:]
}
