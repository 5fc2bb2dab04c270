package vm

import (
	"errors"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/verifier"
)

func TestDebugText(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{NewExceededMaxInstructions(2, 10), "ExceededMaxInstructions(32, 10)"},
		{NewPCError(DivideByZero, 2), "DivideByZero(31)"},
		{NewCallOutsideTextSegment(1, 0xffffffff00000000), "CallOutsideTextSegment(30, 18446744069414584320)"},
		{NewCallDepthExceeded(3, 20), "CallDepthExceeded(31, 20)"},
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
