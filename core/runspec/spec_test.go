package runspec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestKeyHash(t *testing.T) {
	tests := []struct {
		key  string
		want uint32
	}{
		{"5", 5},
		{"0x10", 16},
		{"4294967295", 0xffffffff},
		{"log", 0x6bf5c3fe},        // murmur3("log"), seed 0
		{"entrypoint", 0x71e3cf81}, // rbpf's ENTRYPOINT hash
	}
	for _, tt := range tests {
		got, err := KeyHash(tt.key)
		if err != nil || got != tt.want {
			t.Errorf("KeyHash(%q) = %#x, %v; want %#x", tt.key, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "4294967296", "0xzz"} {
		if _, err := KeyHash(bad); err == nil {
			t.Errorf("KeyHash(%q) succeeded", bad)
		}
	}
}

func TestParseBinding(t *testing.T) {
	b, err := ParseBinding("0x7=bpf_sqrti")
	if err != nil || b != (Binding{Key: "0x7", Name: "bpf_sqrti"}) {
		t.Errorf("ParseBinding = %+v, %v", b, err)
	}
	for _, bad := range []string{"log", "=log", "7=", "7=nope", "9999999999=log"} {
		if _, err := ParseBinding(bad); err == nil {
			t.Errorf("ParseBinding(%q) succeeded", bad)
		}
	}
	for _, d := range DefaultSyscalls {
		if err := d.check(); err != nil {
			t.Errorf("default %+v: %v", d, err)
		}
	}
}

func TestParseFunction(t *testing.T) {
	f, err := ParseFunction("foo=12")
	if err != nil || f != (Function{Key: "foo", PC: 12}) {
		t.Errorf("ParseFunction = %+v, %v", f, err)
	}
	for _, bad := range []string{"foo", "foo=", "foo=-1", "foo=x", "=3"} {
		if _, err := ParseFunction(bad); err == nil {
			t.Errorf("ParseFunction(%q) succeeded", bad)
		}
	}
}

func TestResultJSON(t *testing.T) {
	v := uint64(42)
	ok := Result{Engine: "interp", Value: &v, InstructionCount: 3}
	b, _ := json.Marshal(ok)
	if want := `{"engine":"interp","result":42,"error":null,"instruction_count":3,"log":[]}`; string(b) != want {
		t.Errorf("ok result JSON = %s, want %s", b, want)
	}
	bad := Failed("jit", errors.New("ELF error: Failed to parse ELF file"))
	b, _ = json.Marshal(bad)
	if want := `{"engine":"jit","result":null,"error":"ELF error: Failed to parse ELF file","instruction_count":0,"log":[]}`; string(b) != want {
		t.Errorf("failed result JSON = %s, want %s", b, want)
	}
	if !strings.HasPrefix(bad.Summary(), "error: ELF error") || ok.Summary() != "result: 0x2a (42), 3 instructions" {
		t.Errorf("summaries %q / %q", ok.Summary(), bad.Summary())
	}
}

func TestAgree(t *testing.T) {
	one, two := uint64(1), uint64(2)
	e1, e2 := "a", "b"
	a := Result{Value: &one, InstructionCount: 5}
	if !Agree(a, Result{Value: &one, InstructionCount: 5}) {
		t.Error("identical results disagree")
	}
	for _, b := range []Result{
		{Value: &two, InstructionCount: 5},
		{Value: &one, InstructionCount: 6},
		{Error: &e1, InstructionCount: 5},
	} {
		if Agree(a, b) {
			t.Errorf("%+v agrees with %+v", a, b)
		}
	}
	if Agree(Result{Error: &e1}, Result{Error: &e2}) {
		t.Error("different error texts agree")
	}
	if d := Difference(a, Result{Value: &two, InstructionCount: 5}); d != "result 0x1 vs 0x2" {
		t.Errorf("difference %q", d)
	}
	if d := Difference(a, Result{Value: &one, InstructionCount: 6}); d != "instruction count 5 vs 6" {
		t.Errorf("difference %q", d)
	}
	if d := Difference(Result{Error: &e1}, a); d != "error vs result" {
		t.Errorf("difference %q", d)
	}
}
