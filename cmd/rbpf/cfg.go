package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func init() {
	commands["cfg"] = command{"control-flow graph of a program as Graphviz dot", runCfg}
}

const cfgSynopsis = "rbpf cfg (FILE | --asm FILE | --bytes FILE | --elf FILE) [--name NAME] " +
	"[--profile [--input HEX | --input-file FILE] [--budget N] [--syscall KEY=NAME ...]]"

func runCfg(args []string, stdout, stderr io.Writer) error {
	// The run flags shape the profiling run; only some are offered here.
	f, fs := newRunFlags()
	name := fs.String("name", "", "graph `NAME` (default: the file name)")
	pos, err := parse(fs, cfgSynopsis, args, stdout)
	if err != nil {
		return err
	}
	var unused []string
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "engine", "json", "trace", "rbpf", "cu-profile", "cu-format":
			unused = append(unused, "--"+fl.Name)
		}
	})
	if len(unused) > 0 {
		return fmt.Errorf("%s: not a cfg flag (usage: %s)", strings.Join(unused, ", "), cfgSynopsis)
	}
	spec, err := f.spec(pos)
	if err != nil {
		return err
	}
	p := &program{kind: spec.Kind, path: firstSource(f.src, pos), data: spec.Program}
	a, err := analyze(p)
	if err != nil {
		return err
	}
	opts := cfg.DotOptions{Name: *name}
	if *f.profile {
		if opts.Profile, err = profileRun(spec, len(a.text)/8, stderr); err != nil {
			return err
		}
	}
	g := cfg.Build(a.text, cfg.Options{Entry: a.entry, Functions: a.functions, CallTargets: a.calls, Syscalls: a.syscalls})
	if opts.Name == "" {
		opts.Name = strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
	}
	_, err = io.WriteString(stdout, cfg.Dot(g, opts))
	return err
}

// profileRun runs the program on the interpreter with tracing and counts
// how often each instruction and each transition ran.
func profileRun(spec *runspec.Spec, slots int, stderr io.Writer) (*cfg.Profile, error) {
	spec.Trace = true
	b, err := spec.Build()
	if err != nil {
		return nil, err
	}
	b.Log = stderr
	r := vm.Interpreter{}.Run(b.Exe, b.Prepare().Options)
	if r.Err != nil {
		fmt.Fprintf(stderr, "rbpf cfg: note: the profiled run ended with: %v\n", r.Err)
	}
	if r.Trace == nil {
		return nil, fmt.Errorf("the run produced no trace")
	}
	pcs := make([]int, len(r.Trace.Log))
	for i, e := range r.Trace.Log {
		pcs[i] = e.PC()
	}
	return cfg.ProfileTrace(pcs, slots), nil
}

// firstSource is the path the program was read from.
func firstSource(s *sourceFlags, pos []string) string {
	for _, p := range []string{*s.asm, *s.bytes, *s.elf} {
		if p != "" {
			return p
		}
	}
	if len(pos) > 0 {
		return pos[0]
	}
	return "cfg"
}
