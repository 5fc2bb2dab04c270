package ui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/solana"
)

// The instruction document as the form writes it (Doc) and reads it
// (fromDoc): the JSON that rbpf run --instruction and POST /api/run take.

// docAccount and doc are the instruction document as the page writes it,
// in the field order of the CLI's examples.
type docAccount struct {
	Pubkey     string          `json:"pubkey"`
	IsSigner   bool            `json:"is_signer"`
	IsWritable bool            `json:"is_writable"`
	Lamports   json.RawMessage `json:"lamports,omitempty"`
	Owner      string          `json:"owner,omitempty"`
	Executable bool            `json:"executable,omitempty"`
	RentEpoch  json.RawMessage `json:"rent_epoch,omitempty"`
	DataHex    *string         `json:"data_hex,omitempty"`
	DataBase64 *string         `json:"data_base64,omitempty"`
	DataLen    json.RawMessage `json:"data_len,omitempty"`
}

type doc struct {
	ProgramID    string                                `json:"program_id"`
	Loader       string                                `json:"loader,omitempty"`
	Accounts     []docAccount                          `json:"accounts"`
	DataHex      *string                               `json:"data_hex,omitempty"`
	DataBase58   *string                               `json:"data_base58,omitempty"`
	DataBase64   *string                               `json:"data_base64,omitempty"`
	DataUTF8     *string                               `json:"data_utf8,omitempty"`
	Sysvars      map[string]map[string]json.RawMessage `json:"sysvars,omitempty"`
	ComputeUnits json.RawMessage                       `json:"compute_units,omitempty"`
	HeapSize     json.RawMessage                       `json:"heap_size,omitempty"`
	Features     map[string]bool                       `json:"features,omitempty"`
}

// rawValue is text as a JSON value: a number or boolean as itself, other
// text as a string (so that Parse names the field it cannot read).
func rawValue(text string) json.RawMessage {
	t := strings.TrimSpace(text)
	if t == "true" || t == "false" {
		return json.RawMessage(t)
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil && t != "" && !strings.ContainsAny(t, "xXpP_") && t[0] != '+' && t[0] != '.' {
		if n, err := strconv.ParseUint(t, 10, 64); err == nil {
			return json.RawMessage(strconv.FormatUint(n, 10))
		}
		if json.Valid([]byte(t)) {
			return json.RawMessage(t)
		}
	}
	s, _ := json.Marshal(t)
	return s
}

// Doc writes the form as the instruction document, indented when pretty.
func (f *IxForm) Doc(pretty bool) []byte {
	d := doc{ProgramID: f.ProgramID, Accounts: []docAccount{}}
	if f.Loader != string(solana.LoaderBPF) {
		d.Loader = f.Loader
	}
	for _, r := range f.Accounts {
		d.Accounts = append(d.Accounts, r.doc())
	}
	data := f.Data
	switch f.DataEnc {
	case "base58":
		data = strings.TrimSpace(data)
		d.DataBase58 = &data
	case "base64":
		data = strings.TrimSpace(data)
		d.DataBase64 = &data
	case "text":
		d.DataUTF8 = &data
	default:
		data = strings.Join(strings.Fields(data), "")
		d.DataHex = &data
	}
	for _, s := range f.Sysvars {
		if !s.Set {
			continue
		}
		if d.Sysvars == nil {
			d.Sysvars = map[string]map[string]json.RawMessage{}
		}
		m := map[string]json.RawMessage{}
		for _, fl := range s.Fields {
			m[fl.Key] = rawValue(fl.Value)
		}
		d.Sysvars[s.Name] = m
	}
	if f.ComputeUnits != "" {
		d.ComputeUnits = rawValue(f.ComputeUnits)
	}
	if f.HeapSize != "" {
		d.HeapSize = rawValue(f.HeapSize)
	}
	all := solana.AllFeatures()
	for _, name := range solana.FeatureNames() {
		if on, ok := f.Features[name]; ok && on != featureOn(all, name) {
			if d.Features == nil {
				d.Features = map[string]bool{}
			}
			d.Features[name] = on
		}
	}
	out, _ := json.Marshal(d)
	if pretty {
		out = indentJSON(out)
	}
	return out
}

// doc writes the account; a field left empty is left out of the
// document, so that Parse gives it its default (a sysvar account without
// lamports, owner and data gets the sysvar's contents).
func (r AccountRow) doc() docAccount {
	d := docAccount{Pubkey: r.Pubkey, IsSigner: r.Signer, IsWritable: r.Writable, Owner: r.Owner, Executable: r.Executable}
	if t := strings.TrimSpace(r.Lamports); t != "" {
		d.Lamports = rawValue(t)
	}
	if t := strings.TrimSpace(r.RentEpoch); t != "" && t != "0" {
		d.RentEpoch = rawValue(t)
	}
	switch r.DataEnc {
	case "hex":
		s := strings.Join(strings.Fields(r.Data), "")
		d.DataHex = &s
	case "base64", "file":
		s := strings.TrimSpace(r.Data)
		d.DataBase64 = &s
	default:
		if t := strings.TrimSpace(r.Data); t != "" {
			d.DataLen = rawValue(t)
		}
	}
	return d
}

// featureOn reports whether feature name is on in f.
func featureOn(f solana.Features, name string) bool {
	switch name {
	case "keccak256_syscall_enabled":
		return f.Keccak256Syscall
	case "memory_ops_syscalls":
		return f.MemoryOpsSyscalls
	case "skip_ro_deserialization":
		return f.SkipRODeserialization
	case "sysvar_via_syscall":
		return f.SysvarViaSyscall
	}
	return false
}

// wireDoc reads any document leniently, to fill the form with what it
// says in the encodings it uses.
type wireDoc struct {
	ProgramID    string                                `json:"program_id"`
	Loader       string                                `json:"loader"`
	Accounts     []map[string]json.RawMessage          `json:"accounts"`
	DataHex      *string                               `json:"data_hex"`
	DataBase58   *string                               `json:"data_base58"`
	DataBase64   *string                               `json:"data_base64"`
	DataUTF8     *string                               `json:"data_utf8"`
	Sysvars      map[string]map[string]json.RawMessage `json:"sysvars"`
	ComputeUnits json.RawMessage                       `json:"compute_units"`
	HeapSize     json.RawMessage                       `json:"heap_size"`
	Features     map[string]bool                       `json:"features"`
}

// jsonText is a JSON value as the form shows it: a string without quotes,
// anything else as written.
func jsonText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}

