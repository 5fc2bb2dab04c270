package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
)

func init() {
	commands["cfg"] = command{"control-flow graph of a program as Graphviz dot", runCfg}
}

const cfgSynopsis = "rbpf cfg (FILE | --asm FILE | --bytes FILE | --elf FILE) [--name NAME]"

func runCfg(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cfg")
	src := addSourceFlags(fs)
	name := fs.String("name", "", "graph `NAME` (default: the file name)")
	pos, err := parse(fs, cfgSynopsis, args, stdout)
	if err != nil {
		return err
	}
	p, pos, err := src.resolve(pos)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	a, err := analyze(p)
	if err != nil {
		return err
	}
	g := cfg.Build(a.text, cfg.Options{Entry: a.entry, Functions: a.functions, CallTargets: a.calls, Syscalls: a.syscalls})
	if *name == "" {
		*name = strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
	}
	_, err = io.WriteString(stdout, cfg.Dot(g, cfg.DotOptions{Name: *name}))
	return err
}
