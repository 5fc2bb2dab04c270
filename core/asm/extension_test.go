package asm

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func mustAssemble(t *testing.T, src string) []byte {
	t.Helper()
	b, err := Assemble(src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return b
}

// Labels, comments and named jumps produce the bytes of the same program
// written with numeric offsets in v0.2.8's syntax.
func TestLabelsAndCommentsMatchNumericForm(t *testing.T) {
	withLabels := `
# count r1 down to zero
entrypoint:
    mov r1, 3        ; three rounds
loop:               // the body
    sub r1, 1
    lddw r2, 0x1122334455667788
    jne r1, 0, loop
    jeq r1, r2, done
    ja loop
done: exit
`
	numeric := `mov r1, 3
sub r1, 1
lddw r2, 0x1122334455667788
jne r1, 0, -4
jeq r1, r2, +1
ja -6
exit`
	got, want := mustAssemble(t, withLabels), mustAssemble(t, numeric)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
}

func TestAssembleProgram(t *testing.T) {
	p, err := AssembleProgram(`entrypoint:
  lddw r1, message
  call helper
  call sol_log_
  exit
helper:
  mov r0, 0
  exit
end:
`)
	if err != nil {
		t.Fatal(err)
	}
	wantLabels := map[string]int{"entrypoint": 0, "helper": 5, "end": 7}
	if !reflect.DeepEqual(p.Labels, wantLabels) {
		t.Errorf("labels %v", p.Labels)
	}
	if want := map[string]int{"entrypoint": 0, "helper": 5}; !reflect.DeepEqual(p.Functions, want) {
		t.Errorf("functions %v", p.Functions)
	}
	if want := []int{2, 2, 3, 4, 5, 7, 8}; !reflect.DeepEqual(p.Lines, want) {
		t.Errorf("lines %v", p.Lines)
	}
	wantCalls := []Ref{{PC: 2, Name: "helper", Line: 3, Local: true}, {PC: 3, Name: "sol_log_", Line: 4}}
	if !reflect.DeepEqual(p.Calls, wantCalls) {
		t.Errorf("calls %+v", p.Calls)
	}
	if ext := p.ExternalCalls(); len(ext) != 1 || ext[0].Name != "sol_log_" {
		t.Errorf("external calls %+v", ext)
	}
	if want := []Ref{{PC: 0, Name: "message", Line: 2}}; !reflect.DeepEqual(p.Loads, want) {
		t.Errorf("loads %+v", p.Loads)
	}
	insns := p.Insns()
	if insns[3].Opc != ebpf.CallImm || uint32(insns[3].Imm) != 0x207559bd {
		t.Errorf("call sol_log_ encoded as %v", insns[3])
	}
	if uint32(insns[2].Imm) != ebpf.HashSymbolName([]byte("helper")) {
		t.Errorf("call helper encoded as %v", insns[2])
	}
	if _, err := Assemble("lddw r1, message\nexit"); err == nil {
		t.Error("Assemble accepted an lddw of a symbol")
	}
}

func TestErrorPositions(t *testing.T) {
	cases := []struct {
		src, err string
		kind     ErrorKind
	}{
		{"exit\n  mov r1, 1\n  abcd r1", `line 3, column 3: Invalid instruction "abcd"`, EncodeError},
		{"exit\n\tadd r1, r16", "line 2, column 2: Failed to encode add: Invalid source register 16", EncodeError},
		{"mov r0, 1 # fine\nlsh r", "line 2, column 6: unexpected end of input, expected digit", ParseError},
		{"exit\nja nowhere", `line 2, column 4: undefined label "nowhere"`, ExtensionError},
		{"a:\nexit\na: exit", `line 3, column 1: label "a" is already defined on line 1`, ExtensionError},
		{"r1: exit", `line 1, column 1: label "r1" looks like a register`, ExtensionError},
		{"ja\nexit", `line 1, column 1: Failed to encode ja: Unexpected operands: []`, EncodeError},
	}
	for _, c := range cases {
		_, err := Assemble(c.src)
		var ae *Error
		if !errors.As(err, &ae) || ae.Error() != c.err || ae.Kind != c.kind {
			t.Errorf("%q: got %v, want %q", c.src, err, c.err)
		}
	}
}

// Texts v0.2.8 accepts in surprising ways keep their v0.2.8 meaning.
func TestV028Quirks(t *testing.T) {
	same := []struct{ a, b string }{
		{"exit exit", "exit\nexit"},                     // no separator needed between instructions
		{"mov r1, 2 exit", "mov r1, 2\nexit"},           // likewise after operands
		{"add r1, r99999999999999999999", "add r1, r0"}, // register numbers overflow to 0
		{"mov r1, 99999999999999999999", "mov r1, 0"},   // so do decimal numbers
		{"mov r1, 0x10000000000000000", "mov r1, 0"},    // and hexadecimal ones
		{"lddw r1, -1", "lddw r1, 0xffffffffffffffff"},
		{"ldxb r1, [r2-0x10]", "ldxb r1, [r2-16]"},
	}
	for _, c := range same {
		if a, b := mustAssemble(t, c.a), mustAssemble(t, c.b); !bytes.Equal(a, b) {
			t.Errorf("%q = %x, %q = %x", c.a, a, c.b, b)
		}
	}
	_, err := Assemble("mov r0, 0xg")
	var ae *Error
	if !errors.As(err, &ae) || ae.Rbpf() != `Invalid instruction "xg"` {
		t.Errorf("0xg: %v", err)
	}
	_, err = Assemble("add r1 , 2")
	if !errors.As(err, &ae) || ae.Kind != ParseError || ae.Column != 8 {
		t.Errorf("space before comma: %v", err)
	}
}

// Mnemonics are Unicode letters and digits as in Rust, and unexpected
// characters are quoted as Rust's Debug output quotes them.
func TestUnicode(t *testing.T) {
	cases := map[string]string{
		"exitä":               `Invalid instruction "exitä"`,
		"ex\u0345it":          "Invalid instruction \"ex\u0345it\"", // an Other_Alphabetic mark
		"exit\n\t\x01":        `Parse error at line 2 column 2: unexpected '\u{1}', expected letter or digit, expected whitespaces, expected end of input`,
		"exit\n\u00a0\u00a0'": `Parse error at line 2 column 3: unexpected '\'', expected letter or digit, expected whitespaces, expected end of input`,
	}
	for src, want := range cases {
		_, err := Assemble(src)
		var ae *Error
		if !errors.As(err, &ae) || ae.Rbpf() != want {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}
