package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

func init() {
	commands["asm"] = command{"assemble source into raw instruction bytes or an ELF file", runAsm}
}

const asmSynopsis = "rbpf asm FILE (-o OUT [--elf] | --hex)"

func runAsm(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("asm")
	out := fs.String("o", "", "write the result to `OUT` (\"-\" for standard output)")
	asELF := fs.Bool("elf", false, "package the program as an ELF shared object rbpf can load")
	asHex := fs.Bool("hex", false, "print the bytes as hex, one instruction slot per line")
	pos, err := parse(fs, asmSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("expected one source FILE (usage: %s)", asmSynopsis)
	}
	if (*out == "") == !*asHex {
		return fmt.Errorf("give either -o OUT or --hex")
	}
	src, err := readFile(pos[0])
	if err != nil {
		return fmt.Errorf("read source: %v", trimPathError(err))
	}
	data, err := assembleFile(string(src), *asELF)
	if err != nil {
		return fmt.Errorf("%s: %v", pos[0], err)
	}
	if *asHex {
		for i := 0; i < len(data); i += 8 {
			fmt.Fprintln(stdout, hex.EncodeToString(data[i:min(i+8, len(data))]))
		}
		return nil
	}
	if *out == "-" {
		_, err = stdout.Write(data)
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return fmt.Errorf("write: %v", trimPathError(err))
	}
	return nil
}

// assembleFile turns source into instruction bytes or, with asELF, into an
// ELF file laid out like rbpf's test fixtures (see core/elf/elfbuild).
func assembleFile(src string, asELF bool) ([]byte, error) {
	if !asELF {
		return asm.Assemble(src)
	}
	spec, err := elfbuild.FromAssembly(src)
	if err != nil {
		return nil, err
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		return nil, err
	}
	return f.Bytes, nil
}
