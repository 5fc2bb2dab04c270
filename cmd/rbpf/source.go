package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// sourceFlags are the --asm / --bytes / --elf flags that name a program.
type sourceFlags struct {
	asm, bytes, elf *string
}

func addSourceFlags(fs *flag.FlagSet) *sourceFlags {
	return &sourceFlags{
		asm:   fs.String("asm", "", "assembly source `FILE`"),
		bytes: fs.String("bytes", "", "raw instruction bytes `FILE`"),
		elf:   fs.String("elf", "", "ELF shared object `FILE`"),
	}
}

// program is a program read from disk, not yet assembled or loaded.
type program struct {
	kind runspec.Kind
	path string
	data []byte
}

// resolve picks the program from the flags or, when none is set, from the
// single positional argument, whose kind is guessed from its contents. Any
// other positional argument is an error.
func (s *sourceFlags) resolve(pos []string) (*program, error) {
	var set []*program
	for _, c := range []struct {
		kind runspec.Kind
		path string
	}{{runspec.KindAsm, *s.asm}, {runspec.KindBytes, *s.bytes}, {runspec.KindELF, *s.elf}} {
		if c.path != "" {
			set = append(set, &program{kind: c.kind, path: c.path})
		}
	}
	if len(set) > 1 {
		return nil, fmt.Errorf("give only one of --asm, --bytes and --elf")
	}
	if len(set) == 0 {
		if len(pos) == 0 {
			return nil, fmt.Errorf("no program given (FILE, --asm FILE, --bytes FILE or --elf FILE)")
		}
		set = append(set, &program{path: pos[0]})
		pos = pos[1:]
	}
	if len(pos) > 0 {
		return nil, fmt.Errorf("unexpected argument %q", pos[0])
	}
	p := set[0]
	data, err := readFile(p.path)
	if err != nil {
		return nil, fmt.Errorf("read program: %v", trimPathError(err))
	}
	p.data = data
	if p.kind == "" {
		p.kind = guessKind(p.path, data)
	}
	return p, nil
}

// guessKind tells an ELF file by its magic, assembly by its extension or by
// being text, and treats anything else as raw instruction bytes.
func guessKind(path string, data []byte) runspec.Kind {
	if bytes.HasPrefix(data, []byte("\x7fELF")) {
		return runspec.KindELF
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".s", ".asm":
		return runspec.KindAsm
	case ".bin", ".o", ".so":
		return runspec.KindBytes
	}
	if len(data)%8 == 0 && bytes.IndexByte(data, 0) >= 0 {
		return runspec.KindBytes
	}
	return runspec.KindAsm
}

// trimPathError drops the Go operation name from file errors:
// "open x: no such file or directory" stays readable on one line.
func trimPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

// stdin is where a FILE of "-" is read from; tests replace it.
var stdin io.Reader = os.Stdin

// readFile reads a named file, or standard input for "-", so programs and
// inputs can be piped: rbpf asm prog.s -o - | rbpf run --bytes -.
func readFile(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}