// fromDoc fills a form from a document; what the document does not say
// keeps the defaults.
func fromDoc(b []byte) (IxForm, error) {
	var w wireDoc
	if err := json.Unmarshal(b, &w); err != nil {
		return IxForm{}, fmt.Errorf("not an instruction document: %v", err)
	}
	f := newIxForm()
	f.ProgramID = w.ProgramID
	if w.Loader != "" {
		f.Loader = w.Loader
	}
	for _, m := range w.Accounts {
		r := AccountRow{DataEnc: "size"} // what the document leaves out stays unset
		for k, v := range m {
			switch k {
			case "pubkey", "owner", "lamports", "rent_epoch":
				r.set(k, jsonText(v))
			case "is_signer", "is_writable", "executable":
				r.set(k, strings.TrimSpace(string(v)))
			case "data_hex":
				r.DataEnc, r.Data = "hex", jsonText(v)
			case "data_base64":
				r.DataEnc, r.Data = "base64", jsonText(v)
			case "data_len":
				r.DataEnc, r.Data = "size", jsonText(v)
			}
		}
		f.Accounts = append(f.Accounts, r)
	}
	switch {
	case w.DataBase58 != nil:
		f.DataEnc, f.Data = "base58", *w.DataBase58
	case w.DataBase64 != nil:
		f.DataEnc, f.Data = "base64", *w.DataBase64
	case w.DataUTF8 != nil:
		f.DataEnc, f.Data = "text", *w.DataUTF8
	case w.DataHex != nil:
		f.DataEnc, f.Data = "hex", *w.DataHex
	}
	for name, vals := range w.Sysvars {
		for k, v := range vals {
			f.setSysvar(name, k, jsonText(v))
		}
	}
	if len(w.ComputeUnits) > 0 {
		f.ComputeUnits = jsonText(w.ComputeUnits)
	}
	if len(w.HeapSize) > 0 {
		f.HeapSize = jsonText(w.HeapSize)
	}
	for k, v := range w.Features {
		f.Features[k] = v
	}
	return f, nil
}

// indentJSON indents compact JSON by two spaces a level, as
// json.MarshalIndent would (which costs the page more).
func indentJSON(in []byte) []byte {
	var out []byte
	depth, str, esc := 0, false, false
	nl := func() {
		out = append(out, '\n')
		for range depth {
			out = append(out, ' ', ' ')
		}
	}
	for i, c := range in {
		if str {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				str = false
			}
			continue
		}
		switch c {
		case '"':
			str = true
			out = append(out, c)
		case '{', '[':
			out = append(out, c)
			if i+1 < len(in) && (in[i+1] == '}' || in[i+1] == ']') {
				continue
			}
			depth++
			nl()
		case '}', ']':
			if i > 0 && in[i-1] != '{' && in[i-1] != '[' {
				depth--
				nl()
			}
			out = append(out, c)
		case ',':
			out = append(out, c)
			nl()
		case ':':
			out = append(out, ':', ' ')
		default:
			out = append(out, c)
		}
	}
	return out
}
