package vm_test

import (
	"fmt"
	"os"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

func Example() {
	prog, _ := asm.Assemble(`
		ldxb r2, [r1+1]
		mov64 r1, r2
		call 0
		exit`)
	exe, _ := vm.FromText(prog, vm.DefaultConfig(), nil)
	_ = exe.Syscalls.RegisterByHash(0, vm.BpfGatherBytes)
	r := vm.Interpreter{}.Run(exe, vm.RunOptions{Input: []byte{0xaa, 0x05}, Budget: 10})
	fmt.Printf("%#x %v %d\n", r.Value, r.Err, r.InstructionCount)

	r = vm.Interpreter{}.Run(exe, vm.RunOptions{Input: []byte{0xaa, 0x05}, Budget: 2})
	fmt.Println(r.Err)
	// Output:
	// 0x505000000 <nil> 4
	// exceeded maximum number of instructions allowed (2) at instruction #31
}

func ExampleVM_Step() {
	prog, _ := asm.Assemble("mov64 r0, 1\nadd64 r0, 2\nexit")
	cfg := vm.DefaultConfig()
	cfg.EnableInstructionTracing = true
	exe, _ := vm.FromText(prog, cfg, nil)
	m, _ := vm.New(exe, vm.RunOptions{Budget: 10})
	m.Step(2)
	fmt.Println(m.PC(), m.Registers()[0], m.Done())
	r := m.Run()
	_ = r.Trace.Write(os.Stdout, prog)
	// Output:
	// 2 3 false
	//     0 [0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000200001000]    29: mov64 r0, 0x1
	//     1 [0000000000000001, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000200001000]    30: add64 r0, 0x2
	//     2 [0000000000000003, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000000000000, 0000000200001000]    31: exit
}
