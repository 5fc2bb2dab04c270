package provenance

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// recorded builds spec, runs it to the end under a Recorder and returns
// the Recorder, the run's result and the input's field map.
func recorded(t testing.TB, spec *runspec.Spec) (*Recorder, vm.Result, *solana.Input) {
	t.Helper()
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := b.Prepare()
	m, err := vm.New(b.Exe, p.Options)
	if err != nil {
		t.Fatal(err)
	}
	var in *solana.Input
	if b.Invocation != nil {
		in = b.Invocation.Input
	}
	r, err := NewRecorder(m, Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	return r, r.Run(), in
}

func asmSpec(src string, input []byte) *runspec.Spec {
	return &runspec.Spec{Kind: runspec.KindAsm, Source: src, Input: input}
}

// shape is a chain as "depth kind step loc" lines, for comparing.
func shape(c *Chain) string {
	var b strings.Builder
	for _, l := range c.Links {
		b.WriteString(strings.Repeat(" ", l.Depth))
		b.WriteString(string(l.Kind))
		b.WriteString(" ")
		b.WriteString(l.Loc)
		if l.Step >= 0 {
			b.WriteString(" @")
			b.WriteString(itoa(l.Step))
		}
		if l.Repeat > 0 {
			b.WriteString(" x")
			b.WriteString(itoa(l.Repeat))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestRegisterChain(t *testing.T) {
	r, res, _ := recorded(t, asmSpec(`
    mov64 r2, 5
    mov64 r3, r2
    add64 r3, r1
    mov64 r0, r3
    exit`, []byte{1}))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	c, err := r.Why(res.Executed, Reg(0), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + c.Text())
	want := `copy r0 @3
 compute r3 @2
  copy r3 @1
   constant r2 @0
  entry r1
`
	if got := shape(c); got != want {
		t.Errorf("chain\n%swant\n%s", got, want)
	}
}
