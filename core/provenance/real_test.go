package provenance

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/conformance"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// TestRealProgram asks where SPL Token 3.1.0's InitializeMint (the case
// of testdata/realprograms, run when SOLANA_ELF_DIR holds the binary) got
// the bytes it wrote into the mint: the decimals byte from the
// instruction data's byte 1 (through the stack and the program's
// register-packed Mint), is_initialized and the COption tag from
// constants.
func TestRealProgram(t *testing.T) {
	cases, err := conformance.LoadRuntime(conformance.RealProgramsDir)
	if err != nil {
		t.Fatal(err)
	}
	var c *conformance.RuntimeCase
	for i := range cases {
		if cases[i].Name == "spl_token_initialize_mint" {
			c = &cases[i]
		}
	}
	if c == nil {
		t.Fatal("no spl_token_initialize_mint case")
	}
	if conformance.RealProgramDir() == "" {
		t.Skip("set SOLANA_ELF_DIR to a folder holding spl_token-3.1.0.so")
	}
	specs, err := c.Specs()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := specs(0, solana.AccountState{})
	if err != nil {
		t.Fatal(err)
	}
	r, res, in := recorded(t, spec)
	if res.Err != nil || res.InstructionCount != 2834 || uint64(r.Steps()) != res.Executed {
		t.Fatalf("the run: %v, %d units, %d of %d instructions recorded", res.Err, res.InstructionCount, r.Steps(), res.Executed)
	}
	ask := func(q string) *Chain {
		t.Helper()
		pq, err := ParseQuery(q, in)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := r.Ask(pq, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Truncated {
			t.Errorf("%s: cut by the limits:\n%s", q, ch.Text())
		}
		return ch
	}
	ch := ask("accounts[0].data[44..45]")
	origins := map[string]bool{}
	for _, l := range ch.Links {
		if l.Kind == KindInput {
			origins[l.Field] = true
		}
	}
	if first := ch.Links[0]; first.Kind != KindStore || first.Insn != "stxb [r6+0x2c], r9" || !origins["instruction_data[1..2]"] {
		t.Errorf("decimals:\n%s", ch.Text())
	}
	for _, q := range []string{"accounts[0].data[45..46]", "accounts[0].data[0..4]"} {
		ch := ask(q)
		if last := ch.Links[len(ch.Links)-1]; last.Kind != KindConstant || last.Detail != "the constant 0x1" {
			t.Errorf("%s:\n%s", q, ch.Text())
		}
	}
	t.Logf("\n%s", ch.Text())
}
