package runspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/rbpfgo/rbpfgo/core/solana"
)

// Result is the outcome of one run on one engine, as printed by
// `rbpf run --json` and returned by the server.
type Result struct {
	// Engine is the engine's name ("interp", "jit").
	Engine string `json:"engine"`
	// Value is r0 at exit; nil when the run failed.
	Value *uint64 `json:"result"`
	// Error is rbpf's text for the failure; nil when the run succeeded.
	Error *string `json:"error"`
	// InstructionCount is how many instructions the meter counted.
	InstructionCount uint64 `json:"instruction_count"`
	// Log is what syscalls printed, one entry per line; never null in JSON.
	Log []string `json:"log"`
	// LogTruncated is set when the VM dropped log lines beyond its limit.
	LogTruncated bool `json:"log_truncated,omitempty"`
	// Trace is the instruction trace in rbpf's text format, when asked for.
	Trace string `json:"trace,omitempty"`
	// TraceTruncated is set when the trace stopped at Built.MaxTraceEntries.
	TraceTruncated bool `json:"trace_truncated,omitempty"`
	// WatchHits are the accesses to watched memory (Built.Watches), in
	// order; WatchHitsDropped counts those beyond Built.MaxWatchHits.
	WatchHits        []WatchHit `json:"watch_hits,omitempty"`
	WatchHitsDropped uint64     `json:"watch_hits_dropped,omitempty"`
	// WatchStopped is set when Built.WatchStop ended the run at its last
	// hit; Error then says where (vm.ErrWatchStop), and a runtime run's
	// outcome is that of a program that did not complete.
	WatchStopped bool `json:"watch_stopped,omitempty"`
	// Outcome is the runtime's verdict on a run with an instruction
	// (program_error, compute units, logs, accounts), nil otherwise; its
	// fields sit at the top level of the JSON document.
	*solana.Outcome
}

// Failed makes the Result of a run that did not start or did not finish.
func Failed(engine string, err error) Result {
	msg := err.Error()
	r := Result{Engine: engine, Error: &msg, Log: []string{}}
	var rej *Rejected
	if errors.As(err, &rej) {
		r.Outcome = rej.Outcome
	}
	return r
}

// MarshalJSON keeps Log an array even when nothing was logged.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	p := plain(r)
	if p.Log == nil {
		p.Log = []string{}
	}
	return json.Marshal(p)
}

// Summary is the one-line text form: "result: 0x2a (42), 3 instructions" or
// "error: <rbpf's text>, 3 instructions".
func (r Result) Summary() string {
	if r.WatchStopped {
		if o := r.Outcome; o != nil {
			return fmt.Sprintf("stopped at the watchpoint, %d of %d compute units", o.ComputeUnitsConsumed, o.ComputeUnitsBudget)
		}
		return fmt.Sprintf("stopped at the watchpoint, %d instructions", r.InstructionCount)
	}
	if o := r.Outcome; o != nil {
		units := fmt.Sprintf("%d of %d compute units", o.ComputeUnitsConsumed, o.ComputeUnitsBudget)
		switch {
		case o.CPI != nil:
			return "stopped at a cross-program invocation, " + units
		case o.ProgramError != nil:
			return fmt.Sprintf("program error %s (%s), %s", *o.ProgramError, o.ProgramErrorText, units)
		}
		return "success, " + units
	}
	if r.Error != nil {
		return fmt.Sprintf("error: %s, %d instructions", *r.Error, r.InstructionCount)
	}
	if r.Value == nil {
		return fmt.Sprintf("no result, %d instructions", r.InstructionCount)
	}
	return fmt.Sprintf("result: %#x (%d), %d instructions", *r.Value, *r.Value, r.InstructionCount)
}

// Failed reports whether the run failed: an error, or for a runtime run
// a program error or a stop at a cross-program invocation. A run that
// stopped at a watchpoint, as asked, has not failed.
func (r Result) Failed() bool {
	if r.WatchStopped {
		return false
	}
	return r.Error != nil || r.Outcome != nil && (r.Outcome.ProgramError != nil || r.Outcome.CPI != nil)
}

// Agree reports whether two engines' results match in value, error text and
// instruction count (the log is not compared).
func Agree(a, b Result) bool { return Difference(a, b) == "" }

// Difference says how two engines' results differ, "" when they agree:
// "result 0x1 vs 0x2", "error vs result", "error text", or
// "instruction count 5 vs 6".
func Difference(a, b Result) string {
	switch {
	case (a.Error == nil) != (b.Error == nil):
		if a.Error != nil {
			return "error vs result"
		}
		return "result vs error"
	case a.Error != nil && *a.Error != *b.Error:
		return fmt.Sprintf("error text %q vs %q", *a.Error, *b.Error)
	case a.Value != nil && b.Value != nil && *a.Value != *b.Value:
		return fmt.Sprintf("result %#x vs %#x", *a.Value, *b.Value)
	case (a.Value == nil) != (b.Value == nil):
		return "result vs no result"
	case a.InstructionCount != b.InstructionCount:
		return fmt.Sprintf("instruction count %d vs %d", a.InstructionCount, b.InstructionCount)
	case !reflect.DeepEqual(a.WatchHits, b.WatchHits) || a.WatchHitsDropped != b.WatchHitsDropped:
		return "watch hits"
	}
	return outcomeDifference(a.Outcome, b.Outcome)
}

// outcomeDifference compares the runtime outcomes of two runs: program
// error, compute units, logs and accounts.
func outcomeDifference(a, b *solana.Outcome) string {
	switch {
	case (a == nil) != (b == nil):
		return "runtime outcome on one engine only"
	case a == nil:
		return ""
	case (a.ProgramError == nil) != (b.ProgramError == nil) ||
		a.ProgramError != nil && *a.ProgramError != *b.ProgramError:
		return "program error"
	case a.ComputeUnitsConsumed != b.ComputeUnitsConsumed:
		return fmt.Sprintf("compute units %d vs %d", a.ComputeUnitsConsumed, b.ComputeUnitsConsumed)
	case !reflect.DeepEqual(a.Logs, b.Logs):
		return "logs"
	case !reflect.DeepEqual(a.Accounts, b.Accounts):
		return "accounts"
	}
	return ""
}
