package cfg_test

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/cfg"
)

func ExampleBuild() {
	prog, _ := asm.Assemble("mov r1, 3\nloop: sub r1, 1\njne r1, 0, loop\nexit")
	g := cfg.Build(prog, cfg.Options{})
	for _, b := range g.Blocks {
		fmt.Printf("block %d: slots %d-%d\n", b.ID, b.Start, b.End-1)
	}
	for _, e := range g.Edges {
		fmt.Printf("%d -> %d %s\n", e.From, e.To, e.Kind)
	}
	// Output:
	// block 0: slots 0-0
	// block 1: slots 1-2
	// block 2: slots 3-3
	// 0 -> 1 fallthrough
	// 1 -> 2 fallthrough
	// 1 -> 1 taken
}

func ExampleAnalyze() {
	prog, _ := asm.Assemble("jeq r1, 0, +1\nmov r0, 1\nexit")
	fmt.Print(cfg.Analyze(prog, cfg.Options{}).Disassembly())
	// Output:
	//
	// entrypoint:
	//     jeq r1, 0x0, lbb_2
	// lbb_1:
	//     mov64 r0, 0x1
	// lbb_2:
	//     exit
}
