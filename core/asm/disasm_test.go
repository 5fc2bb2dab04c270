package asm

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The examples in the doc comments of rbpf v0.2.8's disassembler.rs.
func TestDisassembleRbpfDocExamples(t *testing.T) {
	prog := mustHex(t, `1800000088776655 0000000044332211 9500000000000000`)
	lines := DisassembleInsns(prog)
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	l := lines[0]
	if l.Ptr != 0 || l.Opc != 0x18 || l.Name != "lddw" || l.Desc != "lddw r0, 0x1122334455667788" ||
		l.Imm != 0x1122334455667788 || l.Slots != 2 || l.Truncated {
		t.Errorf("lddw line %+v", l)
	}
	if l := lines[1]; l.Ptr != 2 || l.Name != "exit" || l.Desc != "exit" || l.Imm != 0 {
		t.Errorf("exit line %+v", l)
	}

	prog = mustHex(t, `0701000005060000 b702000032000000 bf01000000000000
		dc00000010000000 8702000000000000 9500000000000000`)
	want := "   29 add64 r1, 0x605\n   30 mov64 r2, 0x32\n   31 mov64 r1, r0\n" +
		"   32 be16 r0\n   33 neg64 r2\n   34 exit\n"
	if got := Disassemble(prog); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Rust prints negative numbers in hexadecimal as two's complement at the
// field's width, and `ja` always with a plus sign.
func TestDisassembleNegativeFields(t *testing.T) {
	cases := []struct {
		insn ebpf.Insn
		want string
	}{
		{ebpf.Insn{Opc: ebpf.Ja, Off: -3}, "ja +0xfffd"},
		{ebpf.Insn{Opc: ebpf.JeqImm, Dst: 1, Off: -5, Imm: -1}, "jeq r1, 0xffffffff, -5"},
		{ebpf.Insn{Opc: ebpf.JsgtReg, Dst: 2, Src: 3, Off: -18}, "jsgt r2, r3, -18"},
		{ebpf.Insn{Opc: ebpf.StBImm, Dst: 1, Off: -1, Imm: -2}, "stb [r1+0xffff], 0xfffffffe"},
		{ebpf.Insn{Opc: ebpf.LdDWReg, Dst: 1, Src: 10, Off: -8}, "ldxdw r1, [r10+0xfff8]"},
		{ebpf.Insn{Opc: ebpf.StWXadd, Dst: 1, Src: 2, Off: 4}, "stxxaddw [r1+0x4], r2"},
		{ebpf.Insn{Opc: ebpf.StDWXadd, Dst: 1, Src: 2}, "stxxadddw [r1+0x0], r2"},
		{ebpf.Insn{Opc: ebpf.CallImm, Imm: -1}, "call 0xffffffff"},
		{ebpf.Insn{Opc: ebpf.CallReg, Imm: 2}, "callx 0x2"},
		{ebpf.Insn{Opc: ebpf.LdIndB, Src: 3, Imm: 7}, "ldindb r3, 0x7"},
		{ebpf.Insn{Opc: ebpf.Le, Dst: 1, Imm: 8}, "le8 r1"},
		{ebpf.Insn{Opc: ebpf.Neg32, Dst: 4}, "neg32 r4"},
		{ebpf.Insn{Opc: 0x00}, "unknown opcode=0x0"},
		{ebpf.Insn{Opc: 0xff}, "unknown opcode=0xff"},
		{ebpf.Insn{Opc: 0x9d}, "unknown opcode=0x9d"},
	}
	for _, c := range cases {
		lines := DisassembleInsns(c.insn.Append(nil))
		if len(lines) != 1 || lines[0].Desc != c.want {
			t.Errorf("%v: got %+v, want %q", c.insn, lines, c.want)
		}
	}
}

// Inputs on which v0.2.8 would panic come back as text.
func TestDisassembleHostileInput(t *testing.T) {
	lines := DisassembleInsns(mustHex(t, `1801000044332211`))
	if len(lines) != 1 || !lines[0].Truncated || lines[0].Desc != "lddw r1, 0x11223344" {
		t.Fatalf("truncated lddw: %+v", lines)
	}
	lines = DisassembleInsns(mustHex(t, `9500000000000000 0102`))
	if len(lines) != 1 || lines[0].Name != "exit" {
		t.Fatalf("trailing bytes: %+v", lines)
	}
	if got := DisassembleInsns(nil); len(got) != 0 {
		t.Fatalf("empty: %+v", got)
	}
	if _, ok := DecodeAt(mustHex(t, `9500000000000000`), 1); ok {
		t.Fatal("DecodeAt past the end succeeded")
	}
	if l, ok := DecodeAt(mustHex(t, `1801000044332211 00000000 01000000`), 1); !ok || l.Desc != "unknown opcode=0x0" {
		t.Fatalf("DecodeAt on the second half of lddw: %+v", l)
	}
}

func TestDisassembleWarnsAboutSwapWidth(t *testing.T) {
	prog := ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Be, Dst: 1, Imm: 16}, {Opc: ebpf.Le, Dst: 2, Imm: 7}})
	want := "[Disassembler] Warning: Invalid offset value for le insn\n   29 be16 r1\n   30 le7 r2\n"
	if got := Disassemble(prog); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDisassembleWidePC(t *testing.T) {
	prog := make([]byte, 0, 100_001*8)
	for i := 0; i < 100_001; i++ {
		prog = ebpf.Insn{Opc: ebpf.Exit}.Append(prog)
	}
	out := Disassemble(prog)
	if !strings.HasSuffix(out, "\n100029 exit\n") || !strings.HasPrefix(out, "   29 exit\n") {
		t.Fatalf("bad widths: %q ... %q", out[:20], out[len(out)-20:])
	}
}

