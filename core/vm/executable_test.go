package vm

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/verifier"
)

func TestFromTextVerifier(t *testing.T) {
	prog := ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Div32Imm}, {Opc: ebpf.Exit}})
	_, err := FromText(prog, DefaultConfig(), verifier.Check)
	// rbpf displays a rejected program as its UserError: "VerifierError".
	var e *Error
	if !errors.As(err, &e) || e.Kind != UserError || err.Error() != "VerifierError" {
		t.Fatalf("verifier error: %v", err)
	}
	var ve *verifier.Error
	if !errors.As(err, &ve) || ve.Error() != "division by 0 (insn #0)" {
		t.Errorf("detail %v", ve)
	}
	custom := errors.New("Gaggablaghblagh!")
	if _, err := FromText(prog, DefaultConfig(), func([]byte) error { return custom }); !errors.Is(err, custom) || err.Error() != "Gaggablaghblagh!" {
		t.Errorf("custom verifier: %v", err)
	}
	if _, err := FromText(prog, DefaultConfig(), func([]byte) error { return nil }); err != nil {
		t.Error(err)
	}
}

func TestFromELF(t *testing.T) {
	data, err := os.ReadFile("../../testdata/elfs/noop.so")
	if err != nil {
		t.Skip(err)
	}
	exe, err := FromELF(data, DefaultConfig(), verifier.Check)
	if err != nil {
		t.Fatal(err)
	}
	exe.Syscalls = testSyscalls()
	r := Interpreter{}.Run(exe, RunOptions{Budget: 11})
	expectOK(t, r, 0, 11)
	if len(r.Log) != 2 || r.Log[0] != "log: entrypoint\x00" {
		t.Errorf("log %q", r.Log)
	}
	_, err = FromELF([]byte("not an elf"), DefaultConfig(), nil)
	var e *Error
	var ee *elf.Error
	if !errors.As(err, &e) || e.Kind != ElfError || !errors.As(err, &ee) || !strings.HasPrefix(err.Error(), "ELF error: ") {
		t.Errorf("bad ELF: %v", err)
	}
}

func TestNewRejectsUnusableConfig(t *testing.T) {
	for _, cfg := range []Config{{MaxCallDepth: 0, StackFrameSize: 4096}, {MaxCallDepth: 1 << 20, StackFrameSize: 1 << 20}, {MaxCallDepth: 1, StackFrameSize: -1}} {
		exe, _ := FromText(ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Exit}}), cfg, nil)
		if _, err := New(exe, RunOptions{}); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	if r := (Interpreter{}).Run(&Executable{}, RunOptions{}); r.Err == nil {
		t.Error("an executable without a program must fail")
	}
}

func TestGrantedRegionsAndOverlap(t *testing.T) {
	heap := make([]byte, 16)
	exe, _ := FromText(ebpf.Encode([]ebpf.Insn{
		{Opc: ebpf.LdDwImm, Dst: 1, Imm: 0}, {Imm: 3},
		{Opc: ebpf.StDWImm, Dst: 1, Off: 8, Imm: -1},
		{Opc: ebpf.LdDWReg, Dst: 0, Src: 1, Off: 8},
		{Opc: ebpf.Exit},
	}), DefaultConfig(), nil)
	r := Interpreter{}.Run(exe, RunOptions{Budget: 10, Regions: []MemoryRegion{NewRegion(heap, ebpf.MMHeapStart, 0, true)}})
	expectOK(t, r, ^uint64(0), 4)
	if heap[15] != 0xff {
		t.Errorf("heap not written: %x", heap)
	}
	_, err := New(exe, RunOptions{Input: []byte{1}, Regions: []MemoryRegion{NewRegion(heap, ebpf.MMInputStart-8, 0, true)}})
	if err == nil || err.Error() != "virtual address overlap 400000000" {
		t.Errorf("overlap with input: %v", err)
	}
}
