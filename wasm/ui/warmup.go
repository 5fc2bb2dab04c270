package ui

import (
	"bytes"

	"github.com/rbpfgo/rbpfgo/core/asm"
	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
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
// them, then warms up the compiled tier's compiler (warmUpCompiler), and
// reports whether both went as expected. Call it from a goroutine once the
// page has rendered.
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
	return r.Err == nil && r.Executed == warmUpInsns && warmUpCompiler(h)
}

// warmUpCompileSource is a straight run of the instruction classes real
// programs use most, which warmUpCompiler compiles over and over: the
// compiled tier's compiler, like the interpreter, runs on V8's baseline
// code until it has run for a while, which made the first compilation of
// a 31 000-instruction program in the page take 150-180 ms against about
// 40 ms once optimised.
const warmUpCompileSource = `
	mov64 r1, 7
	mov32 r2, 9
	add64 r1, r2
	sub32 r2, 1
	mul64 r1, 3
	div64 r1, 2
	mod32 r2, 5
	or64 r1, 0x10
	and32 r2, 0xff
	xor64 r1, r2
	lsh64 r1, 3
	rsh32 r2, 1
	arsh64 r1, 2
	neg64 r1
	be32 r1
	lddw r3, 0x1122334455667788
	stxdw [r10-8], r1
	stxw [r10-12], r2
	stxh [r10-14], r2
	stxb [r10-15], r2
	stdw [r10-24], 5
	ldxdw r4, [r10-8]
	ldxw r5, [r10-12]
	ldxh r6, [r10-14]
	ldxb r7, [r10-15]
	jeq r1, 0, +1
	jne r2, r3, +1
	jgt r4, 3, +1
	jsge r5, r6, +1
	jlt r7, 9, +1
	ja +0
	mov64 r0, r1
	exit`

// warmUpCompileCopies and warmUpCompiles size the compiler's warm-up: about
// 100 000 instructions compiled in all, in turns of about 3 000.
const (
	warmUpCompileCopies = 100
	warmUpCompiles      = 32
)

// warmUpCompiler compiles warmUpCompileSource's copies warmUpCompiles
// times with the compiled tier's compiler, yielding to the browser between
// compilations, and reports whether every one succeeded.
func warmUpCompiler(h Host) bool {
	text, err := asm.Assemble(warmUpCompileSource)
	if err != nil {
		return false
	}
	exe, err := vm.FromText(bytes.Repeat(text, warmUpCompileCopies), vm.DefaultConfig(), nil)
	if err != nil {
		return false
	}
	for range warmUpCompiles {
		if _, err := wasmjit.Compile(exe); err != nil {
			return false
		}
		h.Yield()
	}
	return true
}
