package main

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

func init() {
	commands["disasm"] = command{"disassemble a program, with function labels from ELF symbols", runDisasm}
}

const disasmSynopsis = "rbpf disasm (FILE | --asm FILE | --bytes FILE | --elf FILE) [--no-bytes] [--rbpf | --json]"

// disasmLine is one instruction of `rbpf disasm --json`. Names are raw, as
// the file has them; the *_demangled fields give the demangled form when a
// name is mangled (symname.Demangled).
type disasmLine struct {
	PC             int    `json:"pc"`   // slot index
	Insn           int    `json:"insn"` // pc + 29, as errors number it
	Bytes          string `json:"bytes"`
	Asm            string `json:"asm"`
	Label          string `json:"label,omitempty"` // function starting here
	LabelDemangled string `json:"label_demangled,omitempty"`
	// Call names a call's target (function or syscall) when known.
	Call          string `json:"call,omitempty"`
	CallDemangled string `json:"call_demangled,omitempty"`
	// Target is a jump's destination slot.
	Target *int `json:"target,omitempty"`
}

func runDisasm(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("disasm")
	src := addSourceFlags(fs)
	noBytes := fs.Bool("no-bytes", false, "leave the raw instruction bytes out")
	plain := fs.Bool("rbpf", false, "print exactly what rbpf v0.2.8's CLI prints for --use disassembler")
	asJSON := fs.Bool("json", false, "print one JSON object per instruction")
	pos, err := parse(fs, disasmSynopsis, args, stdout)
	if err != nil {
		return err
	}
	p, err := src.resolve(pos)
	if err != nil {
		return err
	}
	a, err := analyze(p)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeDisasmJSON(stdout, a)
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

func writeDisasmJSON(w io.Writer, a *analysis) error {
	names := a.callNames()
	for _, l := range asm.DisassembleInsns(a.text) {
		end := min((l.Ptr+l.Slots)*ebpf.InsnSize, len(a.text))
		d := disasmLine{PC: l.Ptr, Insn: l.Ptr + ebpf.ElfInsnDumpOffset, Asm: l.Desc,
			Bytes: hex.EncodeToString(a.text[l.Ptr*ebpf.InsnSize : end]), Label: a.functions[l.Ptr]}
		d.LabelDemangled = symname.Demangled(d.Label)
		switch {
		case l.Opc == ebpf.CallImm:
			d.Call = names[uint32(l.Insn.Imm)]
			d.CallDemangled = symname.Demangled(d.Call)
		case l.Opc.IsJump():
			target := ebpf.JumpTarget(l.Ptr, l.Insn.Off)
			d.Target = &target
		}
		if err := writeJSON(w, d); err != nil {
			return err
		}
	}
	return nil
}
