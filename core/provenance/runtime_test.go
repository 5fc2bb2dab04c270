package provenance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// ixDoc is an instruction with one writable account of 8 data bytes owned
// by the program and 4 bytes of instruction data.
const ixDoc = `{"program_id": "Prog111111111111111111111111111111111111111",
 "accounts": [{"pubkey": "AcctA11111111111111111111111111111111111111", "is_writable": true,
   "lamports": 1000, "owner": "Prog111111111111111111111111111111111111111", "data_hex": "0000000000000000"}],
 "data_hex": "0a0b0c0d"%s}`

// runtimeSpec makes a runtime run of the assembly src, in which {name}
// stands for the input offset of the field name.
func runtimeSpec(t *testing.T, src, extra string) *runspec.Spec {
	t.Helper()
	ix, err := solana.Parse([]byte(fmt.Sprintf(ixDoc, extra)), solana.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	in := solana.Serialize(ix)
	for {
		i := strings.IndexByte(src, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(src[i:], '}') + i
		start, _, err := in.FieldRange(src[i+1 : j])
		if err != nil {
			t.Fatal(err)
		}
		src = src[:i] + fmt.Sprint(start) + src[j+1:]
	}
	return &runspec.Spec{Kind: runspec.KindAsm, Source: src, Instruction: ix}
}

func TestInputFieldOrigin(t *testing.T) {
	r, res, in := recorded(t, runtimeSpec(t, `
    ldxb r2, [r1+{instruction_data[1..2]}]
    add64 r2, 1
    stxb [r1+{accounts[0].data[3..4]}], r2
    mov64 r0, 0
    exit`, ""))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	q, err := ParseQuery("accounts[0].data[3..4]@end", in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Ask(q, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + c.Text())
	got := shape(c)
	if want := "store " + c.Loc + " @2\n compute r2 @1\n  load r2 @0\n   input " + c.Links[3].Loc + "\n"; got != want {
		t.Fatalf("chain\n%swant\n%s", got, want)
	}
	if c.Field != "accounts[0].data[3..4]" || c.Links[0].Field != "accounts[0].data[3..4]" {
		t.Errorf("the chain names %q, its first link %q", c.Field, c.Links[0].Field)
	}
	if l := c.Links[3]; l.Field != "instruction_data[1..2]" || l.Detail != "the input as serialized, never written" {
		t.Errorf("the origin: %q %q", l.Field, l.Detail)
	}
	// Bytes of the account the program did not write.
	q, _ = ParseQuery("accounts[0].data[0..3]", in)
	c, _ = r.Ask(q, Limits{})
	if len(c.Links) != 1 || c.Links[0].Kind != KindInput || c.Links[0].Field != "accounts[0].data[0..3]" {
		t.Errorf("unwritten account data:\n%s", c.Text())
	}
}

func TestMemcpyFollowsTheSource(t *testing.T) {
	r, res, in := recorded(t, runtimeSpec(t, `
    mov64 r6, r1
    add64 r1, {accounts[0].data}
    mov64 r2, r6
    add64 r2, {instruction_data}
    mov64 r3, 4
    call sol_memcpy_
    mov64 r0, 0
    exit`, `, "features": {"memory_ops_syscalls": true}`))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	q, _ := ParseQuery("accounts[0].data[1..3]", in)
	c, err := r.Ask(q, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + c.Text())
	if got, want := shape(c), "syscall "+c.Loc+" @5\n input "+c.Links[1].Loc+"\n"; got != want {
		t.Fatalf("chain\n%swant\n%s", got, want)
	}
	if f := c.Links[1].Field; f != "instruction_data[1..3]" {
		t.Errorf("copied from %q", f)
	}
}
