//go:build linux && amd64

package jit

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/jit/internal/progen"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// loopPrograms exercise what loop alignment, short back-jumps and the
// zero-flag reuse of jeq/jne 0 change: jumps with offset 0 (to the next
// slot, forward), -1 (to themselves), back-jumps near and beyond rel8
// reach, loop heads at the entry and after an lddw, and jeq/jne 0 after
// each flag-setting ALU op, after ones that do not set ZF from the 64-bit
// result (32-bit ops, shifts, mul, mov), when the jump is itself a
// jump target and when callx enters at the jump (entered with other
// flags).
var loopPrograms = map[string]string{
	"jxx-offset-0": `
		mov64 r0, 3
		jeq r0, 3, +0
		jne r0, 0, +0
		ja +0
		jgt r0, r1, +0
		add64 r0, 1
		exit`,
	"ja-self-until-meter": `
		mov64 r0, 1
		ja -1
		exit`,
	"jne-self-until-meter": `
		mov64 r1, 5
		jne r1, 0, -1
		exit`,
	"jeq-self-not-taken": `
		mov64 r1, 5
		jeq r1, 0, -1
		mov64 r0, r1
		exit`,
	"loop-at-entry": `
		add64 r0, 1
		jlt r0, 100, -2
		exit`,
	"loop-after-lddw": `
		lddw r1, 0x100000000
		mov64 r2, 40
	loop:
		sub64 r1, 1
		sub64 r2, 1
		jne r2, 0, loop
		mov64 r0, r1
		exit`,
	"sub-jne-0": `
		mov64 r1, 50
	loop:
		add64 r0, r1
		sub64 r1, 1
		jne r1, 0, loop
		exit`,
	"add-jeq-0": `
		mov64 r1, -30
	loop:
		add64 r0, 3
		add64 r1, 1
		jeq r1, 0, +1
		ja loop
		exit`,
	"and-or-xor-neg-jeq-0": `
		mov64 r1, 0xf0
		and64 r1, 0x0f
		jeq r1, 0, +1
		mov64 r0, 1
		mov64 r2, 0
		or64 r2, r1
		jne r2, 0, +1
		add64 r0, 2
		mov64 r3, 7
		xor64 r3, 7
		jeq r3, 0, +1
		add64 r0, 4
		mov64 r4, 0
		neg64 r4
		jne r4, 0, +1
		add64 r0, 8
		exit`,
	"other-reg-and-non-flag-ops": `
		lddw r1, 0x100000000
		sub32 r1, 0
		jne r1, 0, +1
		add64 r0, 1
		mov64 r2, 0
		mov64 r3, 1
		sub64 r3, 1
		jne r2, 0, +1
		add64 r0, 2
		lddw r4, 0x8000000000000000
		lsh64 r4, 1
		jeq r4, 0, +1
		add64 r0, 4
		mov64 r5, 0
		lsh64 r5, 0
		jne r5, 0, +1
		add64 r0, 8
		mov64 r6, 1
		mul64 r6, 0
		jne r6, 0, +1
		add64 r0, 16
		mov64 r7, 1
		mov64 r7, 0
		jne r7, 0, +1
		add64 r0, 32
		exit`,
	"jne-0-is-a-target": `
		mov64 r1, 3
		mov64 r2, 0
	loop:
		sub64 r1, 1
		jeq r1, 7, +0
	test:
		jne r1, 0, loop
		add64 r2, 1
		mov64 r1, 0
		sub64 r1, 0
		jlt r2, 3, test
		mov64 r0, r2
		exit`,
	// callx may enter a segment anywhere: here right at a jeq whose
	// predecessor would have set ZF, with r3 == 0 and other flags.
	"callx-into-flag-reuse": `
		mov64 r3, 0
		lddw r2, 0x100000038
		callx 2
		mov64 r0, r4
		exit
		add64 r3, 1
		jeq r3, 0, +2
		mov64 r4, 1
		exit
		mov64 r4, 2
		exit`,
	"long-back-jump": `
		mov64 r1, 4
	loop:
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		add64 r0, 1
		stxdw [r10-8], r0
		ldxdw r0, [r10-8]
		stxdw [r10-16], r0
		ldxdw r0, [r10-16]
		stxdw [r10-24], r0
		ldxdw r0, [r10-24]
		sub64 r1, 1
		jne r1, 0, loop
		exit`,
}

// TestLoops runs each loop program on both engines at every budget up to
// past its end, traced and not, blinded and not, and requires the same
// value, error, counts and trace.
func TestLoops(t *testing.T) {
	for name, src := range loopPrograms {
		text, err := asm.Assemble(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, trace := range []bool{false, true} {
			for _, blind := range []bool{false, true} {
				cfg := vm.DefaultConfig()
				cfg.EnableInstructionTracing = trace
				exe, err := vm.FromText(text, cfg, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				p, err := Compile(exe, Options{ConstantBlinding: blind})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for budget := uint64(1); budget <= 400; budget++ {
					opts := vm.RunOptions{Budget: budget}
					want := vm.Interpreter{}.Run(exe, opts)
					got := p.run(opts)
					if msg := loopDiff(want, got); msg != "" {
						t.Fatalf("%s (trace %v, blind %v, budget %d): %s", name, trace, blind, budget, msg)
					}
				}
				p.Close()
			}
		}
	}
}

func loopDiff(want, got vm.Result) string {
	var d []string
	if progen.ErrText(want.Err) != progen.ErrText(got.Err) {
		d = append(d, "error "+progen.ErrText(got.Err)+", want "+progen.ErrText(want.Err))
	}
	if want.Err == nil && want.Value != got.Value {
		d = append(d, "value differs")
	}
	if want.InstructionCount != got.InstructionCount || want.Executed != got.Executed {
		d = append(d, "counts differ")
	}
	if (want.Trace == nil) != (got.Trace == nil) || want.Trace != nil && len(want.Trace.Log) != len(got.Trace.Log) {
		d = append(d, "traces differ")
	} else if want.Trace != nil {
		for i := range want.Trace.Log {
			if want.Trace.Log[i] != got.Trace.Log[i] {
				d = append(d, "trace entries differ")
				break
			}
		}
	}
	return strings.Join(d, "; ")
}

// TestLoopCode checks the code the loop optimisations emit: loop heads
// start at a multiple of loopAlign, a short loop's back-edge is a 2-byte
// jump, and sub64 rN, 1 followed by jne rN, 0 compiles to no compare.
func TestLoopCode(t *testing.T) {
	exe := textExe(t, loopPrograms["sub-jne-0"])
	p, err := Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.PCOffsets[1]%loopAlign != 0 {
		t.Errorf("loop head at %#x, not aligned to %d", p.PCOffsets[1], loopAlign)
	}
	jne := p.SlotCode(3)
	if len(jne.Native) != 2 || len(jne.Text) != 1 || !strings.HasPrefix(jne.Text[0], "jnz ") {
		t.Errorf("jne r1, 0 after sub64 r1, 1 compiles to %q, want one 2-byte jnz", jne.Text)
	}
	exe = textExe(t, loopPrograms["jne-0-is-a-target"])
	p, err = Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if txt := strings.Join(p.SlotCode(4).Text, "\n"); !strings.Contains(txt, "test rsi, rsi") {
		t.Errorf("jne r1, 0 at a jump target must test r1 itself:\n%s", txt)
	}
	exe = textExe(t, loopPrograms["long-back-jump"])
	p, err = Compile(exe, Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := p.SlotCode(16)
	if n := len(last.Native); n != 6 {
		t.Errorf("a back-jump beyond rel8 reach takes %d bytes, want 6: %q", n, last.Text)
	}
}
