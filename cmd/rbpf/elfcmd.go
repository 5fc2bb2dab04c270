package main

import (
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/inspect"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

func init() {
	commands["elf"] = command{"the loader's view of an ELF file: headers, checks, relocations, text", runELF}
}

const elfSynopsis = "rbpf elf FILE [--json] (FILE: an ELF file, or assembly to link first as rbpf asm --elf does)"

func runELF(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("elf")
	asJSON := fs.Bool("json", false, "print the document as one JSON object")
	pos, err := parse(fs, elfSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("expected one ELF FILE (usage: %s)", elfSynopsis)
	}
	data, err := readFile(pos[0])
	if err != nil {
		return fmt.Errorf("read: %v", trimPathError(err))
	}
	if guessKind(pos[0], data) == runspec.KindAsm {
		// Show how the source is linked and what the loader makes of it.
		if data, err = assembleFile(string(data), true); err != nil {
			return fmt.Errorf("%s: %v", pos[0], err)
		}
	}
	doc := inspect.Build(data)
	if *asJSON {
		err = writeJSON(stdout, doc)
	} else {
		err = doc.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if !doc.OK {
		return errProgram
	}
	return nil
}
