package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/profile"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// cuProfile is `run --cu-profile`: the interpreter's run recorded by
// core/profile, written to a file (or standard output for "-") once the
// engines have run.
type cuProfile struct {
	path, format string
	prog         *program // where the program's function names come from
	graph        *cfg.Graph
	result       *profile.Profile
}

// cuFormats are the --cu-format values.
var cuFormats = []string{"folded", "dot", "json"}

// check rejects what the profile cannot do with the other flags.
func (c *cuProfile) check(engs []vm.Engine, sequence bool) error {
	if !slices.Contains(cuFormats, c.format) {
		return fmt.Errorf("--cu-format: unknown format %q (want %s)", c.format, strings.Join(cuFormats, ", "))
	}
	if sequence {
		return fmt.Errorf("--cu-profile records one program run, not a sequence of instructions")
	}
	for _, e := range engs {
		if runspec.EngineName(e) == "interp" {
			return nil
		}
	}
	return fmt.Errorf("--cu-profile records the interpreter's run: use --engine interp or both")
}

// graphOf is the program's graph with the names `rbpf cfg` gives its
// functions, and the call targets the built executable resolves (which
// --function may add to).
func (c *cuProfile) graphOf(exe *vm.Executable) *cfg.Graph {
	if c.graph != nil {
		return c.graph
	}
	opts := cfg.Options{Entry: exe.Program.Entrypoint, CallTargets: exe.Program.Calls}
	if a, err := analyze(c.prog); err == nil {
		opts.Functions, opts.Syscalls = a.functions, a.syscalls
	}
	c.graph = cfg.Build(exe.Program.Text, opts)
	return c.graph
}

// write writes the recorded profile in its format; nothing when the
// program did not load.
func (c *cuProfile) write(stdout io.Writer) error {
	if c.result == nil {
		return nil
	}
	var out bytes.Buffer
	switch c.format {
	case "folded":
		if err := c.result.Folded(&out); err != nil {
			return err
		}
	case "dot":
		out.WriteString(c.result.Dot(c.graph, strings.TrimSuffix(filepath.Base(c.prog.path), filepath.Ext(c.prog.path))))
	case "json":
		b, err := json.MarshalIndent(c.result, "", "  ")
		if err != nil {
			return err
		}
		out.Write(append(b, '\n'))
	}
	if c.path == "-" {
		_, err := stdout.Write(out.Bytes())
		return err
	}
	if err := os.WriteFile(c.path, out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--cu-profile: %v", trimPathError(err))
	}
	return nil
}
