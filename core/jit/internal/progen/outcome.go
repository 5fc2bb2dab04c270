package progen

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Outcome is everything observable about one run: its result (value,
// error, counts, log, watch hits, trace) and the writable memory after it.
type Outcome struct {
	Result vm.Result
	Input  []byte
	Heap   []byte
}

// Run runs the case on e.
func (g *Case) Run(e vm.Engine) (Outcome, error) {
	exe, err := g.Executable()
	if err != nil {
		return Outcome{}, err
	}
	opts := g.Options()
	o := Outcome{Result: e.Run(exe, opts), Input: opts.Input}
	if len(opts.Regions) > 0 {
		o.Heap = opts.Regions[0].Host
	}
	return o, nil
}

// Differ describes how outcome b differs from a, the reference engine's;
// "" when it does not.
func Differ(a, b Outcome) string {
	ra, rb := a.Result, b.Result
	if ErrText(ra.Err) != ErrText(rb.Err) || ra.Value != rb.Value {
		return fmt.Sprintf("result (%#x, %q) vs (%#x, %q)", ra.Value, ErrText(ra.Err), rb.Value, ErrText(rb.Err))
	}
	if ra.InstructionCount != rb.InstructionCount || ra.Executed != rb.Executed {
		return fmt.Sprintf("counts %d/%d vs %d/%d", ra.InstructionCount, ra.Executed, rb.InstructionCount, rb.Executed)
	}
	if fmt.Sprint(ra.Log) != fmt.Sprint(rb.Log) {
		return fmt.Sprintf("log %q vs %q", ra.Log, rb.Log)
	}
	if !bytes.Equal(a.Input, b.Input) || !bytes.Equal(a.Heap, b.Heap) {
		return "memory differs after the run"
	}
	if !reflect.DeepEqual(ra.WatchHits, rb.WatchHits) || ra.WatchHitsDropped != rb.WatchHitsDropped {
		return fmt.Sprintf("watch hits %+v (%d dropped) vs %+v (%d dropped)", ra.WatchHits, ra.WatchHitsDropped, rb.WatchHits, rb.WatchHitsDropped)
	}
	if (ra.Trace == nil) != (rb.Trace == nil) {
		return "one trace missing"
	}
	if ra.Trace != nil {
		if ra.Trace.Truncated != rb.Trace.Truncated {
			return fmt.Sprintf("trace truncated %v vs %v", ra.Trace.Truncated, rb.Trace.Truncated)
		}
		la, lb := ra.Trace.Log, rb.Trace.Log
		if len(la) != len(lb) {
			return fmt.Sprintf("trace lengths %d vs %d", len(la), len(lb))
		}
		for i := range la {
			if la[i] != lb[i] {
				return fmt.Sprintf("trace entry %d: %x vs %x", i, la[i], lb[i])
			}
		}
	}
	return ""
}

// ErrText is err's text, "" for nil.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
