package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its one-line summary and the function running it.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands is filled in by each subcommand's file.
var commands = map[string]command{}

// errHelp is returned when --help was asked for; it is not a failure.
var errHelp = errors.New("help requested")

// run executes the command line args (without the program name), writing
// results to stdout and diagnostics to stderr, and returns the exit status.
// It never panics: an unexpected panic is reported as one line on stderr.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "rbpf: internal error: %s\n", oneLine(fmt.Sprint(r)))
			status = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprintln(stderr, "rbpf: no command given (try rbpf --help)")
		return 1
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rbpf: unknown command %q (try rbpf --help)\n", args[0])
		return 1
	}
	err := cmd.run(args[1:], stdout, stderr)
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errProgram):
		return 2
	default:
		fmt.Fprintf(stderr, "rbpf %s: %s\n", args[0], oneLine(err.Error()))
		return 1
	}
}

// errProgram means the command worked but the program it ran failed (or
// two engines disagreed); the outcome is already on stdout. Exit status 2
// tells it apart from a usage or input error.
var errProgram = errors.New("program failed")

// oneLine keeps an error message on a single line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rbpf COMMAND [ARGS] (rbpf COMMAND --help for its flags)")
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-7s %s\n", name, commands[name].summary)
	}
}