func TestListing(t *testing.T) {
	prog := mustHex(t, `b701000005000000 1801000044cc33dd 0000000022ee11ff
		85000000bd597520 0500fbff00000000 9500000000000000`)
	got := Listing(prog, ListingOptions{
		Labels:    map[int]string{0: "entrypoint"},
		CallNames: map[uint32]string{0x207559bd: "sol_log_"},
	})
	want := "entrypoint:\n" +
		"    0 #29     b7 01 00 00 05 00 00 00  mov64 r1, 0x5\n" +
		"    1 #30     18 01 00 00 44 cc 33 dd  lddw r1, 0xff11ee22dd33cc44\n" +
		"    2 #31     00 00 00 00 22 ee 11 ff\n" +
		"    3 #32     85 00 00 00 bd 59 75 20  call 0x207559bd ; sol_log_\n" +
		"    4 #33     05 00 fb ff 00 00 00 00  ja +0xfffb ; -> entrypoint\n" +
		"    5 #34     95 00 00 00 00 00 00 00  exit\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	got = Listing(prog[32:], ListingOptions{HideBytes: true})
	if want := "    0 #29     ja +0xfffb ; -> pc -4\n    1 #30     exit\n"; got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

// TestListingDemangles checks that a listing shows mangled Rust names
// demangled, with the raw name beside a label.
func TestListingDemangles(t *testing.T) {
	const legacy = "_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"
	prog := mustHex(t, `85000000bd597520 0500feff00000000 9500000000000000`)
	got := Listing(prog, ListingOptions{
		Labels:    map[int]string{0: legacy, 2: "_RNvCsaljjC7ZTCQu_3log6logger"},
		CallNames: map[uint32]string{0x207559bd: "_ZN14solana_program3log7sol_log17h4d8401486258f67dE"},
		HideBytes: true,
	})
	want := "spl_token::processor::Processor::process: ; " + legacy + "\n" +
		"    0 #29     call 0x207559bd ; solana_program::log::sol_log\n" +
		"    1 #30     ja +0xfffe ; -> spl_token::processor::Processor::process\n" +
		"log::logger: ; _RNvCsaljjC7ZTCQu_3log6logger\n" +
		"    2 #31     exit\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
