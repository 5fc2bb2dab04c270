package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// newFlags makes a flag set for a subcommand that reports errors by value
// instead of printing them and exiting.
// flagSet is the standard library's flag set, named for brevity.
type flagSet = flag.FlagSet

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args with fs, allowing flags and positional arguments to be
// interleaved (rbpf hash NAME --steps), and returns the positional ones.
// On --help it prints the synopsis and the flags to w and returns errHelp.
func parse(fs *flag.FlagSet, synopsis string, args []string, w io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(w, "usage: %s\n", synopsis)
				fs.SetOutput(w)
				fs.PrintDefaults()
				fs.SetOutput(io.Discard)
				return nil, errHelp
			}
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// multiFlag collects every value of a repeatable flag such as --syscall.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// parseUint reads a decimal or 0x-prefixed hexadecimal unsigned number.
func parseUint(s string, bits int) (uint64, error) {
	v, err := strconv.ParseUint(s, 0, bits)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
