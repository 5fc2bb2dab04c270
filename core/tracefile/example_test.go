package tracefile_test

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// A run recorded, written, read back and stepped without running again,
// then compared with a run on another input: what the playground does
// with a dropped trace file.
func Example() {
	record := func(input byte) []byte {
		spec := &runspec.Spec{Kind: runspec.KindAsm, Source: "ldxb r0, [r1+0]\nadd64 r0, 1\nexit", Input: []byte{input}, Trace: true}
		b, err := spec.Build()
		if err != nil {
			panic(err)
		}
		p := b.Prepare()
		vr := vm.Interpreter{}.Run(b.Exe, p.Options)
		f, err := tracefile.New(tracefile.Run{Name: "inc.s", Spec: spec, Result: b.Finish("interp", p, vr), Trace: vr.Trace})
		if err != nil {
			panic(err)
		}
		data, err := f.Bytes()
		if err != nil {
			panic(err)
		}
		return data
	}

	a, err := tracefile.Decode(record(41), tracefile.DefaultLimits)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Program.Name, a.Result.Summary())
	for i := 0; i < a.Len(); i++ {
		e, _ := a.Entry(i)
		fmt.Printf("step %d: pc %d r0 %d\n", i, e.PC(), e[0])
	}
	b, _ := tracefile.Decode(record(7), tracefile.DefaultLimits)
	d := tracefile.Compare(a, b)
	fmt.Printf("first divergence at step %d in r%d: %d vs %d\n", d.Diverge.Step, d.Diverge.Registers[0].Reg, d.Diverge.Registers[0].A, d.Diverge.Registers[0].B)
	// Output:
	// inc.s result: 0x2a (42), 3 instructions
	// step 0: pc 0 r0 0
	// step 1: pc 1 r0 41
	// step 2: pc 2 r0 42
	// first divergence at step 1 in r0: 41 vs 7
}
