package ui

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rbpfgo/rbpfgo/core/digest"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

// IxForm is the Instruction panel: the instruction document of the
// runtime (solana.Parse) as the visitor types it. Every field keeps the
// text typed, so a half-typed value survives renders; Doc writes the
// document, and solana.Parse checks it when a run starts.
type IxForm struct {
	hub hub
	// debug makes the runs; a change of the form ends the current one.
	debug *DebugState

	ProgramID string
	Loader    string // solana.LoaderBPF or solana.LoaderDeprecated
	Accounts  []AccountRow
	// DataEnc is how Data is written: "hex", "base58", "text" or "base64".
	DataEnc      string
	Data         string
	ComputeUnits string // "" for the release's 200 000
	HeapSize     string // "" for the release's 32 KiB
	Sysvars      []SysvarForm
	// Features holds the features switched away from solana.AllFeatures.
	Features map[string]bool

	// ErrPath is the JSON path of the field the last check refused
	// ("accounts[1].pubkey"), Err its message.
	ErrPath, Err string
	// Text is the document in the import/export box, "" for the
	// current one.
	Text string
	// More shows the sysvars and features, JSON the document box.
	More, JSON bool
	// autoID is set while ProgramID is the default the page chose.
	autoID bool
	// Carried counts the runs whose accounts the form carries on
	// (CarryAccounts).
	Carried int
}

// AccountRow is one account of the form.
type AccountRow struct {
	Pubkey                       string
	Signer, Writable, Executable bool
	Lamports, Owner, RentEpoch   string
	// DataEnc is "hex", "base64", "size" or "file"; Data is the hex or
	// base64 text, the size in bytes, or a file's bytes in base64.
	DataEnc, Data string
	FileName      string
	_             [0]func()
}

// SysvarForm is one sysvar's values; Set is false while it has the
// release's default (the document leaves it out).
type SysvarForm struct {
	Name   string
	Set    bool
	Fields []SysvarField
}

// SysvarField is one field of a sysvar, its JSON name and typed value.
type SysvarField struct {
	Key, Value string
	_          [0]func()
}

// defaultSysvars are the sysvars the document may set, with the values
// a missing sysvar has (solana's defaults; a test checks them against
// core/solana). As constants they cost the page no code.
var defaultSysvars = []SysvarForm{
	{Name: "clock", Fields: []SysvarField{{Key: "slot", Value: "0"}, {Key: "epoch_start_timestamp", Value: "0"}, {Key: "epoch", Value: "0"},
		{Key: "leader_schedule_epoch", Value: "0"}, {Key: "unix_timestamp", Value: "0"}}},
	{Name: "rent", Fields: []SysvarField{{Key: "lamports_per_byte_year", Value: "3480"}, {Key: "exemption_threshold", Value: "2"}, {Key: "burn_percent", Value: "50"}}},
	{Name: "epoch_schedule", Fields: []SysvarField{{Key: "slots_per_epoch", Value: "432000"}, {Key: "leader_schedule_slot_offset", Value: "432000"},
		{Key: "warmup", Value: "true"}, {Key: "first_normal_epoch", Value: "14"}, {Key: "first_normal_slot", Value: "524256"}}},
	{Name: "fees", Fields: []SysvarField{{Key: "lamports_per_signature", Value: "0"}}},
}

// sysvarDefaults is a copy of defaultSysvars for a form to change.
func sysvarDefaults() []SysvarForm {
	out := make([]SysvarForm, len(defaultSysvars))
	for i, s := range defaultSysvars {
		out[i] = SysvarForm{Name: s.Name, Fields: append([]SysvarField(nil), s.Fields...)}
	}
	return out
}

// newIxForm is the form of a page that has loaded nothing yet: no
// accounts, no data.
func newIxForm() IxForm {
	return IxForm{Loader: string(solana.LoaderBPF), DataEnc: "hex", Sysvars: sysvarDefaults(), Features: map[string]bool{}}
}

// namedKey is a made-up address for the presets: the sha256 of a name, so
// that it is the same in every session and link.
func namedKey(name string) string {
	sum := digest.Sum256([]byte("rbpfgo playground: " + name))
	return pubkey.Pubkey(sum).String()
}

// defaultProgramID is the address the page gives a program until the
// visitor sets one: derived from the file's bytes, so that a link names
// the same id.
func defaultProgramID(elf []byte) string {
	return pubkey.Pubkey(digest.Sum256(elf)).String()
}

