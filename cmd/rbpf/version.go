package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/rbpfgo/rbpfgo/core/jit"
)

func init() {
	commands["version"] = command{"the reference version, the build and whether the JIT can run here", runVersion}
}

// reference is the rbpf release whose behaviour this project reproduces.
const reference = "rbpf v0.2.8"

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version")
	pos, err := parse(fs, "rbpf version", args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	rev := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	jitText := "JIT executor available"
	if !jit.Supported() {
		jitText = "JIT executor not available (interpreter only)"
	}
	fmt.Fprintf(stdout, "rbpfgo behaving as %s\nbuild %s, %s, %s/%s\n%s\n",
		reference, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH, jitText)
	return nil
}
