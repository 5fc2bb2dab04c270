package solana

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Invocation is an instruction ready to run: its input region serialized
// once, shared by every run of it.
type Invocation struct {
	Ix     *Instruction
	Input  *Input
	Budget Budget
}

// Prepare serializes ix's input and fixes the budget.
func Prepare(ix *Instruction) *Invocation {
	b := DefaultBudget
	if ix.ComputeUnits != 0 {
		b.MaxUnits = ix.ComputeUnits
	}
	return &Invocation{Ix: ix, Input: Serialize(ix), Budget: b}
}

// HeapSize is the heap a run gets.
func (inv *Invocation) HeapSize() int {
	if inv.Ix.HeapSize > 0 {
		return inv.Ix.HeapSize
	}
	return DefaultHeapSize
}

// Config adjusts an rbpf configuration as the loader does for its
// programs: the meter on, and the budget's call depth and frame size.
func (inv *Invocation) Config(cfg vm.Config) vm.Config {
	cfg.EnableInstructionMeter = true
	cfg.MaxCallDepth = inv.Budget.MaxCallDepth
	cfg.StackFrameSize = inv.Budget.StackFrameSize
	return cfg
}

// Run is one run of an Invocation: its own copy of the input, its heap
// and its syscalls' shared state.
type Run struct {
	inv   *Invocation
	s     *session
	input []byte
	heap  []byte
}

// NewRun starts a run: the log opens with "Program <id> invoke [1]", as
// the loader logs it before executing.
func (inv *Invocation) NewRun() *Run {
	heap := make([]byte, inv.HeapSize())
	s := &session{
		ix: inv.Ix, budget: inv.Budget, logs: &LogCollector{}, aligned: inv.Ix.Loader.Aligned(),
		heap: allocator{start: ebpf.MMHeapStart, len: uint64(len(heap))},
	}
	logInvoke(s.logs, inv.Ix.ProgramID, 1)
	return &Run{inv: inv, s: s, input: append([]byte(nil), inv.Input.Bytes...), heap: heap}
}

// Options fills in what the runtime decides of a VM run: the input, the
// heap region, the budget and the syscalls bound to this run.
func (r *Run) Options(opts vm.RunOptions) vm.RunOptions {
	opts.Input = r.input
	opts.Regions = []vm.MemoryRegion{vm.NewRegion(r.heap, ebpf.MMHeapStart, 0, true)}
	opts.Budget = r.inv.Budget.MaxUnits
	opts.Bind = r.s.bind()
	return opts
}

// Input is the run's input region, as the program left it.
func (r *Run) Input() []byte { return r.input }

// Outcome is what the runtime makes of a run: the instruction's error,
// the compute units, the transaction log and the accounts after it.
type Outcome struct {
	// ProgramError is the InstructionError's Rust name ("Custom(1)",
	// "InvalidArgument"), nil on success.
	ProgramError *string `json:"program_error"`
	// ProgramErrorText is its Display text, as the log shows it.
	ProgramErrorText string `json:"program_error_text,omitempty"`
	// ComputeUnitsConsumed and ComputeUnitsBudget are the numbers of the
	// "consumed N of M compute units" line.
	ComputeUnitsConsumed uint64 `json:"compute_units_consumed"`
	ComputeUnitsBudget   uint64 `json:"compute_units_budget"`
	// Logs is the transaction log of the instruction, as the log
	// collector keeps it.
	Logs          []string `json:"logs"`
	LogsTruncated bool     `json:"logs_truncated,omitempty"`
	// Accounts are the instruction's accounts after the run; on failure
	// the runtime discards all changes, and they equal the ones before.
	Accounts []AccountResult `json:"accounts"`
	// CPI is the cross-program invocation the run stopped at.
	CPI *CPIRequest `json:"cpi,omitempty"`
	// Notes say where the run departs from a bank's: default sysvar
	// values, a stop at a cross-program invocation.
	Notes []string `json:"notes,omitempty"`
}

