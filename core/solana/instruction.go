package solana

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

// Instruction is one instruction to run as the runtime would: the program,
// its accounts and data, the loader that owns the program and the values
// the sysvar syscalls return. It is the JSON document the CLI
// (--instruction), the API ("instruction") and the playground share; Parse
// reads and checks it.
type Instruction struct {
	ProgramID pubkey.Pubkey `json:"program_id"`
	// Loader is the program's owner, which picks the input layout:
	// LoaderBPF (aligned) or LoaderDeprecated (unaligned).
	Loader   Loader    `json:"loader"`
	Accounts []Account `json:"accounts"`
	Data     []byte    `json:"-"`
	// Sysvars are what sol_get_*_sysvar return; nil fields use defaults.
	Sysvars Sysvars `json:"sysvars"`
	// ComputeUnits is the budget (0: the release's 200 000).
	ComputeUnits uint64 `json:"compute_units,omitempty"`
	// HeapSize is the heap at MM_HEAP_START (0: the release's 32 KiB).
	HeapSize int `json:"heap_size,omitempty"`
	// Features switches runtime features off or on (see Features).
	Features Features `json:"features"`
	// FilledSysvars names the sysvar accounts Parse filled in from
	// Sysvars because the document gave them no contents.
	FilledSysvars []string `json:"-"`
}

// Account is one account the instruction passes, in instruction order. The
// same pubkey twice is one account passed twice: the runtime serializes
// it once and marks the later places as duplicates; their own fields are
// ignored.
type Account struct {
	Pubkey     pubkey.Pubkey `json:"pubkey"`
	IsSigner   bool          `json:"is_signer"`
	IsWritable bool          `json:"is_writable"`
	Lamports   uint64        `json:"lamports"`
	Owner      pubkey.Pubkey `json:"owner"`
	Executable bool          `json:"executable"`
	RentEpoch  uint64        `json:"rent_epoch"`
	Data       []byte        `json:"-"`
	// stateGiven records that the document gave any of lamports, owner,
	// executable, rent_epoch or data; an account without them can take
	// its state from earlier instructions (Inherit).
	stateGiven bool
}

// Loader names the program's loader.
type Loader string

// The two loaders whose programs rbpf v0.2.8 runs.
const (
	LoaderBPF        Loader = "bpf_loader"            // BPFLoader2111…: aligned input
	LoaderDeprecated Loader = "bpf_loader_deprecated" // BPFLoader1111…: unaligned input
)

// ID is the loader's program id.
func (l Loader) ID() pubkey.Pubkey {
	if l == LoaderDeprecated {
		return pubkey.BPFLoaderDeprecatedID
	}
	return pubkey.BPFLoaderID
}

// Aligned reports whether the loader serializes the aligned layout.
func (l Loader) Aligned() bool { return l != LoaderDeprecated }

// Limits bound what a document may ask for, checked before anything is
// allocated.
type Limits struct {
	MaxAccounts     int // accounts in the instruction
	MaxAccountData  int // bytes of one account's data
	MaxTotalData    int // bytes of all accounts' data together
	MaxInstruction  int // bytes of instruction data
	MaxHeap         int // heap_size
	MaxComputeUnits uint64
}

// DefaultLimits are the CLI's. The dup marker is a byte, so an instruction
// cannot name more than 255 earlier accounts; 10 MiB is the largest
// account the runtime of the time allowed (MAX_PERMITTED_DATA_LENGTH came
// later with the same value).
var DefaultLimits = Limits{
	MaxAccounts:     255,
	MaxAccountData:  10 << 20,
	MaxTotalData:    64 << 20,
	MaxInstruction:  1 << 20,
	MaxHeap:         256 << 10,
	MaxComputeUnits: 1 << 40,
}

// FieldError is a document error at a JSON path ("accounts[1].pubkey").
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

