package jit

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ErrUnsupported is the error of running compiled code where the executor
// does not exist (anything but linux/amd64).
var ErrUnsupported = errors.New("JIT not supported on this platform")

// ErrInterrupted is wrapped by the error of a run that its interrupt hook
// ended (see Program.RunVMInterruptible). It is not an rbpf error: rbpf has
// no such outcome, and a caller that stops runs, such as a server bounding
// their wall time, reports it in its own words.
var ErrInterrupted = errors.New("run interrupted")

// interrupted is the error of a run the hook ended with cause.
func interrupted(cause error) error { return fmt.Errorf("jit: %w: %w", ErrInterrupted, cause) }

// Engine runs executables with the JIT; it implements vm.Engine. Each Run
// compiles the executable, runs it once and releases the machine code; to
// run one executable many times, Compile it and run the Program on a VM
// from vm.New with Program.RunVM.
type Engine struct {
	// Options are the compile options of every run.
	Options Options
}

// Name is "jit".
func (Engine) Name() string { return "jit" }

// Run compiles exe and runs it once with opts.
func (e Engine) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	if !Supported() {
		return vm.Result{Err: ErrUnsupported}
	}
	o := e.Options
	o.Watch = o.Watch || len(opts.Watches) > 0
	p, err := Compile(exe, o)
	if err != nil {
		return vm.Result{Err: err}
	}
	defer p.Close()
	return p.run(opts)
}

// run builds a VM for the program's executable with opts and runs the
// compiled code on it.
func (p *Program) run(opts vm.RunOptions) vm.Result {
	m, err := vm.New(p.exe, opts)
	if err != nil {
		return vm.Result{Err: err}
	}
	return p.RunVM(m)
}
