package profile

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// benchLoop runs 100 000 rounds of a 4-instruction loop that calls a
// 2-instruction function: 600 004 instructions, a call every 6.
const benchLoop = `entrypoint:
    mov r6, 100000
loop:
    call helper
    sub r6, 1
    jne r6, 0, loop
    exit
helper:
    add r0, 1
    exit
`

func benchBuilt(b *testing.B) *runspec.Built {
	built, err := (&runspec.Spec{Kind: runspec.KindAsm, Program: []byte(benchLoop)}).Build()
	if err != nil {
		b.Fatal(err)
	}
	return built
}

// BenchmarkPlain is the run without a Recorder, for comparison.
func BenchmarkPlain(b *testing.B) {
	built := benchBuilt(b)
	for b.Loop() {
		if r := (vm.Interpreter{}).Run(built.Exe, built.Prepare().Options); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

func BenchmarkRecorded(b *testing.B) {
	built := benchBuilt(b)
	for b.Loop() {
		m, err := vm.New(built.Exe, built.Prepare().Options)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := NewRecorder(m, nil)
		if err != nil {
			b.Fatal(err)
		}
		if r := rec.Run(); r.Err != nil {
			b.Fatal(r.Err)
		}
		_ = rec.Profile()
	}
}