func fieldErr(path, format string, args ...any) *FieldError {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// wire is the document as written: byte fields in one of several
// encodings, u64s as numbers or strings.
type wire struct {
	ProgramID    *string           `json:"program_id"`
	Loader       *string           `json:"loader"`
	Accounts     []json.RawMessage `json:"accounts"`
	DataHex      *string           `json:"data_hex"`
	DataBase58   *string           `json:"data_base58"`
	DataBase64   *string           `json:"data_base64"`
	DataUTF8     *string           `json:"data_utf8"`
	Sysvars      json.RawMessage   `json:"sysvars"`
	ComputeUnits json.RawMessage   `json:"compute_units"`
	HeapSize     json.RawMessage   `json:"heap_size"`
	Features     json.RawMessage   `json:"features"`
}

type wireAccount struct {
	Pubkey     *string         `json:"pubkey"`
	IsSigner   bool            `json:"is_signer"`
	IsWritable bool            `json:"is_writable"`
	Lamports   json.RawMessage `json:"lamports"`
	Owner      *string         `json:"owner"`
	Executable bool            `json:"executable"`
	RentEpoch  json.RawMessage `json:"rent_epoch"`
	DataHex    *string         `json:"data_hex"`
	DataBase64 *string         `json:"data_base64"`
	DataLen    json.RawMessage `json:"data_len"`
}

// Parse reads an instruction document, checking every field against lim
// before allocating for it. Its errors name the field by its JSON path.
func Parse(doc []byte, lim Limits) (*Instruction, error) {
	var w wire
	if err := strictDecode(doc, &w); err != nil {
		return nil, fmt.Errorf("instruction: %v", err)
	}
	ix := &Instruction{Loader: LoaderBPF, Features: AllFeatures()}
	if w.ProgramID == nil {
		return nil, fieldErr("program_id", "missing")
	}
	var err error
	if ix.ProgramID, err = parseKey("program_id", *w.ProgramID); err != nil {
		return nil, err
	}
	if w.Loader != nil {
		switch Loader(*w.Loader) {
		case LoaderBPF, LoaderDeprecated:
			ix.Loader = Loader(*w.Loader)
		default:
			return nil, fieldErr("loader", "unknown loader %q (want %q or %q)", *w.Loader, LoaderBPF, LoaderDeprecated)
		}
	}
	if len(w.Accounts) > lim.MaxAccounts {
		return nil, fieldErr("accounts", "%d accounts, at most %d", len(w.Accounts), lim.MaxAccounts)
	}
	total := 0
	for i, raw := range w.Accounts {
		a, err := parseAccount(fmt.Sprintf("accounts[%d]", i), raw, lim, &total)
		if err != nil {
			return nil, err
		}
		ix.Accounts = append(ix.Accounts, a)
	}
	if ix.Data, err = instructionData(&w, lim); err != nil {
		return nil, err
	}
	if ix.Sysvars, err = parseSysvars(w.Sysvars); err != nil {
		return nil, err
	}
	ix.fillSysvarAccounts(w.Accounts)
	ix.mergeDuplicates()
	if len(w.ComputeUnits) > 0 {
		if ix.ComputeUnits, err = parseU64("compute_units", w.ComputeUnits); err != nil {
			return nil, err
		}
		if ix.ComputeUnits > lim.MaxComputeUnits {
			return nil, fieldErr("compute_units", "%d is above the limit %d", ix.ComputeUnits, lim.MaxComputeUnits)
		}
	}
	if len(w.HeapSize) > 0 {
		h, err := parseU64("heap_size", w.HeapSize)
		if err != nil {
			return nil, err
		}
		if h > uint64(lim.MaxHeap) {
			return nil, fieldErr("heap_size", "%d bytes, at most %d", h, lim.MaxHeap)
		}
		ix.HeapSize = int(h)
	}
	if err := ix.Features.parse(w.Features); err != nil {
		return nil, err
	}
	return ix, nil
}

// strictDecode decodes one JSON value, rejecting unknown fields and
// trailing data.
func strictDecode(doc []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the document")
	}
	return nil
}

func parseKey(path, s string) (pubkey.Pubkey, error) {
	k, err := pubkey.Parse(s)
	if err != nil {
		return k, fieldErr(path, "%v", err)
	}
	return k, nil
}

