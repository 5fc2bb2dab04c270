package runspec

import (
	"encoding/json"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// FuzzRunBytes: any instruction bytes and input give one well-formed
// result, with exactly one of result and error set, and never a panic.
func FuzzRunBytes(f *testing.F) {
	f.Add([]byte{0xb7, 0, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}, []byte{1, 2, 3}, false)
	f.Add([]byte{0x85, 0, 0, 0, 0xfe, 0xc3, 0xf5, 0x6b, 0x95, 0, 0, 0, 0, 0, 0, 0}, []byte{}, true)
	f.Fuzz(func(t *testing.T, prog, input []byte, verify bool) {
		budget := uint64(10_000)
		s := Spec{Kind: KindBytes, Program: prog, Input: input, Budget: &budget, Verify: verify, Heap: 64}
		r := s.Run(vm.Interpreter{})
		if (r.Value == nil) == (r.Error == nil) {
			t.Fatalf("result %v and error %v", r.Value, r.Error)
		}
		if r.InstructionCount > budget+1 {
			t.Fatalf("count %d over budget %d", r.InstructionCount, budget)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzRunAsm: any source text either fails to assemble with an error
// result or runs; never a panic.
func FuzzRunAsm(f *testing.F) {
	f.Add("mov r0, 1\nexit")
	f.Add("entrypoint:\ncall f\nexit\nf:\nmov r0, 2\nexit")
	f.Add("lddw r1, 0x300000000\nstb [r1], 1\nexit")
	f.Fuzz(func(t *testing.T, src string) {
		budget := uint64(10_000)
		r := (&Spec{Kind: KindAsm, Source: src, Budget: &budget}).Run(vm.Interpreter{})
		if (r.Value == nil) == (r.Error == nil) {
			t.Fatalf("result %v and error %v", r.Value, r.Error)
		}
	})
}
