//go:build linux && amd64

package jit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestTraceLimit: the JIT keeps at most RunOptions.MaxTraceEntries entries
// and says it truncated exactly when the interpreter does, at limits on
// either side of its trace buffer's size (entries reach Go 1024 at a time).
func TestTraceLimit(t *testing.T) {
	text, err := asm.Assemble("mov64 r0, 0\nadd64 r0, 1\njlt r0, 1000, -2\nexit")
	if err != nil {
		t.Fatal(err)
	}
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionTracing = true
	exe, err := vm.FromText(text, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const executed = 2002
	for _, limit := range []int{0, 1, 10, traceBufferEntries - 1, traceBufferEntries, traceBufferEntries + 1,
		2 * traceBufferEntries, executed - 1, executed, executed + 1, 5000} {
		opts := vm.RunOptions{Budget: 1 << 20, MaxTraceEntries: limit}
		want := vm.Interpreter{}.Run(exe, opts)
		got := p.run(opts)
		if got.Err != nil || got.Value != 1000 || got.Executed != executed {
			t.Fatalf("limit %d: %v, %d executed", limit, got.Err, got.Executed)
		}
		wantLen := executed
		if limit > 0 && limit < executed {
			wantLen = limit
		}
		if len(want.Trace.Log) != wantLen || len(got.Trace.Log) != wantLen {
			t.Errorf("limit %d: interpreter kept %d entries, JIT %d, want %d", limit, len(want.Trace.Log), len(got.Trace.Log), wantLen)
		}
		if got.Trace.Truncated != want.Trace.Truncated || got.Trace.Truncated != (wantLen < executed) {
			t.Errorf("limit %d: truncated %v, interpreter %v", limit, got.Trace.Truncated, want.Trace.Truncated)
		}
		for i := range min(len(got.Trace.Log), len(want.Trace.Log)) {
			if got.Trace.Log[i] != want.Trace.Log[i] {
				t.Fatalf("limit %d: entry %d differs", limit, i)
			}
		}
	}
}
