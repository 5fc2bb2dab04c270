package provenance

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// FuzzRecorder records arbitrary bytes run as a program (calls, syscalls
// that write memory, memory errors, whatever they do) in pieces of
// varying size: the recorded slots are the trace's, each load's and
// store's address the one the traced registers give, and queries about
// every register and a few ranges at any step end in bounded chains
// whose links each explain a step before the one asked about.
func FuzzRecorder(f *testing.F) {
	seeds := [][]byte{
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Mov64Imm, Dst: 2, Imm: 5}, {Opc: ebpf.StDWReg, Dst: 10, Src: 2, Off: -8},
			{Opc: ebpf.LdDWReg, Dst: 0, Src: 10, Off: -8}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Mov64Imm, Dst: 6, Imm: 3}, {Opc: ebpf.CallImm, Imm: 0}, {Opc: ebpf.Add64Reg, Dst: 0, Src: 6},
			{Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Mov64Reg, Dst: 1, Src: 10}, {Opc: ebpf.Add64Imm, Dst: 1, Imm: -8}, {Opc: ebpf.Mov64Imm, Dst: 2, Imm: 8},
			{Opc: ebpf.CallImm, Imm: 1}, {Opc: ebpf.LdDWReg, Dst: 0, Src: 10, Off: -8}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.LdBReg, Dst: 2, Src: 1, Off: 1}, {Opc: ebpf.StBReg, Dst: 1, Src: 2}, {Opc: ebpf.LdAbsH, Imm: 0},
			{Opc: ebpf.LdIndB, Src: 2, Imm: 1}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Add64Imm, Dst: 3, Imm: 1}, {Opc: ebpf.JltImm, Dst: 3, Imm: 40, Off: -2}, {Opc: ebpf.Exit}}),
		ebpf.Encode([]ebpf.Insn{{Opc: ebpf.Mov64Imm, Dst: 0, Imm: 1}, {Opc: ebpf.Div64Reg, Dst: 0, Src: 4}}),
	}
	for i, s := range seeds {
		f.Add(s, []byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(i), uint16(i*7))
	}
	f.Fuzz(func(t *testing.T, prog, input []byte, pieces uint8, asked uint16) {
		if len(prog) > 1024 || len(input) > 256 {
			return
		}
		cfg := vm.DefaultConfig()
		cfg.EnableInstructionTracing = true
		cfg.MaxCallDepth = 4
		exe, err := vm.FromText(prog, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		exe.Syscalls = vm.NewSyscallRegistry()
		_ = exe.Syscalls.RegisterByHash(1, vm.BpfMemFrob)
		_ = exe.Syscalls.RegisterByHash(6, vm.BpfTracePrintf)
		exe.RegisterFunction(0, 0)
		opts := vm.RunOptions{Input: append([]byte(nil), input...), Budget: 300}
		full := vm.Interpreter{}.Run(exe, opts)
		opts.Input = append([]byte(nil), input...)
		m, err := vm.New(exe, opts)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRecorder(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for !m.Done() {
			if r.Step(1+int(pieces%8)) == 0 && !m.Done() {
				t.Fatal("a step executed nothing and the run goes on")
			}
			pieces = pieces*5 + 1
		}
		res := m.Result()
		if res.Executed != full.Executed || uint64(r.Steps()) != res.Executed || len(full.Trace.Log) != r.Steps() {
			t.Fatalf("recorded %d steps of %d; the plain run executed %d and traced %d", r.Steps(), res.Executed, full.Executed, len(full.Trace.Log))
		}
		mi := 0
		for i, e := range full.Trace.Log {
			if int(r.pcs.at(i)) != e.PC() {
				t.Fatalf("step %d at slot %d, traced at %d", i, r.pcs.at(i), e.PC())
			}
			in, ok := ebpf.GetInsn(prog, e.PC())
			if !ok || r.slots[e.PC()].kind != slotMem {
				continue
			}
			regs := [11]uint64(e[:11])
			addr, _ := ebpf.AccessAddr(in, &regs)
			if mi >= r.memAt.len() || int(r.memAt.at(mi)) != i || r.memAdr.at(mi) != addr {
				t.Fatalf("step %d accesses %#x; the recording has another access", i, addr)
			}
			mi++
		}
		if mi != r.memAt.len() {
			t.Fatalf("%d accesses recorded, %d traced", r.memAt.len(), mi)
		}
		at := uint64(asked) % (res.Executed + 1)
		locs := []Location{Mem(ebpf.MMStackStart+0x1000-8, 8), Mem(ebpf.MMInputStart, 8), Mem(uint64(asked)<<20, 3)}
		for reg := range 11 {
			locs = append(locs, Reg(reg))
		}
		for _, loc := range locs {
			c, err := r.Why(at, loc, Limits{MaxLinks: 64, MaxDepth: 16})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Links) == 0 || len(c.Links) > 64 {
				t.Fatalf("%s after %d: %d links", loc, at, len(c.Links))
			}
			for i, l := range c.Links {
				if l.Depth > 17 || l.Parent >= i || (l.Parent < 0) != (l.Depth == 0) || uint64(l.Step+1) > at && l.Step >= 0 {
					t.Fatalf("%s after %d: link %d is out of place:\n%s", loc, at, i, c.Text())
				}
				if l.Step >= 0 && l.Kind != KindSeen && int(r.pcs.at(l.Step)) != l.PC {
					t.Fatalf("%s after %d: link %d names slot %d of step %d", loc, at, i, l.PC, l.Step)
				}
			}
		}
	})
}

// FuzzParseQuery reads arbitrary text as a --why query: it is refused or
// names a register r0-r10 or 1 to MaxQueryBytes bytes.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"r0", "r10@end", "r3@1200", "r11", "r1@x", "0x400000000+8", "0x400000000-0x400000010@5",
		"accounts[0].data[44..46]@end", "accounts[0].data", "instruction_data", "num_accounts@0x10", "@", "r", "0x1+0"} {
		f.Add(s)
	}
	ix, err := solana.Parse([]byte(`{"program_id": "Prog111111111111111111111111111111111111111",
 "accounts": [{"pubkey": "AcctA11111111111111111111111111111111111111", "data_hex": "00112233"}], "data_hex": "0a0b"}`), solana.DefaultLimits)
	if err != nil {
		f.Fatal(err)
	}
	in := solana.Serialize(ix)
	f.Fuzz(func(t *testing.T, text string) {
		q, err := ParseQuery(text, in)
		if err != nil {
			return
		}
		if loc, _, _ := strings.Cut(text, "@"); q.Loc.IsReg() != (strings.HasPrefix(loc, "r") && !strings.Contains(loc, "@")) {
			t.Fatalf("%q read as %+v", text, q)
		}
		if q.Loc.IsReg() && q.Loc.Reg > 10 || !q.Loc.IsReg() && (q.Loc.Len == 0 || q.Loc.Len > MaxQueryBytes) {
			t.Fatalf("%q: %+v", text, q)
		}
	})
}