// programLoaded gives the form the new program's default id unless the
// visitor chose one.
func (f *IxForm) programLoaded(elf []byte) {
	if f.ProgramID == "" || f.autoID {
		f.ProgramID, f.autoID = defaultProgramID(elf), true
	}
}

// Presets are the starting points the panel offers.
var Presets = []struct{ ID, Title, Blurb string }{
	{"none", "No accounts", "no accounts, no data"},
	{"signer", "One signer", "a funded wallet that signs"},
	{"data", "Program data account", "writable, owned by the program, 64 bytes"},
}

// presetAccount is the account preset id adds.
func (f *IxForm) presetAccount(id string) []AccountRow {
	switch id {
	case "signer":
		return []AccountRow{{Pubkey: namedKey("payer"), Signer: true, Writable: true, Lamports: "1000000000",
			Owner: pubkey.SystemProgramID.String(), RentEpoch: "0", DataEnc: "size", Data: "0"}}
	case "data":
		return []AccountRow{{Pubkey: namedKey("data account"), Writable: true,
			Lamports: fmt.Sprint(solana.DefaultRent.MinimumBalance(64)), Owner: f.ProgramID, RentEpoch: "0", DataEnc: "size", Data: "64"}}
	}
	return nil
}

// ApplyPreset replaces the accounts and data with preset id.
func (f *IxForm) ApplyPreset(id string) {
	defer f.hub.Recover("preset " + id)
	f.Accounts, f.Data, f.DataEnc = f.presetAccount(id), "", "hex"
	f.changed()
}

// AddAccount appends an empty account.
func (f *IxForm) AddAccount() {
	defer f.hub.Recover("add account")
	f.Accounts = append(f.Accounts, AccountRow{Pubkey: namedKey(fmt.Sprintf("account %d", len(f.Accounts))),
		Lamports: "0", Owner: pubkey.SystemProgramID.String(), RentEpoch: "0", DataEnc: "size", Data: "0"})
	f.changed()
}

// RemoveAccount deletes account i.
func (f *IxForm) RemoveAccount(i int) {
	defer f.hub.Recover("remove account")
	if i >= 0 && i < len(f.Accounts) {
		f.Accounts = append(f.Accounts[:i], f.Accounts[i+1:]...)
		f.changed()
	}
}

// SetField changes one field of the form, named as the panel names its
// inputs: "program_id", "loader", "data", "data_enc", "compute_units",
// "heap_size", "accounts.I.KEY", "sysvars.NAME.KEY", "sysvars.NAME.set",
// "features.NAME". Boolean fields take "true" or "false".
func (f *IxForm) SetField(field, value string) {
	defer f.hub.Recover("instruction " + field)
	if f.set(field, value) {
		f.changed()
	}
}

func (f *IxForm) set(field, value string) bool {
	parts := strings.Split(field, ".")
	on := value == "true"
	switch {
	case field == "program_id":
		f.ProgramID, f.autoID = strings.TrimSpace(value), false
	case field == "loader":
		f.Loader = value
	case field == "data":
		f.Data = value
	case field == "data_enc":
		f.Data = convertData(f.Data, f.DataEnc, value)
		f.DataEnc = value
	case field == "compute_units":
		f.ComputeUnits = strings.TrimSpace(value)
	case field == "heap_size":
		f.HeapSize = strings.TrimSpace(value)
	case len(parts) == 2 && parts[0] == "features":
		f.Features[parts[1]] = on
	case len(parts) == 3 && parts[0] == "sysvars":
		return f.setSysvar(parts[1], parts[2], value)
	case len(parts) == 3 && parts[0] == "accounts":
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 0 || i >= len(f.Accounts) {
			return false
		}
		return f.Accounts[i].set(parts[2], value)
	default:
		return false
	}
	return true
}

func (f *IxForm) setSysvar(name, key, value string) bool {
	for i := range f.Sysvars {
		s := &f.Sysvars[i]
		if s.Name != name {
			continue
		}
		if key == "set" {
			s.Set = value == "true"
			if !s.Set { // back to the defaults
				for _, d := range sysvarDefaults() {
					if d.Name == name {
						s.Fields = d.Fields
					}
				}
			}
			return true
		}
		for j := range s.Fields {
			if s.Fields[j].Key == key {
				s.Fields[j].Value, s.Set = strings.TrimSpace(value), true
				return true
			}
		}
	}
	return false
}

