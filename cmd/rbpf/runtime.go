package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// readInstruction reads and checks an instruction document.
func readInstruction(path string) (*solana.Instruction, error) {
	ix, _, err := readInstructionDoc(path)
	return ix, err
}

// readInstructionDoc reads and checks an instruction document and returns
// it as written too.
func readInstructionDoc(path string) (*solana.Instruction, []byte, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read instruction: %v", trimPathError(err))
	}
	ix, err := solana.Parse(b, solana.DefaultLimits)
	if err != nil {
		return nil, nil, fmt.Errorf("--instruction %s: %v", path, err)
	}
	return ix, b, nil
}

// printOutcome prints the runtime's side of a run: the log as the
// runtime writes it, then each account that changed.
func printOutcome(w io.Writer, o *solana.Outcome, before []solana.Account) {
	for _, l := range o.Logs {
		fmt.Fprintf(w, "  %s\n", l)
	}
	for _, n := range o.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if o.CPI != nil {
		fmt.Fprintf(w, "  invoke: %s of %s with %d accounts, data %x\n", o.CPI.Syscall, o.CPI.Program, len(o.CPI.Accounts), o.CPI.Data)
	}
	for i, a := range o.Accounts {
		if i >= len(before) {
			break
		}
		if a.Discarded {
			fmt.Fprintf(w, "  accounts[%d] %s: read-only; the program's writes to it were discarded\n", i, a.Pubkey)
		}
		if len(a.Changed) == 0 {
			continue
		}
		var parts []string
		if a.LamportsBefore != nil {
			parts = append(parts, fmt.Sprintf("lamports %d -> %d", *a.LamportsBefore, a.Lamports))
		}
		if a.OwnerBefore != nil {
			parts = append(parts, fmt.Sprintf("owner %s -> %s", *a.OwnerBefore, a.Owner))
		}
		if a.DataLenBefore != nil {
			parts = append(parts, fmt.Sprintf("data length %d -> %d", *a.DataLenBefore, len(a.DataHex)/2))
		}
		parts = append(parts, dataChanges(a, before[i])...)
		fmt.Fprintf(w, "  accounts[%d] %s: %s\n", i, a.Pubkey, strings.Join(parts, "; "))
	}
}

// maxShownChange is the longest changed range shown byte for byte.
const maxShownChange = 16

// dataChanges describes an account's changed data ranges: the bytes
// before and after for short ranges, the count for long ones.
func dataChanges(a solana.AccountResult, before solana.Account) []string {
	after, err := hex.DecodeString(a.DataHex)
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range a.ChangedRanges {
		lo, hi := r[0], r[1]
		if hi-lo > maxShownChange || hi > len(after) || hi > len(before.Data) {
			out = append(out, fmt.Sprintf("data[%d..%d]: %d bytes changed", lo, hi, hi-lo))
			continue
		}
		out = append(out, fmt.Sprintf("data[%d..%d]: %x -> %x", lo, hi, before.Data[lo:hi], after[lo:hi]))
	}
	return out
}

// save writes --save-instruction: the instruction document with each
// account as the first engine's run left it (unchanged when the run
// failed, since the runtime then keeps no change).
func (f *runFlags) save(results []runspec.Result) error {
	if *f.saveInstruction == "" || f.ix == nil || len(results) == 0 || results[0].Outcome == nil {
		return nil
	}
	next, err := f.ix.After(results[0].Outcome)
	if err != nil {
		return fmt.Errorf("--save-instruction: %v", err)
	}
	doc, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*f.saveInstruction, append(doc, '\n'), 0o644); err != nil {
		return fmt.Errorf("--save-instruction: %v", trimPathError(err))
	}
	return nil
}

// runSequence runs each --instruction in turn on every engine. Accounts a
// later document lists without state (only pubkey and flags) keep what the
// earlier instructions left in them, per engine; a failed instruction
// leaves them as they were. Each step gets its own results and verdict.
func (f *runFlags) runSequence(stdout, stderr io.Writer, spec *runspec.Spec, engs []vm.Engine) error {
	if *f.rbpf || *f.profile {
		return fmt.Errorf("--rbpf and --profile run one program run, not a sequence of instructions")
	}
	states := make([]solana.AccountState, len(engs))
	for k := range states {
		states[k] = solana.AccountState{}
	}
	var failed error
	var results []runspec.Result
	for i, path := range f.instructions {
		if !*f.asJSON {
			fmt.Fprintf(stdout, "== instruction %d: %s\n", i+1, path)
		}
		results = results[:0]
		var traces []*vm.Tracer
		for k, e := range engs {
			ix, err := readInstruction(path)
			if err != nil {
				return err
			}
			ix.Inherit(states[k])
			s := *spec
			s.Instruction = ix
			f.ix = ix
			built, berr := s.Build()
			if berr == nil {
				if err := f.arm(built); err != nil {
					return err
				}
			}
			r, tr := f.runOne(stdout, stderr, e, built, berr)
			if r.Outcome != nil {
				if err := states[k].Keep(ix, r.Outcome); err != nil {
					return err
				}
			}
			results, traces = append(results, r), append(traces, tr)
		}
		if err := f.verdict(stdout, results, traces); err != nil {
			failed = err
		}
	}
	if err := f.save(results); err != nil {
		return err
	}
	return failed
}
