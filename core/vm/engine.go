package vm

// Engine runs executables: the interpreter here, the JIT in core/jit.
type Engine interface {
	// Name identifies the engine ("interpreter", "jit").
	Name() string
	// Run runs exe once with opts. Set-up failures are reported in
	// Result.Err like execution errors.
	Run(exe *Executable, opts RunOptions) Result
}

// Interpreter is the Engine that runs programs with this package's
// interpreter.
type Interpreter struct{}

// Name is "interpreter".
func (Interpreter) Name() string { return "interpreter" }

// Run builds a VM for exe and runs it to the end.
func (Interpreter) Run(exe *Executable, opts RunOptions) Result {
	vm, err := New(exe, opts)
	if err != nil {
		return Result{Err: err}
	}
	return vm.Run()
}
