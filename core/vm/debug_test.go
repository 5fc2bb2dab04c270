package vm

import (
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/verifier"
)

func TestDebugText(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{newExceededMaxInstructions(2, 10), "ExceededMaxInstructions(32, 10)"},
		{newPCError(DivideByZero, 2), "DivideByZero(31)"},
		{newCallOutsideTextSegment(1, 0xffffffff00000000), "CallOutsideTextSegment(30, 18446744069414584320)"},
		{newCallDepthExceeded(3, 20), "CallDepthExceeded(31, 20)"},
		{&Error{Kind: AccessViolation, PC: 29, Access: Store, Addr: 0x100000000, Len: 1, Section: "program"}, `AccessViolation(29, Store, 4294967296, 1, "program")`},
		{&Error{Kind: StackAccessViolation, PC: 30, Access: Load, Addr: 0x200001000, Len: 8, Frame: -1}, "StackAccessViolation(30, Load, 8589938688, 8, -1)"},
		{&Error{Kind: ExitRootCallFrame}, "ExitRootCallFrame"},
		{&Error{Kind: SyscallAlreadyRegistered, Num: 7}, "SycallAlreadyRegistered(7)"},
		{WrapUser(errors.New("x")), `UserError("x")`},
	}
	for _, c := range cases {
		if got := c.err.Debug(); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
	prog := ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Div32Imm, Imm: 0}, {Opc: ebpf.Exit}})
	_, err := FromText(prog, DefaultConfig(), verifier.Check)
	if got := DebugResult(0, err); got != "Err(UserError(VerifierError(DivisionByZero(0))))" {
		t.Errorf("verifier: %q", got)
	}
	if got := DebugResult(42, nil); got != "Ok(42)" {
		t.Errorf("ok: %q", got)
	}
}

// TestVariantsTable walks every kind: each has a Display and a Debug
// format, both format without complaint with every field set, and the
// Debug names are distinct.
func TestVariantsTable(t *testing.T) {
	names := map[string]Kind{}
	for k := Kind(0); k < numKinds; k++ {
		v := variants[k]
		if v.display == "" || v.debug == "" {
			t.Errorf("kind %d: display %q, debug %q", k, v.display, v.debug)
			continue
		}
		e := &Error{Kind: k, PC: 30, Num: 4, Addr: 0x100000000, Len: 8, Access: Store, Section: "input", Frame: 1, Err: errors.New("x")}
		for _, text := range []string{e.Error(), e.Debug()} {
			if text == "" || strings.Contains(text, "%!") {
				t.Errorf("kind %d: %q", k, text)
			}
		}
		name, _, _ := strings.Cut(e.Debug(), "(")
		if prev, dup := names[name]; dup {
			t.Errorf("kinds %d and %d are both %s", prev, k, name)
		}
		names[name] = k
	}
	if got := (&Error{Kind: numKinds}).Error(); got != "unknown error kind 21" {
		t.Errorf("unknown kind: %q", got)
	}
}