func parseAccount(path string, raw json.RawMessage, lim Limits, total *int) (Account, error) {
	var w wireAccount
	var a Account
	if err := strictDecode(raw, &w); err != nil {
		return a, fieldErr(path, "%v", err)
	}
	if w.Pubkey == nil {
		return a, fieldErr(path+".pubkey", "missing")
	}
	var err error
	if a.Pubkey, err = parseKey(path+".pubkey", *w.Pubkey); err != nil {
		return a, err
	}
	a.Owner = pubkey.SystemProgramID
	if w.Owner != nil {
		if a.Owner, err = parseKey(path+".owner", *w.Owner); err != nil {
			return a, err
		}
	}
	a.IsSigner, a.IsWritable, a.Executable = w.IsSigner, w.IsWritable, w.Executable
	a.stateGiven = w.Owner != nil || w.Executable || len(w.Lamports) > 0 || len(w.RentEpoch) > 0 ||
		w.DataHex != nil || w.DataBase64 != nil || len(w.DataLen) > 0
	if len(w.Lamports) > 0 {
		if a.Lamports, err = parseU64(path+".lamports", w.Lamports); err != nil {
			return a, err
		}
	}
	if len(w.RentEpoch) > 0 {
		if a.RentEpoch, err = parseU64(path+".rent_epoch", w.RentEpoch); err != nil {
			return a, err
		}
	}
	n := 0
	for _, set := range []bool{w.DataHex != nil, w.DataBase64 != nil, len(w.DataLen) > 0} {
		if set {
			n++
		}
	}
	if n > 1 {
		return a, fieldErr(path, "give at most one of data_hex, data_base64 and data_len")
	}
	size := 0
	switch {
	case w.DataHex != nil:
		size = len(*w.DataHex) / 2
	case w.DataBase64 != nil:
		size = base64.StdEncoding.DecodedLen(len(*w.DataBase64))
	case len(w.DataLen) > 0:
		v, err := parseU64(path+".data_len", w.DataLen)
		if err != nil {
			return a, err
		}
		if v > uint64(lim.MaxAccountData) {
			return a, fieldErr(path+".data_len", "%d bytes, at most %d", v, lim.MaxAccountData)
		}
		size = int(v)
	}
	if size > lim.MaxAccountData {
		return a, fieldErr(path, "%d bytes of data, at most %d", size, lim.MaxAccountData)
	}
	if *total+size > lim.MaxTotalData {
		return a, fieldErr(path, "the accounts' data exceeds %d bytes in total", lim.MaxTotalData)
	}
	*total += size
	switch {
	case w.DataHex != nil:
		a.Data, err = decodeHex(path+".data_hex", *w.DataHex)
	case w.DataBase64 != nil:
		a.Data, err = base64.StdEncoding.DecodeString(*w.DataBase64)
		if err != nil {
			err = fieldErr(path+".data_base64", "%v", err)
		}
	default:
		a.Data = make([]byte, size)
	}
	return a, err
}

func decodeHex(path, s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, fieldErr(path, "odd number of hex digits (%d)", len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fieldErr(path, "%v", err)
	}
	return b, nil
}

func instructionData(w *wire, lim Limits) ([]byte, error) {
	set := 0
	for _, p := range []*string{w.DataHex, w.DataBase58, w.DataBase64, w.DataUTF8} {
		if p != nil {
			set++
			if len(*p) > 2*lim.MaxInstruction {
				return nil, fieldErr("data", "instruction data above %d bytes", lim.MaxInstruction)
			}
		}
	}
	if set > 1 {
		return nil, fieldErr("data", "give at most one of data_hex, data_base58, data_base64 and data_utf8")
	}
	var b []byte
	var err error
	switch {
	case w.DataHex != nil:
		b, err = decodeHex("data_hex", *w.DataHex)
	case w.DataBase58 != nil:
		if b, err = pubkey.DecodeBase58(*w.DataBase58); err != nil {
			err = fieldErr("data_base58", "%v", err)
		}
	case w.DataBase64 != nil:
		if b, err = base64.StdEncoding.DecodeString(*w.DataBase64); err != nil {
			err = fieldErr("data_base64", "%v", err)
		}
	case w.DataUTF8 != nil:
		b = []byte(*w.DataUTF8)
	}
	if err == nil && len(b) > lim.MaxInstruction {
		err = fieldErr("data", "%d bytes of instruction data, at most %d", len(b), lim.MaxInstruction)
	}
	return b, err
}

// parseU64 reads a u64 given as a JSON number or a decimal string (as
// JavaScript clients write values above 2^53).
func parseU64(path string, raw json.RawMessage) (uint64, error) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return 0, fieldErr(path, "%v", err)
		}
		s = str
	}
	if s == "" || s[0] == '-' {
		return 0, fieldErr(path, "%s is not an unsigned 64-bit integer", s)
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fieldErr(path, "%s overflows u64 (max %d)", s, uint64(math.MaxUint64))
		}
		return 0, fieldErr(path, "%s is not an unsigned 64-bit integer", s)
	}
	return v, nil
}

