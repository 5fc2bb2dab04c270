package wasmjit

import (
	"errors"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ErrUnsupported is the error of running the tier where it cannot run: on
// a platform other than js/wasm, or (in Strict mode) a run with
// watchpoints.
var ErrUnsupported = errors.New("wasm tier not supported here")

// ErrInterrupted is wrapped by the error of a run its interrupt hook
// ended (Program.RunVMInterruptible). It is not an rbpf error: rbpf has no
// such outcome.
var ErrInterrupted = errors.New("run interrupted")

// Engine runs executables with the WebAssembly tier; it implements
// vm.Engine. Each Run compiles and instantiates the executable, then runs
// it once; to run one executable many times, Load it and run the Program
// on VMs from vm.New with Program.RunVM.
//
// Where the tier cannot run a program (the run has watchpoints, the
// program is above the size limit, or the platform is not js/wasm) Run
// uses the interpreter instead, unless Strict is set: then Run reports
// the reason as the Result's error.
type Engine struct {
	// Options are the compile options of every run.
	Options Options
	// Strict turns every fallback to the interpreter into an error.
	Strict bool
}

// Name is "wasm".
func (Engine) Name() string { return "wasm" }

// Run compiles exe and runs it once with opts.
func (e Engine) Run(exe *vm.Executable, opts vm.RunOptions) vm.Result {
	if !Supported() || len(opts.Watches) > 0 {
		return e.fallback(exe, opts, ErrUnsupported)
	}
	m, err := Compile(exe, e.Options)
	if errors.Is(err, ErrTooLarge) {
		return e.fallback(exe, opts, err)
	}
	if err != nil {
		return vm.Result{Err: err}
	}
	return runModule(m, opts)
}

// fallback runs exe with the interpreter, or reports why the tier could
// not run it in Strict mode.
func (e Engine) fallback(exe *vm.Executable, opts vm.RunOptions, why error) vm.Result {
	if e.Strict {
		return vm.Result{Err: why}
	}
	return vm.Interpreter{}.Run(exe, opts)
}