// AccountResult is one instruction account after the run.
type AccountResult struct {
	Pubkey     pubkey.Pubkey `json:"pubkey"`
	DupOf      *int          `json:"dup_of,omitempty"`
	IsSigner   bool          `json:"is_signer"`
	IsWritable bool          `json:"is_writable"`
	Lamports   uint64        `json:"lamports"`
	Owner      pubkey.Pubkey `json:"owner"`
	Executable bool          `json:"executable"`
	RentEpoch  uint64        `json:"rent_epoch"`
	DataHex    string        `json:"data_hex"`
	// Changed lists what differs from before: "lamports", "owner",
	// "data_len", "data".
	Changed        []string       `json:"changed"`
	LamportsBefore *uint64        `json:"lamports_before,omitempty"`
	OwnerBefore    *pubkey.Pubkey `json:"owner_before,omitempty"`
	DataLenBefore  *int           `json:"data_len_before,omitempty"`
	// ChangedRanges are the [start, end) byte ranges of data that differ.
	ChangedRanges [][2]int `json:"changed_ranges,omitempty"`
	// Discarded is set for a read-only account whose bytes the program
	// changed in the input region: the runtime did not read them back.
	Discarded bool `json:"discarded,omitempty"`
}

// Finish turns the VM's result into the runtime's outcome, as the loader
// and the message processor do after executing: the consumed-units line,
// the error from r0 or from the VM, then deserialization and the checks
// of every account's changes.
func (r *Run) Finish(res vm.Result) *Outcome {
	inv, s := r.inv, r.s
	id := inv.Ix.ProgramID
	used := res.InstructionCount
	out := &Outcome{ComputeUnitsConsumed: used, ComputeUnitsBudget: inv.Budget.MaxUnits}
	logConsumed(s.logs, id, used, inv.Budget.MaxUnits)
	post, applied := inv.Ix.Accounts, false
	var ie *InstructionError
	var se *SyscallError
	switch {
	case res.Err != nil && errors.As(res.Err, &se) && se.Kind == Invoke:
		out.CPI = se.CPI
		out.Notes = append(out.Notes, "the program stopped at a cross-program invocation of "+se.CPI.Program.String()+
			"; the release would now run that program, which needs the bank")
	case res.Err != nil && errors.As(res.Err, &ie):
		logFailure(s.logs, id, ie)
	case res.Err != nil:
		s.logs.Log("Program failed to complete: " + res.Err.Error())
		ie = NewError(ProgramFailedToComplete)
		logFailure(s.logs, id, ie)
	default:
		if ie = FromReturnValue(res.Value); ie != nil {
			logFailure(s.logs, id, ie)
			break
		}
		deser, err := inv.Input.Deserialize(inv.Ix, r.input, inv.Ix.Features.SkipRODeserialization)
		if err != nil {
			ie = &InstructionError{Kind: GenericError}
			break
		}
		logSuccess(s.logs, id)
		rent := DefaultRent
		if inv.Ix.Sysvars.Rent != nil {
			rent = *inv.Ix.Sysvars.Rent
		}
		if ie = verifyInstruction(inv.Ix, deser, rent); ie == nil {
			post, applied = deser, true
		} else {
			out.Notes = append(out.Notes, "the program returned success, then the runtime's checks of the account changes failed ("+
				ie.Name()+"); the transaction fails and no change is kept")
		}
	}
	if ie != nil {
		name := ie.Name()
		out.ProgramError, out.ProgramErrorText = &name, ie.Error()
	}
	out.Logs, out.LogsTruncated = s.logs.Messages, s.logs.Truncated()
	out.Accounts = r.accountResults(post, applied)
	for _, k := range inv.Ix.FilledSysvars {
		note := "the " + k + " sysvar account was filled in with the document's " + k + " values"
		if !inv.Ix.Sysvars.given(k) {
			note = "the " + k + " sysvar account was filled in with default values: a bank supplies the real ones (set sysvars." + k + ")"
		}
		out.Notes = append(out.Notes, note)
	}
	for _, k := range []string{"clock", "epoch_schedule", "fees", "rent"} {
		if s.sysvarsDefaulted[k] {
			out.Notes = append(out.Notes, "the program read the "+k+" sysvar, which had its default value: a bank supplies the real one (set sysvars."+k+")")
		}
	}
	return out
}

