package main

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// textOf returns a program's instruction bytes: assembled, as given, or the
// .text section of a loaded ELF file.
func textOf(p *program) ([]byte, error) {
	switch p.kind {
	case runspec.KindBytes:
		return p.data, nil
	}
	return nil, fmt.Errorf("%s input is not supported yet", p.kind)
}
