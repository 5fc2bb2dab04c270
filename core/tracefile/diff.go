package tracefile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Difference is how two recorded runs compare, the document of
// `rbpf trace diff --json`.
type Difference struct {
	// Identical is set when the traces, their lengths and the results
	// agree.
	Identical bool `json:"identical"`
	// Steps are the two traces' lengths.
	Steps [2]int `json:"steps"`
	// Diverge is the first step whose state differs, nil when every step
	// the two traces share is the same.
	Diverge *Divergence `json:"diverge,omitempty"`
	// Prefix is "a" or "b" when that trace is a proper prefix of the
	// other (no divergence, different lengths), "" otherwise: a run
	// stopped earlier, or a trace cut at its recording limit. (vm.Compare,
	// rbpf's Tracer::compare, accepts a JIT trace longer than the
	// interpreter's; Compare reports it.)
	Prefix string `json:"prefix,omitempty"`
	// Truncated says which traces stopped recording before their run
	// ended: a difference beyond that point is not seen.
	Truncated [2]bool `json:"truncated"`
	// Result is runspec.Difference of the two results ("" when they
	// agree: value or error text, instruction count, runtime outcome).
	Result string `json:"result,omitempty"`
	// SameProgram is set when both runs ran the same program file.
	SameProgram bool `json:"same_program"`
	// Spec lists the fields of the run request that differ ("input",
	// "instruction", "budget"); the engine is Engines.
	Spec []string `json:"spec,omitempty"`
	// Engines are the engines the two runs ran on.
	Engines [2]string `json:"engines"`
}

// Divergence is the first step at which two traces differ.
type Divergence struct {
	// Step is the step's index: its state (the state before its
	// instruction) differs, so the instruction of step Step-1 (at
	// PrevPC) or what it read differs between the runs.
	Step int `json:"step"`
	// PC is the pc of each trace at Step; PCDiffers when they differ.
	PC        [2]uint64 `json:"pc"`
	PCDiffers bool      `json:"pc_differs"`
	// PrevPC is the pc of the step before, -1 at step 0.
	PrevPC int64 `json:"prev_pc"`
	// Registers are the registers that differ, in order.
	Registers []RegisterDiff `json:"registers,omitempty"`
	// A and B are the two states at Step.
	A vm.TraceEntry `json:"a"`
	B vm.TraceEntry `json:"b"`
}

// RegisterDiff is one register's two values.
type RegisterDiff struct {
	Reg int    `json:"reg"`
	A   uint64 `json:"a"`
	B   uint64 `json:"b"`
}

// Compare compares two recorded runs step by step.
func Compare(a, b *File) Difference {
	d := Difference{
		Steps:       [2]int{a.Len(), b.Len()},
		Truncated:   [2]bool{a.Truncated, b.Truncated},
		Result:      runspec.Difference(a.Result, b.Result),
		SameProgram: a.Program.SHA256 == b.Program.SHA256 && a.Program.Size == b.Program.Size,
		Spec:        specDifference(&a.Spec, &b.Spec),
		Engines:     [2]string{a.Result.Engine, b.Result.Engine},
	}
	ca, cb := a.Cursor(), b.Cursor()
	prevPC := int64(-1)
	for ca.Next() && cb.Next() {
		ea, eb := ca.Entry(), cb.Entry()
		if ea != eb {
			d.Diverge = divergence(ca.Step(), prevPC, ea, eb)
			break
		}
		prevPC = int64(ea[11])
	}
	if d.Diverge == nil && a.Len() != b.Len() {
		d.Prefix = "a"
		if b.Len() < a.Len() {
			d.Prefix = "b"
		}
	}
	d.Identical = d.Diverge == nil && d.Prefix == "" && d.Result == ""
	return d
}

func divergence(step int, prevPC int64, a, b vm.TraceEntry) *Divergence {
	v := &Divergence{Step: step, PC: [2]uint64{a[11], b[11]}, PCDiffers: a[11] != b[11], PrevPC: prevPC, A: a, B: b}
	for r := 0; r < 11; r++ {
		if a[r] != b[r] {
			v.Registers = append(v.Registers, RegisterDiff{Reg: r, A: a[r], B: b[r]})
		}
	}
	return v
}

// specDifference names the JSON fields of two run requests that differ.
func specDifference(a, b *runspec.Spec) []string {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return []string{"spec"}
	}
	var ma, mb map[string]json.RawMessage
	if json.Unmarshal(ja, &ma) != nil || json.Unmarshal(jb, &mb) != nil {
		return []string{"spec"}
	}
	var out []string
	for k, v := range ma {
		if w, ok := mb[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Summary is the difference in one paragraph of text, naming steps by
// their index and instructions by their pc and rbpf's number (ebpf.PCRef).
// f, when not nil, names the instruction at a pc (vm.TraceFormatter's
// Instruction).
func (d Difference) Summary(f func(pc uint64) string) string {
	var b bytes.Buffer
	name := func(pc uint64) string {
		s := fmt.Sprintf("pc %d", pc) // beyond any program: a damaged or foreign trace
		if pc <= math.MaxInt32 {
			s = ebpf.PCRef(int(pc))
		}
		if f != nil {
			if text := f(pc); text != "" {
				s += ": " + text
			}
		}
		return s
	}
	if !d.SameProgram {
		fmt.Fprintln(&b, "the runs are of different programs")
	}
	if len(d.Spec) > 0 {
		fmt.Fprintf(&b, "the run requests differ in: %v\n", d.Spec)
	}
	if d.Engines[0] != d.Engines[1] {
		fmt.Fprintf(&b, "engines: %s vs %s\n", d.Engines[0], d.Engines[1])
	}
	switch v := d.Diverge; {
	case v != nil:
		fmt.Fprintf(&b, "first divergence at step %d of %d vs %d:\n", v.Step, d.Steps[0], d.Steps[1])
		if v.PCDiffers {
			fmt.Fprintf(&b, "  a is at %s\n  b is at %s\n", name(v.PC[0]), name(v.PC[1]))
		} else {
			fmt.Fprintf(&b, "  both at %s\n", name(v.PC[0]))
		}
		for _, r := range v.Registers {
			fmt.Fprintf(&b, "  r%-2d a 0x%016x  b 0x%016x\n", r.Reg, r.A, r.B)
		}
		if v.PrevPC >= 0 {
			fmt.Fprintf(&b, "  after step %d at %s\n", v.Step-1, name(uint64(v.PrevPC)))
		}
	case d.Prefix != "":
		short, long := d.Steps[0], d.Steps[1]
		if d.Prefix == "b" {
			short, long = long, short
		}
		fmt.Fprintf(&b, "trace %s (%d steps) is a prefix of the other (%d steps)\n", d.Prefix, short, long)
	default:
		fmt.Fprintf(&b, "traces identical (%d steps)\n", d.Steps[0])
	}
	for i, t := range d.Truncated {
		if t {
			fmt.Fprintf(&b, "trace %c stopped recording before its run ended\n", "ab"[i])
		}
	}
	if d.Result != "" {
		fmt.Fprintf(&b, "results differ: %s\n", d.Result)
	} else {
		fmt.Fprintln(&b, "results agree")
	}
	return b.String()
}
