package main

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// textOf returns a program's instruction bytes: assembled, as given, or the
// relocated .text section of a loaded ELF file.
func textOf(p *program) ([]byte, error) {
	switch p.kind {
	case runspec.KindBytes:
		return p.data, nil
	case runspec.KindAsm:
		b, err := asm.Assemble(string(p.data))
		if err != nil {
			return nil, fmt.Errorf("assemble %s: %v", p.path, err)
		}
		return b, nil
	case runspec.KindELF:
		prog, err := elf.Load(p.data)
		if err != nil {
			return nil, fmt.Errorf("ELF error: %v", err)
		}
		return prog.Text, nil
	}
	return nil, errors.New("unknown program kind")
}
