package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

func init() {
	commands["jit"] = command{"each eBPF instruction with the x86-64 code it compiles to", runJIT}
}

const jitSynopsis = "rbpf jit (FILE | --asm FILE | --bytes FILE | --elf FILE) [--no-default-syscalls] " +
	"[--syscall KEY=NAME ...] [--trace] [--no-meter] [--blind] [--routines] [--json]"

func runJIT(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("jit")
	src := addSourceFlags(fs)
	var syscalls multiFlag
	fs.Var(&syscalls, "syscall", "bind syscall `KEY=NAME`; repeatable")
	noDefault := fs.Bool("no-default-syscalls", false, "do not bind the default syscalls")
	trace := fs.Bool("trace", false, "compile with instruction tracing enabled")
	noMeter := fs.Bool("no-meter", false, "compile with the instruction meter disabled")
	blind := fs.Bool("blind", false, "compile with constant blinding")
	routines := fs.Bool("routines", false, "also show the shared routines after the last instruction")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pos, err := parse(fs, jitSynopsis, args, stdout)
	if err != nil {
		return err
	}
	p, err := src.resolve(pos)
	if err != nil {
		return err
	}
	spec := &runspec.Spec{Kind: p.kind, Program: p.data, NoDefaultSyscalls: *noDefault, Trace: *trace, NoMeter: *noMeter}
	for _, s := range syscalls {
		b, err := runspec.ParseBinding(s)
		if err != nil {
			return fmt.Errorf("--syscall: %v", err)
		}
		spec.Syscalls = append(spec.Syscalls, b)
	}
	built, err := spec.Build()
	if err != nil {
		return fmt.Errorf("%s: %v", p.path, err)
	}
	start := time.Now()
	prog, err := jit.Compile(built.Exe, jit.Options{ConstantBlinding: *blind})
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	defer prog.Close()
	doc := jit.NewListing(prog, built.Exe.Program.Text)
	doc.Blinding, doc.CompileNS = *blind, elapsed.Nanoseconds()
	if *routines {
		doc.Routines = jit.DisassembleRoutines(prog)
	}
	if *asJSON {
		return writeJSON(stdout, doc)
	}
	writeJITText(stdout, &doc)
	return nil
}

func writeJITText(w io.Writer, d *jit.Listing) {
	fmt.Fprintf(w, "compiled %d instructions to %d bytes of x86-64 in %s\n", len(d.Insns), d.CodeBytes, time.Duration(d.CompileNS))
	for _, ins := range d.Insns {
		fmt.Fprintf(w, "\n%s  %s  (%d bytes)\n", asm.SlotNumbers(ins.PC), ins.Asm, ins.Bytes)
		for _, x := range ins.X86 {
			fmt.Fprintf(w, "         %s\n", x)
		}
	}
	if len(d.Routines) > 0 {
		fmt.Fprintf(w, "\nshared routines:\n         %s\n", strings.Join(d.Routines, "\n         "))
	}
}
