package solana_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// fuzzProgram touches the input the way real programs do: it logs, reads
// the first account's lamports and data length from the aligned layout,
// moves a lamport and writes a byte when there is data, then returns the
// number of accounts as r0 (0 is success, anything else a custom error).
const fuzzProgram = `
.rodata hi "fuzz"
entrypoint:
    mov64 r6, r1
    lddw r1, hi
    mov64 r2, 4
    call sol_log_
    ldxdw r7, [r6+0]
    jeq r7, 0, done
    ldxb r2, [r6+8]
    jne r2, 0xff, done
    ldxdw r3, [r6+0x50]
    ldxdw r4, [r6+0x58]
    jeq r4, 0, done
    stxb [r6+0x60], r7
    call sol_log_compute_units_
done:
    mov64 r0, r7
    exit
`

func FuzzInstruction(f *testing.F) {
	for _, seed := range []string{
		`{"program_id": "Prog111111111111111111111111111111111111111"}`,
		`{"program_id": "Prog111111111111111111111111111111111111111", "accounts": [{"pubkey": "Prog111111111111111111111111111111111111111", "is_writable": true, "owner": "Prog111111111111111111111111111111111111111", "data_hex": "00112233"}]}`,
		`{"program_id": "Prog111111111111111111111111111111111111111", "loader": "bpf_loader_deprecated", "accounts": [{"pubkey": "SysvarC1ock11111111111111111111111111111111"}, {"pubkey": "SysvarC1ock11111111111111111111111111111111", "is_writable": true}], "data_utf8": "x"}`,
		`{"program_id": "Prog111111111111111111111111111111111111111", "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "lamports": "18446744073709551615", "data_len": 3}], "compute_units": 5}`,
	} {
		f.Add([]byte(seed))
	}
	elfFile, err := elfbuild.BuildAssembly(fuzzProgram)
	if err != nil {
		f.Fatal(err)
	}
	lim := solana.DefaultLimits
	lim.MaxTotalData, lim.MaxAccountData, lim.MaxAccounts = 1<<16, 1<<14, 16
	f.Fuzz(func(t *testing.T, doc []byte) {
		ix, err := solana.Parse(doc, lim)
		if err != nil {
			return
		}
		in := solana.Serialize(ix)
		if len(in.Bytes) != solana.SerializedSize(ix) {
			t.Fatalf("serialized %d bytes, sized %d", len(in.Bytes), solana.SerializedSize(ix))
		}
		post, err := in.Deserialize(ix, in.Bytes, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range post {
			if post[i].Lamports != ix.Accounts[i].Lamports || !bytes.Equal(post[i].Data, ix.Accounts[i].Data) || post[i].Owner != ix.Accounts[i].Owner {
				t.Fatalf("account %d changed by a round trip", i)
			}
		}
		out, err := json.Marshal(ix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := solana.Parse(out, solana.DefaultLimits); err != nil {
			t.Fatalf("written document does not parse: %v", err)
		}
		s := &runspec.Spec{Kind: runspec.KindELF, Program: elfFile.Bytes, Instruction: ix}
		r := s.Run(vm.Interpreter{})
		if r.Outcome == nil {
			t.Fatalf("runtime run without an outcome: %+v", r)
		}
		if len(r.Outcome.Accounts) != len(ix.Accounts) || len(r.Outcome.Logs) < 3 {
			t.Fatalf("outcome %+v", r.Outcome)
		}
	})
}
