package provenance

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// Query is a question as the CLI writes it, LOC[@STEP]: where did the
// value of LOC after STEP instructions come from.
type Query struct {
	Loc Location
	// At is STEP; End is set when STEP is "end" or left out: the state
	// the recording ends at.
	At  uint64
	End bool
}

// ParseQuery reads LOC[@STEP]. LOC is a register (r0-r10) or a range of
// memory as runspec.ParseRange reads it (0xADDR+LEN, 0xSTART-0xEND, or
// given the input of a runtime run, a field name such as
// accounts[0].data[44..46]); STEP is a count of executed instructions or
// "end" (the default).
func ParseQuery(text string, in *solana.Input) (Query, error) {
	q := Query{End: true}
	loc := text
	if i := strings.LastIndexByte(text, '@'); i >= 0 {
		loc = text[:i]
		if s := text[i+1:]; s != "end" {
			n, err := strconv.ParseUint(s, 0, 64)
			if err != nil {
				return Query{}, fmt.Errorf("%q: the step %q is not a number of instructions or end", text, s)
			}
			q.At, q.End = n, false
		}
	}
	if len(loc) >= 2 && loc[0] == 'r' && loc[1] >= '0' && loc[1] <= '9' {
		n, err := strconv.Atoi(loc[1:])
		if err != nil || n > ebpf.StackReg {
			return Query{}, fmt.Errorf("%q: %q is not a register r0 to r10", text, loc)
		}
		q.Loc = Reg(n)
		return q, nil
	}
	w, err := runspec.ParseRange(loc, in)
	if err != nil {
		return Query{}, fmt.Errorf("%q: %v", text, err)
	}
	if w.Len == 0 || w.Len > MaxQueryBytes {
		return Query{}, fmt.Errorf("%q: a range of %d bytes: ask about 1 to %d", text, w.Len, MaxQueryBytes)
	}
	q.Loc = Mem(w.Addr, w.Len)
	return q, nil
}

// Ask answers q (at the recording's end when q.End).
func (r *Recorder) Ask(q Query, lim Limits) (*Chain, error) {
	at := q.At
	if q.End {
		at = r.base + uint64(r.pcs.len())
	}
	return r.Why(at, q.Loc, lim)
}

// Text is the chain as the CLI prints it: the question, then one line per
// link indented by its depth, what the value is and, for a link that is
// an instruction, its step, slot and text.
func (c *Chain) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s after %d instructions:\n", c.Loc, paren(c.Field), c.At)
	for _, l := range c.Links {
		b.WriteString(strings.Repeat("  ", l.Depth+1))
		fmt.Fprintf(&b, "%s%s: %s", l.Loc, paren(l.Field), l.Detail)
		if l.Step >= 0 && l.PC >= 0 {
			fmt.Fprintf(&b, "  [step %d, %s: %s]", l.Step, ebpf.PCRef(l.PC), l.Insn)
		}
		b.WriteByte('\n')
	}
	if c.Truncated {
		b.WriteString("  (the chain stops at the query's limits)\n")
	}
	return b.String()
}
