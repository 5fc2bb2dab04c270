package main

import (
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/cfg"
)

func init() {
	commands["disasm"] = command{"disassemble a program, with function labels from ELF symbols", runDisasm}
}

const disasmSynopsis = "rbpf disasm (FILE | --asm FILE | --bytes FILE | --elf FILE) [--no-bytes] [--rbpf]"

func runDisasm(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("disasm")
	src := addSourceFlags(fs)
	noBytes := fs.Bool("no-bytes", false, "leave the raw instruction bytes out")
	plain := fs.Bool("rbpf", false, "print exactly what rbpf v0.2.8's CLI prints for --use disassembler")
	pos, err := parse(fs, disasmSynopsis, args, stdout)
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
	if *plain {
		an := cfg.Analyze(a.text, a.rbpf)
		for _, w := range an.Warnings {
			fmt.Fprintln(stdout, w)
		}
		_, err = io.WriteString(stdout, an.Disassembly())
		return err
	}
	_, err = io.WriteString(stdout, asm.Listing(a.text, asm.ListingOptions{
		Labels: a.functions, CallNames: a.callNames(), HideBytes: *noBytes,
	}))
	return err
}
