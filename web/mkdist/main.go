package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rbpfgo/rbpfgo/wasm/prerender"
	"github.com/rbpfgo/rbpfgo/wasm/ui"
	"github.com/rbpfgo/rbpfgo/web"
)

func main() {
	out := flag.String("o", "web/dist", "output directory")
	flag.Parse()
	if err := build(*out); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
}

func build(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := fs.WalkDir(web.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := web.Static.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, p), b, 0o644)
	}); err != nil {
		return err
	}
	if err := prerenderPage(filepath.Join(out, "index.html")); err != nil {
		return err
	}
	root, err := goEnv("GOROOT")
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(root, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "wasm_exec.js"), execJS, 0o644); err != nil {
		return err
	}
	wasm := filepath.Join(out, "main.wasm")
	args := []string{"build", "-trimpath", "-ldflags=-s -w"}
	for _, pattern := range noInline {
		args = append(args, "-gcflags="+pattern+"=-l")
	}
	for _, pattern := range keepInlining {
		args = append(args, "-gcflags="+pattern+"=")
	}
	cmd := exec.Command("go", append(args, "-o", wasm, "github.com/rbpfgo/rbpfgo/wasm")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building main.wasm: %w", err)
	}
	return gzipFile(wasm)
}

// noInline are the packages compiled without inlining in the playground's
// module: the page's components and the code that runs once per click or
// per load (parsing, assembling, building ELF files, demangling, JSON).
// Without inlining their code is smaller: on the build of 2026-12-03 the
// module went from 2 236 425 to 2 040 751 bytes under gzip -9 (8.49 to
// 7.95 MB raw). The code that runs per instruction or per step keeps
// inlining: the interpreter, the relocator, the recorders, the
// WebAssembly tier and Go's runtime are not in the list, and
// keepInlining puts the tier back where a pattern covers it (the last
// matching -gcflags wins).
var noInline = []string{
	"github.com/rbpfgo/rbpfgo/wasm/...",
	"github.com/vugu/...",
	"github.com/mr-tron/...",
	"encoding/...", "fmt", "time", "reflect",
	"github.com/rbpfgo/rbpfgo/core/solana/...",
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild",
	"github.com/rbpfgo/rbpfgo/core/symname/...",
	"github.com/rbpfgo/rbpfgo/core/runspec",
	"github.com/rbpfgo/rbpfgo/core/conformance/...",
	"github.com/rbpfgo/rbpfgo/core/asm",
	"github.com/rbpfgo/rbpfgo/core/verifier",
	"github.com/rbpfgo/rbpfgo/core/inspect",
	"github.com/rbpfgo/rbpfgo/core/jit/...",
}

// keepInlining are packages under a noInline pattern that keep inlining.
var keepInlining = []string{"github.com/rbpfgo/rbpfgo/core/jit/wasm"}

// mountPlaceholder is what web/index.html holds where the page renders.
const mountPlaceholder = `<div id="vugu_mount_point"><div class="boot">Loading the playground…</div></div>`

// prerenderPage puts the first view (wasm/prerender) into the page at
// path in place of the placeholder, and the styles the program adds to
// the head at start (ui.RuntimeCSS), so that the first view is drawn as
// the program will draw it.
func prerenderPage(path string) error {
	page, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	view, err := prerender.FirstView()
	if err != nil {
		return err
	}
	s := string(page)
	if strings.Count(s, mountPlaceholder) != 1 || strings.Count(s, "</head>") != 1 {
		return fmt.Errorf("%s: no single mount point placeholder and head to prerender into", path)
	}
	s = strings.Replace(s, mountPlaceholder, view, 1)
	s = strings.Replace(s, "</head>", `<style id="`+ui.RuntimeCSSID+`">`+ui.RuntimeCSS+"</style>\n</head>", 1)
	return os.WriteFile(path, []byte(s), 0o644)
}

func goEnv(key string) (string, error) {
	b, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// gzipFile writes path.gz, with the best deflate encoder the machine
// has; every one of them writes a standard gzip stream. Zopfli (Debian's
// zopfli, one iteration: about 20 s) makes the playground's module about
// 4 % smaller than gzip -9 (2 013 069 against 2 102 319 bytes); gzip -9
// finds about 1 % more than compress/gzip's best level (2 079 478 against
// 2 100 692 bytes on an earlier build), and compress/gzip is used where
// there is neither command.
func gzipFile(path string) error {
	for _, cmd := range [][]string{{"zopfli", "--i1", "-c", path}, {"gzip", "-9", "-n", "-c", path}} {
		if out, err := exec.Command(cmd[0], cmd[1:]...).Output(); err == nil {
			return os.WriteFile(path+".gz", out, 0o644)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path+".gz", buf.Bytes(), 0o644)
}
