//go:build !(linux && amd64)

package jit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestUnsupportedPlatform checks that the engine reports clearly that it
// cannot run here, while compiling still works.
func TestUnsupportedPlatform(t *testing.T) {
	if Supported() {
		t.Fatal("Supported() on a platform without an executor")
	}
	exe, err := vm.FromText([]byte{0x95, 0, 0, 0, 0, 0, 0, 0}, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(exe, Options{}); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if r := (Engine{}).Run(exe, vm.RunOptions{}); r.Err == nil || r.Err.Error() != "JIT not supported on this platform" {
		t.Fatalf("Run error %v", r.Err)
	}
}