// MarshalJSON writes the document in the form Parse reads (hex for bytes).
func (ix *Instruction) MarshalJSON() ([]byte, error) {
	type accountOut struct {
		Pubkey     string `json:"pubkey"`
		IsSigner   bool   `json:"is_signer"`
		IsWritable bool   `json:"is_writable"`
		Lamports   uint64 `json:"lamports"`
		Owner      string `json:"owner"`
		Executable bool   `json:"executable"`
		RentEpoch  uint64 `json:"rent_epoch"`
		DataHex    string `json:"data_hex"`
	}
	out := struct {
		ProgramID    string          `json:"program_id"`
		Loader       Loader          `json:"loader"`
		Accounts     []accountOut    `json:"accounts"`
		DataHex      string          `json:"data_hex"`
		Sysvars      *Sysvars        `json:"sysvars,omitempty"`
		ComputeUnits uint64          `json:"compute_units,omitempty"`
		HeapSize     int             `json:"heap_size,omitempty"`
		Features     map[string]bool `json:"features,omitempty"`
	}{
		ProgramID: ix.ProgramID.String(), Loader: ix.Loader, Accounts: []accountOut{},
		DataHex: hex.EncodeToString(ix.Data), ComputeUnits: ix.ComputeUnits, HeapSize: ix.HeapSize,
		Features: ix.Features.changed(),
	}
	if !ix.Sysvars.empty() {
		out.Sysvars = &ix.Sysvars
	}
	for _, a := range ix.Accounts {
		out.Accounts = append(out.Accounts, accountOut{
			Pubkey: a.Pubkey.String(), IsSigner: a.IsSigner, IsWritable: a.IsWritable,
			Lamports: a.Lamports, Owner: a.Owner.String(), Executable: a.Executable,
			RentEpoch: a.RentEpoch, DataHex: hex.EncodeToString(a.Data),
		})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the document with Parse and DefaultLimits; callers
// with other limits call Parse themselves.
func (ix *Instruction) UnmarshalJSON(doc []byte) error {
	p, err := Parse(doc, DefaultLimits)
	if err != nil {
		return err
	}
	*ix = *p
	return nil
}

// fillSysvarAccounts gives a sysvar account listed without data, owner or
// lamports the contents a bank keeps in it: the sysvar's bincode bytes
// (from Sysvars, or its default), owned by the sysvar program.
func (ix *Instruction) fillSysvarAccounts(raw []json.RawMessage) {
	for i := range ix.Accounts {
		a := &ix.Accounts[i]
		data, name, ok := ix.Sysvars.sysvarAccount(a.Pubkey)
		if !ok {
			continue
		}
		var given map[string]json.RawMessage
		_ = json.Unmarshal(raw[i], &given)
		if given["data_hex"] != nil || given["data_base64"] != nil || given["data_len"] != nil ||
			given["owner"] != nil || given["lamports"] != nil {
			continue
		}
		a.Data, a.Owner, a.Lamports = data, pubkey.SysvarOwnerID, 1
		a.stateGiven = true
		ix.FilledSysvars = append(ix.FilledSysvars, name)
	}
}

// mergeDuplicates gives every place of a pubkey the same flags: signer or
// writable if any place is, as a transaction's message compiles them.
// The first place's account state stands for all.
func (ix *Instruction) mergeDuplicates() {
	for i := range ix.Accounts {
		d := firstPlace(ix.Accounts, i)
		if d < 0 {
			continue
		}
		first, dup := &ix.Accounts[d], &ix.Accounts[i]
		first.IsSigner = first.IsSigner || dup.IsSigner
		first.IsWritable = first.IsWritable || dup.IsWritable
	}
	for i := range ix.Accounts {
		if d := firstPlace(ix.Accounts, i); d >= 0 {
			state := ix.Accounts[d]
			ix.Accounts[i] = state
		}
	}
}

// AccountState is what earlier instructions left in each account, by
// pubkey: the state a sequence of instructions carries from one to the
// next, as a bank would.
type AccountState map[pubkey.Pubkey]Account

// Keep records the accounts as the outcome of ix left them (as they were,
// when the instruction failed).
func (st AccountState) Keep(ix *Instruction, o *Outcome) error {
	next, err := ix.After(o)
	if err != nil {
		return err
	}
	for _, a := range next.Accounts {
		a.IsSigner, a.IsWritable = false, false
		st[a.Pubkey] = a
	}
	return nil
}

// Inherit gives each account the document gave no state (lamports, owner,
// executable, rent epoch, data) the state st holds for its pubkey, and
// returns the indexes of the accounts it filled.
func (ix *Instruction) Inherit(st AccountState) []int {
	var filled []int
	for i := range ix.Accounts {
		a := &ix.Accounts[i]
		prev, ok := st[a.Pubkey]
		if !ok || a.stateGiven {
			continue
		}
		a.Lamports, a.Owner, a.Executable, a.RentEpoch = prev.Lamports, prev.Owner, prev.Executable, prev.RentEpoch
		a.Data = append([]byte(nil), prev.Data...)
		a.stateGiven = true
		filled = append(filled, i)
	}
	ix.mergeDuplicates()
	return filled
}
