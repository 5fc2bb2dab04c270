package vm

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
)

// run assembles src, registers syscalls and functions, runs it with the
// meter budget as rbpf's tests do and returns the result.
func run(t *testing.T, src string, input []byte, budget uint64, setup func(*Executable)) Result {
	t.Helper()
	exe := mustExe(t, src, setup)
	return Interpreter{}.Run(exe, RunOptions{Input: input, Budget: budget})
}

func mustExe(t testing.TB, src string, setup func(*Executable)) *Executable {
	t.Helper()
	prog, err := asm.Assemble(src)
	if err != nil {
		t.Fatalf("assemble: %v", err)
	}
	cfg := DefaultConfig()
	cfg.EnableInstructionTracing = true
	exe, err := FromText(prog, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(exe)
	}
	return exe
}

// testSyscalls is a registry of the syscalls rbpf's test programs call:
// log and log_64 under the hashes of their names, bpf_time_getns at 5 and
// bpf_trace_printf at 6. (What a run binds by default is runspec's
// DefaultSyscalls, the one policy of the CLI, the server and the page.)
func testSyscalls() *SyscallRegistry {
	r := NewSyscallRegistry()
	for _, err := range []error{
		r.RegisterByName("log", SyscallString),
		r.RegisterByName("log_64", SyscallU64),
		r.RegisterByHash(5, BpfTimeGetNs),
		r.RegisterByHash(6, BpfTracePrintf),
	} {
		if err != nil {
			panic(err)
		}
	}
	return r
}

func withSyscall(hash uint32, fn *SyscallFunc) func(*Executable) {
	return func(e *Executable) {
		if err := e.Syscalls.RegisterByHash(hash, fn); err != nil {
			panic(err)
		}
	}
}

func expectOK(t *testing.T, r Result, value, count uint64) {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("unexpected error: %v", r.Err)
	}
	if r.Value != value {
		t.Errorf("value %#x, want %#x", r.Value, value)
	}
	if r.InstructionCount != count {
		t.Errorf("instruction count %d, want %d", r.InstructionCount, count)
	}
}

func expectErr(t *testing.T, r Result, text string, count uint64) {
	t.Helper()
	if r.Err == nil {
		t.Fatalf("no error, value %#x; want %q", r.Value, text)
	}
	if r.Err.Error() != text {
		t.Errorf("error %q, want %q", r.Err.Error(), text)
	}
	if r.InstructionCount != count {
		t.Errorf("instruction count %d, want %d", r.InstructionCount, count)
	}
}
