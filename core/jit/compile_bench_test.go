package jit

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// repeatedText is n copies of one instruction followed by exit.
func repeatedText(in ebpf.Insn, n int) []byte {
	insns := make([]ebpf.Insn, n+1)
	for i := range n {
		insns[i] = in
	}
	insns[n] = ebpf.Insn{Opc: ebpf.Exit}
	return ebpf.Encode(insns)
}

// BenchmarkCompileAccesses compiles 100 000 memory accesses in a row, the
// worst case for code size (each is its own meter segment with its own
// slow path), and reports the machine code per instruction.
func BenchmarkCompileAccesses(b *testing.B) {
	for _, c := range []struct {
		name string
		in   ebpf.Insn
	}{
		{"ldxdw-stack", ebpf.Insn{Opc: ebpf.LdDWReg, Dst: 0, Src: 10, Off: -8}},
		{"ldxb-input", ebpf.Insn{Opc: ebpf.LdBReg, Dst: 0, Src: 1, Off: 3}},
		{"stdw-stack", ebpf.Insn{Opc: ebpf.StDWImm, Dst: 10, Off: -8, Imm: 7}},
	} {
		const n = 100000
		exe, err := vm.FromText(repeatedText(c.in, n), vm.DefaultConfig(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				p, err := Compile(exe, Options{})
				if err != nil {
					b.Fatal(err)
				}
				size = len(p.Code)
			}
			b.ReportMetric(float64(size)/n, "code-bytes/insn")
		})
	}
}
