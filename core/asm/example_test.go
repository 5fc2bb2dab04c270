package asm_test

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/asm"
)

func ExampleAssemble() {
	prog, err := asm.Assemble(`
		mov64 r1, 0x605   # rbpf v0.2.8 syntax plus comments
		be16 r0
		exit`)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", prog[:8])
	// Output: b7 01 00 00 05 06 00 00
}

func ExampleAssemble_error() {
	_, err := asm.Assemble("exit\nadd r1, 4294967296")
	fmt.Println(err)
	fmt.Println(err.(*asm.Error).Rbpf())
	// Output:
	// line 2, column 1: Failed to encode add: Invalid immediate 4294967296
	// Failed to encode add: Invalid immediate 4294967296
}

func ExampleDisassemble() {
	prog, _ := asm.Assemble("lddw r0, 0x1122334455667788\nja -2\nexit")
	fmt.Print(asm.Disassemble(prog))
	// Output:
	//    29 lddw r0, 0x1122334455667788
	//    31 ja +0xfffe
	//    32 exit
}

func ExampleAssembleProgram() {
	p, _ := asm.AssembleProgram(`
entrypoint:
	call helper
	call sol_log_
	exit
helper:
	exit`)
	fmt.Println(p.Functions)
	for _, c := range p.ExternalCalls() {
		fmt.Printf("slot %d calls %s\n", c.PC, c.Name)
	}
	// Output:
	// map[entrypoint:0 helper:3]
	// slot 1 calls sol_log_
}
