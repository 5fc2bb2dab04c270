package exitcode

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// The exit codes. The JIT's code writes one into its context before it
// returns; the WebAssembly tier's functions return one. An exit's
// argument (an address, a register, a hash) travels beside it.
const (
	Jump           = iota // the WebAssembly tier: control passes to another chunk, never to Go
	Return                // exit in the root frame; r0 is the result
	Trip                  // the meter ran out
	Syscall               // call the syscall the argument names, then resume
	TraceFull             // flush the trace buffer, then resume
	Access                // access violation at the address in the argument
	DivZero               // division by zero
	Unsupported           // unsupported instruction
	InvalidInsn           // le/be with a width other than 16, 32, 64
	Overrun               // execution reached an index outside the text
	IncompleteLddw        // lddw in the last slot
	CallDepth             // a call exceeded the call depth
	CallOutside           // call target outside the text; the argument is its address
	BadRegister           // register (the argument, above r10) used
	Unresolved            // call imm naming nothing
	Internal              // the WebAssembly tier: a state its code cannot be in
)

// Error is the error the failing exit code stands for at pc, exactly as
// the interpreter reports it (through n, the VM's native-engine side), arg
// being the exit's argument. A code that is not a failure is an internal
// error of the engine.
func Error(code int, n vm.Native, exe *vm.Executable, pc int, arg uint64) error {
	switch code {
	case Access:
		return n.Fault(vm.AccessViolation, pc, arg)
	case DivZero:
		return n.Fault(vm.DivideByZero, pc, 0)
	case Unsupported:
		return n.Fault(vm.UnsupportedInstruction, pc, 0)
	case InvalidInsn:
		return n.Fault(vm.InvalidInstruction, pc, 0)
	case Overrun:
		return n.Fault(vm.ExecutionOverrun, pc, 0)
	case IncompleteLddw:
		return n.Fault(vm.IncompleteLddw, pc, 0)
	case CallDepth:
		return n.Fault(vm.CallDepthExceeded, pc, 0)
	case CallOutside:
		return n.Fault(vm.CallOutsideTextSegment, pc, arg)
	case BadRegister:
		return n.Fault(vm.InvalidRegister, pc, arg)
	case Unresolved:
		return exe.UnresolvedSymbolError(pc)
	}
	return fmt.Errorf("internal error: exit code %d", code)
}
