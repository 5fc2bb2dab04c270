package cfg

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func analysisProgram(t *testing.T) ([]byte, Options) {
	prog := ebpf.Encode([]ebpf.Insn{
		{Opc: ebpf.Mov64Imm, Dst: 1, Imm: 1},       // 0
		{Opc: ebpf.JeqImm, Dst: 1, Off: 2},         // 1 -> 4
		{Opc: ebpf.CallImm, Imm: 0x207559bd},       // 2 sol_log_
		{Opc: ebpf.Ja, Off: -4},                    // 3 -> 0
		{Opc: ebpf.CallImm, Imm: 0x1234},           // 4 -> function at 6
		{Opc: ebpf.Exit},                           // 5
		{Opc: ebpf.JneReg, Dst: 1, Src: 2, Off: 5}, // 6 -> 12, outside
		{Opc: ebpf.CallImm, Imm: 0x55},             // 7 unresolved
		{Opc: ebpf.Exit},                           // 8
	})
	return prog, Options{
		CallTargets: map[uint32]int{0x1234: 6},
		Syscalls:    map[uint32]string{0x207559bd: "sol_log_"},
	}
}

// The expected texts follow cli/src/main.rs of rbpf v0.2.8 step by step.
func TestAnalysisDisassembly(t *testing.T) {
	prog, opts := analysisProgram(t)
	a := Analyze(prog, opts)
	want := `
entrypoint:
    mov64 r1, 0x1
    jeq r1, 0x0, lbb_4
lbb_2:
    syscall sol_log_
    ja entrypoint
lbb_4:
    call function_6
    exit

function_6:
    jne r1, r2, lbb_12
lbb_7:
    call 55 # unresolved relocation
    exit
`
	if got := a.Disassembly(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if want := []string{`WARNING: Invalid symbol "lbb_12", pc=12`}; !reflect.DeepEqual(a.Warnings, want) {
		t.Fatalf("warnings %q", a.Warnings)
	}
	if want := []uint64{2, 4}; !reflect.DeepEqual(a.Sources[1], want) {
		t.Fatalf("sources of slot 1: %v", a.Sources[1])
	}
}

func TestAnalysisProfile(t *testing.T) {
	prog, opts := analysisProgram(t)
	a := Analyze(prog, opts)
	got := a.Profile([]int{0, 1, 2, 3, 0, 1, 4, 6, 7, 8, 5})
	want := `
entrypoint:
    # Basic block executed: 2
    mov64 r1, 0x1
    jeq r1, 0x0, lbb_4
    # Branch: 1 fall through, 1 jump
lbb_2:
    # Basic block executed: 1
    syscall sol_log_
    ja entrypoint
lbb_4:
    # Basic block executed: 1
    call function_6
    exit

function_6:
    # Basic block executed: 1
    jne r1, r2, lbb_12
    # Branch: 1 fall through, 0 jump
lbb_7:
    # Basic block executed: 1
    call 55 # unresolved relocation
    exit
`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// A trace that stops on a conditional jump counts no branch for it.
	if a.Profile([]int{0, 1}) == "" {
		t.Fatal("empty profile")
	}
}

// Quirks of the tool kept on purpose: the slot after a conditional jump
// becomes a basic block even where a function starts, and slots are
// unsigned, so a jump before the start wraps around.
func TestAnalysisQuirks(t *testing.T) {
	prog := ebpf.Encode([]ebpf.Insn{
		{Opc: ebpf.JeqImm, Dst: 1, Off: 0}, // 0 -> 1, both ways
		{Opc: ebpf.Ja, Off: -10},           // 1 -> 2^64 - 8
		{Opc: ebpf.Exit},
	})
	a := Analyze(prog, Options{Functions: map[int]string{1: "helper"}})
	if l := a.Labels[1]; l.Name != "lbb_1" || l.Function {
		t.Fatalf("label at 1: %+v", l)
	}
	want := []string{`WARNING: Invalid symbol "lbb_18446744073709551608", pc=18446744073709551608`}
	if !reflect.DeepEqual(a.Warnings, want) {
		t.Fatalf("warnings %q", a.Warnings)
	}
	if got := a.Insns[1].Desc; got != "ja lbb_18446744073709551608" {
		t.Fatalf("ja: %q", got)
	}
	if got := a.Profile([]int{0, 1}); !containsLine(got, "    # Branch: 1 fall through, 0 jump") {
		t.Fatalf("profile:\n%s", got)
	}
	if got := Analyze(nil, Options{}); len(got.Warnings) != 1 || got.Disassembly() != "" {
		t.Fatalf("empty program: %+v", got)
	}
}

func containsLine(text, line string) bool {
	return slices.Contains(strings.Split(text, "\n"), line)
}

// TestAnalysisDemangles checks that function labels read as rbpf's CLI
// prints them: rustc-demangle's default form, which keeps a legacy hash.
func TestAnalysisDemangles(t *testing.T) {
	prog := ebpf.Encode([]ebpf.Insn{
		{Opc: ebpf.CallImm, Imm: 0x1234}, // 0 -> 2
		{Opc: ebpf.Exit},                 // 1
		{Opc: ebpf.CallImm, Imm: 0x5678}, // 2 -> 4
		{Opc: ebpf.Exit},                 // 3
		{Opc: ebpf.Exit},                 // 4
	})
	a := Analyze(prog, Options{
		Functions: map[int]string{
			2: "_ZN14solana_program3log7sol_log17h4d8401486258f67dE",
			4: "_RNvCsaljjC7ZTCQu_3log6logger",
		},
		CallTargets: map[uint32]int{0x1234: 2, 0x5678: 4},
	})
	want := "\nentrypoint:\n    call solana_program::log::sol_log::h4d8401486258f67d\n    exit\n" +
		"\nsolana_program::log::sol_log::h4d8401486258f67d:\n    call log::logger\n    exit\n" +
		"\nlog::logger:\n    exit\n"
	if got := a.Disassembly(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
