package ui

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// fetchHost answers Fetch with a canned reply and keeps the request body.
type fetchHost struct {
	fakeHost
	body  []byte
	reply string
}

func (h *fetchHost) Fetch(_, _ string, body []byte) (int, []byte, error) {
	h.body = body
	return 200, []byte(h.reply), nil
}

// serverSpec is what the server makes of the speed panel's request: the
// same runspec.Spec /api/run builds, with the request's syscalls.
func serverSpec(t *testing.T, body []byte, src string) runspec.Spec {
	t.Helper()
	var req struct {
		Syscalls []runspec.Binding `json:"syscalls"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	return runspec.Spec{Kind: runspec.KindAsm, Source: src, Syscalls: req.Syscalls}
}

func names(reg *vm.SyscallRegistry) map[uint32]string {
	m := map[uint32]string{}
	for _, e := range reg.Entries() {
		m[e.Hash] = e.Func.Name
	}
	return m
}

// TestCompareSendsBrowserSyscalls checks that the server, given the speed
// panel's request, binds exactly the syscalls the browser run had, so that
// a program calling bpf_mem_frob runs there too instead of failing.
func TestCompareSendsBrowserSyscalls(t *testing.T) {
	h := &fetchHost{reply: `{"results": [{"engine": "interp", "result": 7, "instruction_count": 5,
		"timing": {"run": {"median_ns": 1000}, "insn_per_sec": 5000000}}]}`}
	a := NewApp(h)
	browser := playgroundSyscalls()
	rows, err := a.serverRun("AAAA", "01 02", 100, syscallBindings(browser))
	if err != nil || len(rows) != 1 || rows[0].Result != "r0 = 7" {
		t.Fatalf("rows %+v, err %v", rows, err)
	}
	var req map[string]any
	if err := json.Unmarshal(h.body, &req); err != nil || req["elf"] != "AAAA" || req["input"] != "0102" {
		t.Fatalf("request %s", h.body)
	}

	const prog = "mov r1, r10\nsub r1, 8\nmov r2, 8\ncall bpf_mem_frob\nmov r0, 7\nexit"
	spec := serverSpec(t, h.body, prog)
	built, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(built.Exe.Syscalls), names(browser); !maps.Equal(got, want) {
		t.Errorf("the server binds %v\nthe browser had %v", got, want)
	}
	if r := built.Run(vm.Interpreter{}); r.Error != nil || r.Value == nil || *r.Value != 7 {
		t.Errorf("bpf_mem_frob on the server: %+v", r)
	}
	// Without the bindings (as the panel sent before) the server's
	// defaults lack bpf_mem_frob: the two sides ran different programs.
	spec.Syscalls = nil
	built, err = spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	if r := built.Run(vm.Interpreter{}); r.Error == nil {
		t.Errorf("bpf_mem_frob ran without being bound: %+v", r)
	} else {
		t.Logf("without the bindings: %s", *r.Error)
	}
}
