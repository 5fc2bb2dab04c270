package conformance

import (
	"errors"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/verifier"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// FuzzVerifiedPrograms runs every program the verifier accepts on the
// interpreter: it must not panic, must be deterministic, and must never
// fail with the errors this project adds where rbpf would panic (a
// register above r10, a truncated lddw), since the verifier rules those out.
func FuzzVerifiedPrograms(f *testing.F) {
	for _, p := range ChaosPrograms(1, 64, true) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		if verifier.Check(prog) != nil {
			return
		}
		ok, err := CompareEngines(interpreter, interpreter, prog)
		if !ok || err != nil {
			t.Fatalf("accepted program %x: ran %v, %v", prog, ok, err)
		}
		budget := uint64(1024)
		b, err := (&runspec.Spec{Kind: runspec.KindBytes, Program: prog, Input: make([]byte, 64), Budget: &budget,
			Verify: true, NoDefaultSyscalls: true}).Build()
		if err != nil {
			t.Fatalf("accepted program %x does not build: %v", prog, err)
		}
		res := interpreter.Run(b.Exe, b.Prepare().Options)
		var ve *vm.Error
		if errors.As(res.Err, &ve) && (ve.Kind == vm.InvalidRegister || ve.Kind == vm.IncompleteLddw) {
			t.Fatalf("verified program %x failed with %v", prog, res.Err)
		}
	})
}
