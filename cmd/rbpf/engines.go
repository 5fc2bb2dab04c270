package main

import (
	"fmt"
	"runtime"

	"github.com/rbpfgo/rbpfgo/core/jit"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// engines returns the engines a --engine value names, in the order they
// run. Only cmd/, server/ and wasm/ choose engines; this is the CLI's choice.
func engines(name string) ([]vm.Engine, error) {
	switch name {
	case "interp", "interpreter":
		return []vm.Engine{vm.Interpreter{}}, nil
	case "jit":
		j, err := jitEngine()
		if err != nil {
			return nil, err
		}
		return []vm.Engine{j}, nil
	case "both":
		j, err := jitEngine()
		if err != nil {
			return nil, err
		}
		return []vm.Engine{vm.Interpreter{}, j}, nil
	}
	return nil, fmt.Errorf("unknown engine %q (want interp, jit or both)", name)
}

// jitEngine is the x86-64 JIT when this platform can run it.
func jitEngine() (vm.Engine, error) {
	if !jit.Supported() {
		return nil, fmt.Errorf("the JIT cannot run on %s/%s: its executor exists only on linux/amd64 (use --engine interp)",
			runtime.GOOS, runtime.GOARCH)
	}
	return jit.Engine{}, nil
}