func (r *AccountRow) set(key, value string) bool {
	on := value == "true"
	switch key {
	case "pubkey":
		r.Pubkey = strings.TrimSpace(value)
	case "owner":
		r.Owner = strings.TrimSpace(value)
	case "lamports":
		r.Lamports = strings.TrimSpace(value)
	case "rent_epoch":
		r.RentEpoch = strings.TrimSpace(value)
	case "is_signer":
		r.Signer = on
	case "is_writable":
		r.Writable = on
	case "executable":
		r.Executable = on
	case "data":
		r.Data, r.FileName = value, ""
	case "data_enc":
		if r.DataEnc == "file" && value != "file" {
			r.FileName = ""
		}
		if value != "file" {
			r.Data = convertAccountData(r.Data, r.DataEnc, value)
		}
		r.DataEnc = value
	default:
		return false
	}
	return true
}

// SetAccountFile makes a file's bytes account i's data.
func (f *IxForm) SetAccountFile(i int, name string, data []byte) {
	defer f.hub.Recover("account data file")
	if i < 0 || i >= len(f.Accounts) {
		return
	}
	if len(data) > solana.DefaultLimits.MaxAccountData {
		f.hub.screen().Err = fmt.Sprintf("%s is %s; an account holds at most %s", name, sizeText(len(data)), sizeText(solana.DefaultLimits.MaxAccountData))
		return
	}
	r := &f.Accounts[i]
	r.DataEnc, r.Data, r.FileName = "file", base64.StdEncoding.EncodeToString(data), name
	f.changed()
}

// decodeData reads instruction data written in enc; ok is false when the
// text does not decode.
func decodeData(text, enc string) ([]byte, bool) {
	var b []byte
	var err error
	switch enc {
	case "hex":
		b, err = hex.DecodeString(strings.Join(strings.Fields(text), ""))
	case "base58":
		b, err = pubkey.DecodeBase58(strings.TrimSpace(text))
	case "base64", "file":
		b, err = base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	case "text":
		b = []byte(text)
	case "size":
		if strings.TrimSpace(text) == "" {
			return nil, true
		}
		n, e := strconv.Atoi(strings.TrimSpace(text))
		if e != nil || n < 0 || n > solana.DefaultLimits.MaxAccountData {
			return nil, false
		}
		b = make([]byte, n)
	default:
		return nil, false
	}
	return b, err == nil
}

func encodeData(b []byte, enc string) string {
	switch enc {
	case "hex":
		return hex.EncodeToString(b)
	case "base58":
		return pubkey.EncodeBase58(b)
	case "base64":
		return base64.StdEncoding.EncodeToString(b)
	case "size":
		return strconv.Itoa(len(b))
	}
	return string(b)
}

// convertData rewrites instruction data from one encoding to another, or
// keeps the text when it does not decode (or is not valid UTF-8 as text).
func convertData(text, from, to string) string {
	b, ok := decodeData(text, from)
	if !ok || to == "text" && !validText(b) {
		return text
	}
	return encodeData(b, to)
}

// convertAccountData is convertData for account data; a size becomes that
// many zero bytes.
func convertAccountData(text, from, to string) string {
	b, ok := decodeData(text, from)
	if !ok {
		if to == "size" {
			return "0"
		}
		return ""
	}
	return encodeData(b, to)
}

func validText(b []byte) bool { return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 }

// changed ends the current run: the next step starts over with the new
// instruction.
func (f *IxForm) changed() {
	f.Err, f.ErrPath = "", ""
	f.Text = ""
	f.debug.invalidateRun("instruction changed: the next step starts a new run")
}

// replace makes the form g, keeping the form's links to the page.
func (f *IxForm) replace(g IxForm) {
	g.hub, g.debug = f.hub, f.debug
	*f = g
}

// FeatureOn is the state of a feature in the form.
func (f *IxForm) FeatureOn(name string) bool {
	if on, ok := f.Features[name]; ok {
		return on
	}
	return featureOn(solana.AllFeatures(), name)
}

// Instruction checks the form with solana.Parse, as the CLI reads a
// document, and records which field it refused.
func (f *IxForm) Instruction() (*solana.Instruction, error) {
	ix, err := solana.Parse(f.Doc(false), solana.DefaultLimits)
	f.Err, f.ErrPath = "", ""
	if err != nil {
		f.Err = err.Error()
		var fe *solana.FieldError
		if errors.As(err, &fe) {
			f.ErrPath = fe.Path
		}
	}
	return ix, err
}

