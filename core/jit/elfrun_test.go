//go:build linux && amd64

package jit

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// elfExecutable loads data as rbpf's loader would, with the deterministic
// syscalls of the generated programs and the `log` family bound by name
// (what the ELF fixtures call), and tracing when cfgByte says so. The
// meter stays on: nothing else would bound a loop in a mutated file.
func elfExecutable(data []byte, cfgByte byte) (*vm.Executable, error) {
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionTracing = cfgByte&1 != 0
	exe, err := vm.FromELF(data, cfg, nil)
	if err != nil {
		return nil, err
	}
	byName := map[string]*vm.SyscallFunc{"log": vm.SyscallString, "log_64": vm.SyscallU64}
	for name, fn := range byName {
		if err := exe.Syscalls.RegisterByHash(ebpf.HashSymbolName([]byte(name)), fn); err != nil {
			return nil, err
		}
	}
	for _, sc := range progen.Syscalls {
		if sc.Fn == vm.SyscallString || sc.Fn == vm.SyscallU64 {
			continue // a registry binds each function once, as rbpf's
		}
		if err := exe.Syscalls.RegisterByHash(sc.Hash, sc.Fn); err != nil {
			return nil, err
		}
	}
	return exe, nil
}

// checkELF runs an ELF file that loads on both engines (the JIT with
// constant blinding when cfgByte&4 says so) and requires the same outcome.
func checkELF(t *testing.T, cfgByte byte, data []byte) {
	exe, err := elfExecutable(data, cfgByte)
	if err != nil {
		return
	}
	opts := func() vm.RunOptions {
		input := make([]byte, 64)
		for i := range input {
			input[i] = byte(i)
		}
		return vm.RunOptions{Input: input, Budget: 1 << 14, MaxTraceEntries: 1 << 12}
	}
	oa, ob := opts(), opts()
	a := progen.Outcome{Result: vm.Interpreter{}.Run(exe, oa), Input: oa.Input}
	b := progen.Outcome{Result: Engine{Options: Options{ConstantBlinding: cfgByte&4 != 0}}.Run(exe, ob), Input: ob.Input}
	if d := progen.Differ(a, b); d != "" {
		t.Fatalf("interpreter and JIT differ on an ELF file: %s", d)
	}
}

// FuzzELFRun mutates the ELF fixtures (testdata/elfs), loads each input as
// rbpf's loader would and runs what loads on both engines.
func FuzzELFRun(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "elfs", "*.so"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(byte(0), data)
		f.Add(byte(5), data)
	}
	f.Fuzz(func(t *testing.T, cfgByte byte, data []byte) { checkELF(t, cfgByte, data) })
}

// TestELFFixturesBothEngines runs every fixture through checkELF in each
// configuration, so that plain `go test` covers the fuzz target's path.
func TestELFFixturesBothEngines(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "elfs", "*.so"))
	if len(files) < 5 {
		t.Fatalf("found %d ELF fixtures", len(files))
	}
	loaded := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := elfExecutable(data, 0); err == nil {
			loaded++
		}
		for c := byte(0); c < 8; c++ {
			checkELF(t, c, data)
		}
	}
	if loaded < 5 {
		t.Errorf("only %d fixtures load", loaded)
	}
}
