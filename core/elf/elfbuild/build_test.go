package elfbuild

import (
	"os"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
)

func insns(list ...ebpf.Insn) []byte { return ebpf.Encode(list) }

// noopSpec is a program shaped like rbpf's noop fixture: an lddw of
// .rodata, two syscalls and an exit.
func noopSpec() Spec {
	text := insns(
		ebpf.Insn{Opc: 0x18, Dst: 1}, ebpf.Insn{},
		ebpf.Insn{Opc: 0xb7, Dst: 2, Imm: 5},
		ebpf.Insn{Opc: 0x85, Src: 1, Imm: -1},
		ebpf.Insn{Opc: 0xb7, Dst: 0},
		ebpf.Insn{Opc: 0x95},
	)
	return Spec{
		Text: text, ROData: []byte("hello"), Entry: "entrypoint",
		Functions: []Function{{Name: "entrypoint", PC: 0}},
		Calls:     []Call{{PC: 3, Name: "log"}},
		Loads:     []Load{{PC: 0}},
	}
}

func TestBuildLoads(t *testing.T) {
	f, err := Build(noopSpec())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/eb/noop.so", f.Bytes, 0o644)
	p, err := elf.Load(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", p.ROSections)
}
