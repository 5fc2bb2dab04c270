//go:build !(js && wasm)

package wasmjit

import (
	"errors"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestEngineOffJS checks that, off js/wasm, Engine runs programs on the
// interpreter, or reports ErrUnsupported in Strict mode.
func TestEngineOffJS(t *testing.T) {
	if Supported() {
		t.Fatal("supported off js/wasm")
	}
	exe := mustExe(t, "mov64 r0, 42\nexit")
	if r := (Engine{}).Run(exe, vm.RunOptions{Budget: 10}); r.Err != nil || r.Value != 42 || r.InstructionCount != 2 {
		t.Errorf("fallback: %+v", r)
	}
	if r := (Engine{Strict: true}).Run(exe, vm.RunOptions{Budget: 10}); !errors.Is(r.Err, ErrUnsupported) {
		t.Errorf("strict: %v", r.Err)
	}
}