// FieldClass marks the input of the field at path when the last check
// refused it.
//
//go:noinline
func (f *IxForm) FieldClass(path, base string) string {
	if f.ErrPath != "" && (f.ErrPath == path || strings.HasPrefix(f.ErrPath, path+".")) {
		return base + " bad"
	}
	return base
}

// ImportInstruction replaces the form with a document (pasted, picked or
// dropped). A document solana.Parse refuses still fills the form, with the
// refusal shown at its field.
func (f *IxForm) ImportInstruction(b []byte) {
	defer f.hub.Recover("import instruction")
	g, err := fromDoc(b)
	if err != nil {
		f.Err, f.ErrPath = err.Error(), ""
		return
	}
	g.More, g.JSON = f.More, f.JSON
	f.replace(g)
	f.changed()
	if _, err := solana.Parse(b, solana.DefaultLimits); err != nil {
		f.Instruction() // marks the field
		f.Err = "imported, but " + err.Error()
	}
	if p := f.hub.program(); f.debug.Mode != modeRuntime && p != nil && p.Prog != nil {
		f.debug.SetMode(modeRuntime)
	}
}

// ImportText imports the document typed into the export box.
func (f *IxForm) ImportText() {
	defer f.hub.Recover("import")
	f.ImportInstruction([]byte(f.Text))
}

// ExportInstruction offers the document as instruction.json, the file
// `rbpf run --instruction` reads.
func (f *IxForm) ExportInstruction() {
	defer f.hub.Recover("export")
	f.hub.host().Download("instruction.json", append(f.Doc(true), '\n'))
}

// DocText is the export box's text, the current document when the
// visitor has not typed one.
func (f *IxForm) DocText() string {
	if f.Text != "" {
		return f.Text
	}
	return string(f.Doc(true))
}

// DataNote says what the instruction data decodes to.
//
//go:noinline
func (f *IxForm) DataNote() string {
	b, ok := decodeData(f.Data, f.DataEnc)
	if !ok {
		return "not valid " + f.DataEnc
	}
	return count(uint64(len(b)), "byte")
}

// AccountDataNote says what an account's data is.
//
//go:noinline
func (r *AccountRow) DataNote() string {
	b, ok := decodeData(r.Data, r.DataEnc)
	if !ok {
		return "not valid " + r.DataEnc
	}
	if r.DataEnc == "file" {
		return r.FileName + ", " + count(uint64(len(b)), "byte")
	}
	return count(uint64(len(b)), "byte")
}

// CarryAccounts makes the panel's accounts what the last run left them
// (lamports, owner, executable, rent epoch and data, as
// solana.Instruction.After reads them from the outcome), so that the next
// instruction runs on them, as the next instruction of a sequence would
// (the CLI's repeated --instruction). Accounts the run did not change keep
// what the form says of them. Pubkeys, signer and writable flags stay; so do the instruction data and the sysvars, for the visitor to
// change next. A failed instruction left its accounts as they were.
func (f *IxForm) CarryAccounts() {
	defer f.hub.Recover("carry accounts")
	d, s := f.debug, f.hub.screen()
	if d.result == nil || d.result.Outcome == nil || d.built == nil || d.built.Invocation == nil {
		return
	}
	next, err := d.built.Invocation.Ix.After(d.result.Outcome)
	if err != nil {
		s.Fail(err)
		return
	}
	if len(next.Accounts) != len(f.Accounts) {
		return // a changed form ends the run (changed), so this does not happen
	}
	for i, acc := range next.Accounts {
		if len(d.result.Outcome.Accounts[i].Changed) == 0 {
			continue // the form makes it as it is: a sysvar stays filled from the sysvars
		}
		r := &f.Accounts[i]
		r.Lamports, r.Owner, r.Executable = strconv.FormatUint(acc.Lamports, 10), acc.Owner.String(), acc.Executable
		r.RentEpoch = strconv.FormatUint(acc.RentEpoch, 10)
		if r.DataEnc != "hex" && r.DataEnc != "base64" {
			r.DataEnc = "hex"
			if len(acc.Data) > 1024 {
				r.DataEnc = "base64"
			}
		}
		r.Data, r.FileName = encodeData(acc.Data, r.DataEnc), ""
	}
	f.Carried++
	f.changed()
	s.Notice = fmt.Sprintf("The accounts are as run %d left them: change the instruction data and run the next instruction.", f.Carried)
	f.hub.Permalink()
}
