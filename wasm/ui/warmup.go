package ui

import (
	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// V8 compiles every WebAssembly function first with its baseline compiler
// and replaces it with optimised code only after the function has run for a
// while, compiling it in the background; a call already running keeps the
// baseline code. The interpreter's dispatch loop runs about three times
// faster once optimised, so without help the first program a visitor runs
// is the slow one. WarmUp spends a few milliseconds after the first render
// running a short loop, which is enough for V8 to start optimising the loop
// while the visitor is still reading the page.

// warmUpSource is the loop WarmUp runs: loads, stores, ALU operations and a
// conditional jump, warmUpInsns instructions in all.
const warmUpSource = `
	mov64 r1, 25000
loop:
	ldxdw r2, [r10-8]
	add64 r2, r1
	stxdw [r10-8], r2
	sub64 r1, 1
	jne r1, 0, loop
	exit`

const warmUpInsns = 1 + 5*25000 + 1

// WarmUp runs warmUpSource in slices, yielding to the browser h between
// them, and reports whether the run completed as expected. Call it from a
// goroutine once the page has rendered.
func WarmUp(h Host) bool {
	text, err := asm.Assemble(warmUpSource)
	if err != nil {
		return false
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		return false
	}
	m, err := vm.New(exe, vm.RunOptions{Budget: warmUpInsns})
	if err != nil {
		return false
	}
	for !m.Done() {
		m.Step(10_000)
		h.Yield()
	}
	r := m.Result()
	return r.Err == nil && r.Executed == warmUpInsns
}