// Rejected is the outcome of an instruction whose program the loader's
// verifier refuses (VerifyProgram): the loader logs the error and fails
// with InvalidAccountData before the program runs (map_ebpf_error in
// programs/bpf_loader/src/lib.rs).
func (inv *Invocation) Rejected(err error) *Outcome {
	ie := NewError(InvalidAccountData)
	name := ie.Name()
	r := &Run{inv: inv}
	return &Outcome{
		ProgramError: &name, ProgramErrorText: ie.Error(), ComputeUnitsBudget: inv.Budget.MaxUnits,
		Logs:     []string{err.Error()},
		Accounts: r.accountResults(inv.Ix.Accounts, false),
		Notes: []string{"the loader's verifier rejects the program (" + err.Error() +
			"): v1.6.9 would refuse to deploy it, and to execute a deployed copy; run it anyway to see what it does"},
	}
}

// accountResults describes each instruction account after the run
// against its state before; applied says the run's changes were kept,
// the only case in which a read-only account's writes count as discarded.
func (r *Run) accountResults(post []Account, applied bool) []AccountResult {
	ix := r.inv.Ix
	out := make([]AccountResult, len(ix.Accounts))
	for i := range ix.Accounts {
		pre, p := &ix.Accounts[i], &post[i]
		a := AccountResult{
			Pubkey: p.Pubkey, IsSigner: pre.IsSigner, IsWritable: pre.IsWritable, Lamports: p.Lamports,
			Owner: p.Owner, Executable: p.Executable, RentEpoch: p.RentEpoch, DataHex: hex.EncodeToString(p.Data),
			Changed: []string{},
		}
		if d := firstPlace(ix.Accounts, i); d >= 0 {
			a.DupOf = &d
		}
		if pre.Lamports != p.Lamports {
			a.Changed = append(a.Changed, "lamports")
			v := pre.Lamports
			a.LamportsBefore = &v
		}
		if pre.Owner != p.Owner {
			a.Changed = append(a.Changed, "owner")
			o := pre.Owner
			a.OwnerBefore = &o
		}
		if len(pre.Data) != len(p.Data) {
			a.Changed = append(a.Changed, "data_len")
			n := len(pre.Data)
			a.DataLenBefore = &n
		}
		if a.ChangedRanges = diffRanges(pre.Data, p.Data); len(a.ChangedRanges) > 0 {
			a.Changed = append(a.Changed, "data")
		}
		a.Discarded = applied && !pre.IsWritable && r.inputChanged(i)
		out[i] = a
	}
	return out
}

// inputChanged reports whether account i's bytes in the input region
// differ from what was serialized.
func (r *Run) inputChanged(i int) bool {
	if r.input == nil {
		return false
	}
	s := r.inv.Input.slots[i]
	if s.dup >= 0 {
		return false
	}
	return !bytes.Equal(r.input[s.start:s.end], r.inv.Input.Bytes[s.start:s.end])
}

// diffRanges returns the [start, end) ranges where a and b differ, the
// tail of the longer one included.
func diffRanges(a, b []byte) [][2]int {
	var out [][2]int
	n := max(len(a), len(b))
	for i := 0; i < n; {
		if i < len(a) && i < len(b) && a[i] == b[i] {
			i++
			continue
		}
		j := i
		for j < n && !(j < len(a) && j < len(b) && a[j] == b[j]) {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

// After returns a copy of ix whose accounts are as the outcome o left
// them, for running the next instruction on the same accounts.
func (ix *Instruction) After(o *Outcome) (*Instruction, error) {
	if len(o.Accounts) != len(ix.Accounts) {
		return nil, fmt.Errorf("the outcome has %d accounts, the instruction %d", len(o.Accounts), len(ix.Accounts))
	}
	next := *ix
	next.Accounts = make([]Account, len(ix.Accounts))
	for i, a := range o.Accounts {
		data, err := hex.DecodeString(a.DataHex)
		if err != nil {
			return nil, err
		}
		acc := ix.Accounts[i]
		acc.Lamports, acc.Owner, acc.Executable, acc.RentEpoch, acc.Data = a.Lamports, a.Owner, a.Executable, a.RentEpoch, data
		next.Accounts[i] = acc
	}
	return &next, nil
}
