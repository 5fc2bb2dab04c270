package export

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// The round trips (export, load with the suites' loaders, pass) are in
// core/conformance's export_test.go.

func TestExportRefuses(t *testing.T) {
	ix, err := solana.Parse([]byte(`{"program_id": "Prog111111111111111111111111111111111111111"}`), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		x    Run
		want string
	}{
		{"no name", Run{Spec: &runspec.Spec{Kind: runspec.KindAsm}}, "one-line name"},
		{"runtime bytes", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindBytes, Instruction: ix}}, "not raw bytes"},
		{"run anyway", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindAsm, Instruction: ix, RunAnyway: true}}, "run_anyway"},
		{"elf without name", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindELF, Instruction: ix}}, "file's name"},
		{"one syscall twice", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindAsm, Syscalls: []runspec.Binding{{Key: "9", Name: "log"}}}}, "bound under two keys"},
		{"watch stop", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindAsm}, Result: runspec.Result{WatchStopped: true}}, "watchpoints"},
		{"marker in source", Run{Name: "x", Spec: &runspec.Spec{Kind: runspec.KindAsm, Source: "-- log --\nexit"}, Result: runspec.Result{Value: new(uint64)}}, "section marker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Case(tc.x); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
