package pubkey

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// uniqueKey is the release's Pubkey::new_unique for counter i: i in the
// first eight bytes, little-endian, and zeros after.
func uniqueKey(i uint64) Pubkey {
	var p Pubkey
	for j := 0; j < 8; j++ {
		p[j] = byte(i >> (8 * j))
	}
	return p
}

func TestParseRoundTrip(t *testing.T) {
	keys := []Pubkey{{}, uniqueKey(1), uniqueKey(1 << 40), SysvarClockID}
	var ff Pubkey
	for i := range ff {
		ff[i] = 0xff
	}
	keys = append(keys, ff)
	for _, p := range keys {
		s := p.String()
		q, err := Parse(s)
		if err != nil || q != p {
			t.Errorf("Parse(%q) = %x, %v; want %x", s, q, err, p)
		}
	}
}

func TestParseErrors(t *testing.T) {
	longest := strings.Repeat("z", 44)
	tests := []struct {
		name string
		in   string
		kind ParsePubkeyError
		msg  string
	}{
		{"empty", "", WrongSize, `parse pubkey "": decodes to 0 bytes, want 32`},
		{"short", "1111111111111111111111111111111", WrongSize,
			`parse pubkey "1111111111111111111111111111111": decodes to 31 bytes, want 32`},
		{"33 bytes", "111111111111111111111111111111111", WrongSize,
			`parse pubkey "111111111111111111111111111111111": decodes to 33 bytes, want 32`},
		{"44 digits too big", longest, WrongSize,
			`parse pubkey "` + longest + `": decodes to 33 bytes, want 32`},
		{"45 characters", longest + "1", WrongSize,
			`parse pubkey "` + longest + `1": 45 characters, more than the 44 of any 32-byte value`},
		{"45 characters, bad one first", "O" + longest, WrongSize,
			`parse pubkey "O` + longest + `": 45 characters, more than the 44 of any 32-byte value`},
		{"letter O", "SysO", Invalid, `parse pubkey "SysO": invalid base58 character 'O' at offset 3`},
		{"zero digit", "0" + SysvarRentID.String()[1:], Invalid,
			`parse pubkey "0ysvarRent111111111111111111111111111111111": invalid base58 character '0' at offset 0`},
		{"space", " 11111111111111111111111111111111", Invalid,
			`parse pubkey " 11111111111111111111111111111111": invalid base58 character ' ' at offset 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.in, p)
			}
			if !p.IsZero() {
				t.Errorf("Parse(%q) returned %x with an error", tt.in, p)
			}
			if err.Error() != tt.msg {
				t.Errorf("error = %q\nwant    %q", err, tt.msg)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
			}
			var b58 *Base58Error
			if got := errors.As(err, &b58); got != (tt.kind == Invalid) {
				t.Errorf("errors.As(err, *Base58Error) = %v", got)
			}
		})
	}
}

// TestParseLikeRelease follows the release's pubkey_fromstr test.
func TestParseLikeRelease(t *testing.T) {
	p := uniqueKey(1)
	s := EncodeBase58(p[:])
	check := func(in string, want error) {
		t.Helper()
		got, err := Parse(in)
		switch {
		case want == nil && (err != nil || got != p):
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, p)
		case want != nil && !errors.Is(err, want):
			t.Errorf("Parse(%q) error = %v, want %v", in, err, want)
		}
	}
	check(s, nil)
	doubled := s + s
	check(doubled, WrongSize)
	check(doubled[:len(doubled)/2], nil)
	check(s[:len(s)/2], WrongSize)
	check("I"+s[1:], Invalid)
	var ff Pubkey
	for i := range ff {
		ff[i] = 255
	}
	check(ff.String()+"1", WrongSize)
}

func TestParsePubkeyErrorText(t *testing.T) {
	if got := WrongSize.Error(); got != "String is the wrong size" {
		t.Errorf("WrongSize = %q", got)
	}
	if got := Invalid.Error(); got != "Invalid Base58 string" {
		t.Errorf("Invalid = %q", got)
	}
}

func TestParseErrorCutsLongInput(t *testing.T) {
	in := strings.Repeat("1", 1000)
	_, err := Parse(in)
	var pe *ParseError
	if !errors.As(err, &pe) || len(pe.Input) != 64 {
		t.Fatalf("error %v: Input not cut to 64 bytes", err)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"0\") did not panic")
		}
	}()
	MustParse("0")
}

func TestIsZero(t *testing.T) {
	if !(Pubkey{}).IsZero() || !SystemProgramID.IsZero() {
		t.Error("zero key: IsZero = false")
	}
	var p Pubkey
	p[31] = 1
	if p.IsZero() {
		t.Error("nonzero key: IsZero = true")
	}
}

func TestJSON(t *testing.T) {
	type doc struct {
		Program Pubkey            `json:"program"`
		Keys    []Pubkey          `json:"keys"`
		ByKey   map[Pubkey]string `json:"by_key"`
	}
	in := doc{
		Program: BPFLoaderID,
		Keys:    []Pubkey{SystemProgramID, SysvarRentID},
		ByKey:   map[Pubkey]string{SysvarFeesID: "fees"},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"program":"BPFLoader2111111111111111111111111111111111",` +
		`"keys":["11111111111111111111111111111111","SysvarRent111111111111111111111111111111111"],` +
		`"by_key":{"SysvarFees111111111111111111111111111111111":"fees"}}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant      %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Program != in.Program || len(out.Keys) != 2 || out.Keys[1] != SysvarRentID ||
		out.ByKey[SysvarFeesID] != "fees" {
		t.Errorf("Unmarshal = %+v, want %+v", out, in)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Pubkey
		wantErr string
	}{
		{`"SysvarC1ock11111111111111111111111111111111"`, SysvarClockID, ""},
		{`"Sysvar\u00431ock11111111111111111111111111111111"`, SysvarClockID, ""},
		{`null`, SysvarRentID, ""}, // unchanged
		{`"SysO"`, Pubkey{}, `parse pubkey "SysO": invalid base58 character 'O' at offset 3`},
		{`"111"`, Pubkey{}, `parse pubkey "111": decodes to 3 bytes, want 32`},
		{`[1,2]`, Pubkey{}, "pubkey: want a JSON string of base58 text"},
		{`32`, Pubkey{}, "pubkey: want a JSON string of base58 text"},
	}
	for _, tt := range tests {
		p := SysvarRentID
		err := p.UnmarshalJSON([]byte(tt.in))
		if tt.wantErr == "" {
			if err != nil || p != tt.want {
				t.Errorf("UnmarshalJSON(%s) = %v, %v; want %v", tt.in, p, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
			t.Errorf("UnmarshalJSON(%s) error = %v, want prefix %q", tt.in, err, tt.wantErr)
		}
		if p != SysvarRentID {
			t.Errorf("UnmarshalJSON(%s) changed the key on error", tt.in)
		}
	}
}
