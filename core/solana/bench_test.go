package solana_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// tenAccounts is an instruction with ten writable accounts of 10 KiB.
func tenAccounts() *solana.Instruction {
	ix := &solana.Instruction{ProgramID: pubkey.BPFLoaderID, Loader: solana.LoaderBPF, Features: solana.AllFeatures()}
	for i := 0; i < 10; i++ {
		var k pubkey.Pubkey
		k[0] = byte(i + 1)
		ix.Accounts = append(ix.Accounts, solana.Account{Pubkey: k, IsWritable: true, Lamports: 1, Data: bytes.Repeat([]byte{byte(i)}, 10<<10)})
	}
	return ix
}

// BenchmarkSerialize lays out ten accounts of 10 KiB with the field map.
func BenchmarkSerialize(b *testing.B) {
	ix := tenAccounts()
	b.SetBytes(int64(solana.SerializedSize(ix)))
	for b.Loop() {
		solana.Serialize(ix)
	}
}

// BenchmarkDeserialize reads the ten accounts back.
func BenchmarkDeserialize(b *testing.B) {
	ix := tenAccounts()
	in := solana.Serialize(ix)
	for b.Loop() {
		if _, err := in.Deserialize(ix, in.Bytes, true); err != nil {
			b.Fatal(err)
		}
	}
}

// loopProgram runs n iterations of an ALU loop, with a sol_log_ of a
// 12-byte line in each when withLog is set.
func loopProgram(n int, withLog bool) string {
	var sb strings.Builder
	sb.WriteString(".rodata line \"hello, world\"\nentrypoint:\n")
	fmt.Fprintf(&sb, "    mov64 r6, %d\nloop:\n", n)
	if withLog {
		sb.WriteString("    lddw r1, line\n    mov64 r2, 12\n    call sol_log_\n")
	}
	sb.WriteString("    add64 r7, r6\n    xor64 r7, 0x55\n    sub64 r6, 1\n    jne r6, 0, loop\n    mov64 r0, 0\n    exit\n")
	return sb.String()
}

func buildLoop(b *testing.B, n int, withLog, runtime bool) *runspec.Built {
	f, err := elfbuild.BuildAssembly(loopProgram(n, withLog))
	if err != nil {
		b.Fatal(err)
	}
	s := &runspec.Spec{Kind: runspec.KindELF, Program: f.Bytes}
	if runtime {
		s.Instruction = &solana.Instruction{ProgramID: pubkey.BPFLoaderID, Loader: solana.LoaderBPF,
			Features: solana.AllFeatures(), ComputeUnits: 1 << 40}
	} else {
		budget := uint64(1 << 40)
		s.Budget = &budget
	}
	built, err := s.Build()
	if err != nil {
		b.Fatal(err)
	}
	return built
}

// BenchmarkSolLog runs 1000 sol_log_ calls per op through the runtime on
// the interpreter; ns/call is the host time of one call with its loop.
func BenchmarkSolLog(b *testing.B) {
	const calls = 1000
	built := buildLoop(b, calls, true, true)
	for b.Loop() {
		p := built.Prepare()
		r := vm.Interpreter{}.Run(built.Exe, p.Options)
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*calls), "ns/call")
}

// BenchmarkLoopBare and BenchmarkLoopRuntime run the same syscall-free
// loop of 100 000 iterations without and with an instruction: the
// difference is what the runtime adds to a run (serializing, the heap,
// binding syscalls, the outcome).
func BenchmarkLoopBare(b *testing.B)    { benchLoop(b, false) }
func BenchmarkLoopRuntime(b *testing.B) { benchLoop(b, true) }

func benchLoop(b *testing.B, runtime bool) {
	built := buildLoop(b, 100_000, false, runtime)
	for b.Loop() {
		p := built.Prepare()
		r := vm.Interpreter{}.Run(built.Exe, p.Options)
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		built.Finish("interp", p, r)
	}
}

// BenchmarkSerializeFloor is the least any serializer in Go does for the
// same instruction: allocate the region and copy the accounts' data into
// it.
func BenchmarkSerializeFloor(b *testing.B) {
	ix := tenAccounts()
	n := solana.SerializedSize(ix)
	b.SetBytes(int64(n))
	for b.Loop() {
		buf := make([]byte, n)
		off := 0
		for _, a := range ix.Accounts {
			off += copy(buf[off+96:], a.Data) + 96 + 10240
		}
	}
}
