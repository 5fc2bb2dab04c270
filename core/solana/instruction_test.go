package solana

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

const prog = "Prog111111111111111111111111111111111111111"

func TestParseDocument(t *testing.T) {
	doc := `{"program_id": "` + prog + `", "loader": "bpf_loader_deprecated",
	  "accounts": [
	    {"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_signer": true, "lamports": "18446744073709551615", "data_hex": "0102"},
	    {"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_writable": true},
	    {"pubkey": "SysvarRent111111111111111111111111111111111"},
	    {"pubkey": "` + prog + `", "data_base64": "AAEC", "owner": "BPFLoader1111111111111111111111111111111111", "executable": true},
	    {"pubkey": "11111111111111111111111111111112", "data_len": 10}
	  ],
	  "data_base58": "3yZe7d", "compute_units": 1000, "heap_size": 65536,
	  "features": {"skip_ro_deserialization": false},
	  "sysvars": {"rent": {"lamports_per_byte_year": 1, "exemption_threshold": 1.5, "burn_percent": 10}}}`
	ix, err := Parse([]byte(doc), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Loader != LoaderDeprecated || ix.ComputeUnits != 1000 || ix.HeapSize != 65536 || ix.Features.SkipRODeserialization {
		t.Errorf("settings read as %+v", ix)
	}
	a := ix.Accounts
	if a[0].Lamports != 1<<64-1 || string(a[0].Data) != "\x01\x02" || a[0].Owner != pubkey.SystemProgramID {
		t.Errorf("accounts[0] = %+v", a[0])
	}
	if !a[0].IsWritable || !a[1].IsSigner || a[1].Lamports != a[0].Lamports {
		t.Errorf("duplicate places do not share merged flags and state: %+v / %+v", a[0], a[1])
	}
	if len(a[2].Data) != 17 || a[2].Owner != pubkey.SysvarOwnerID || a[2].Data[16] != 10 {
		t.Errorf("rent sysvar account not filled from sysvars.rent: %+v", a[2])
	}
	if string(a[3].Data) != "\x00\x01\x02" || !a[3].Executable || len(a[4].Data) != 10 {
		t.Errorf("accounts[3..4] = %+v %+v", a[3], a[4])
	}
	if string(ix.Data) != "test" {
		t.Errorf("data_base58 decoded to %q", ix.Data)
	}
	// The document written back parses to the same instruction.
	out, err := json.Marshal(ix)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(out, DefaultLimits)
	if err != nil {
		t.Fatalf("written document does not parse: %v\n%s", err, out)
	}
	if again.Features != ix.Features || len(again.Accounts) != 5 || string(again.Data) != "test" || again.Sysvars.Rent.BurnPercent != 10 {
		t.Errorf("round trip changed the instruction:\n%s", out)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	small := DefaultLimits
	small.MaxAccounts, small.MaxTotalData, small.MaxAccountData = 2, 100, 64
	acct := func(fields string) string {
		return `{"program_id": "` + prog + `", "accounts": [{"pubkey": "` + prog + `"}, {` + fields + `}]}`
	}
	for _, c := range []struct{ doc, want string }{
		{`{}`, "program_id: missing"},
		{`{"program_id": "0OIl"}`, "program_id: "},
		{`{"program_id": "` + prog + `", "loader": "bpf_loader_upgradeable"}`, `loader: unknown loader "bpf_loader_upgradeable"`},
		{acct(`"pubkey": "abc"`), "accounts[1].pubkey: "},
		{acct(`"is_signer": true`), "accounts[1].pubkey: missing"},
		{acct(`"pubkey": "` + prog + `", "owner": "x0"`), "accounts[1].owner: "},
		{acct(`"pubkey": "` + prog + `", "data_hex": "abc"`), "accounts[1].data_hex: odd number of hex digits (3)"},
		{acct(`"pubkey": "` + prog + `", "data_hex": "zz"`), "accounts[1].data_hex: "},
		{acct(`"pubkey": "` + prog + `", "lamports": 18446744073709551616`), "accounts[1].lamports: 18446744073709551616 overflows u64"},
		{acct(`"pubkey": "` + prog + `", "lamports": -1`), "accounts[1].lamports: -1 is not an unsigned"},
		{acct(`"pubkey": "` + prog + `", "lamports": 1.5`), "accounts[1].lamports: 1.5 is not an unsigned"},
		{acct(`"pubkey": "` + prog + `", "data_len": 65`), "accounts[1].data_len: 65 bytes, at most 64"},
		{acct(`"pubkey": "` + prog + `", "data_len": 4, "data_hex": "00"`), "accounts[1]: give at most one"},
		{acct(`"pubkey": "` + prog + `", "colour": 1`), `accounts[1]: json: unknown field "colour"`},
		{`{"program_id": "` + prog + `", "accounts": [{"pubkey": "` + prog + `"}, {"pubkey": "` + prog + `"}, {"pubkey": "` + prog + `"}]}`, "accounts: 3 accounts, at most 2"},
		{`{"program_id": "` + prog + `", "data_hex": "00", "data_utf8": "x"}`, "data: give at most one"},
		{`{"program_id": "` + prog + `", "data_base58": "0"}`, "data_base58: "},
		{`{"program_id": "` + prog + `", "features": {"warp_drive": true}}`, "features.warp_drive: unknown feature"},
		{`{"program_id": "` + prog + `", "heap_size": 1048576000}`, "heap_size: 1048576000 bytes, at most"},
		{`{"program_id": "` + prog + `"} {}`, "trailing data"},
	} {
		_, err := Parse([]byte(c.doc), small)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s)\n got %v\nwant an error containing %q", c.doc, err, c.want)
		}
	}
	// Data over the total is refused before it is decoded.
	big := `{"program_id": "` + prog + `", "accounts": [{"pubkey": "` + prog + `", "data_len": 64}, {"pubkey": "11111111111111111111111111111112", "data_len": 64}]}`
	_, err := Parse([]byte(big), small)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "accounts[1]" {
		t.Errorf("total data limit: %v", err)
	}
}

func TestFromReturnValue(t *testing.T) {
	for _, c := range []struct {
		r0         uint64
		name, text string
	}{
		{1, "Custom(1)", "custom program error: 0x1"},
		{0xbeef, "Custom(48879)", "custom program error: 0xbeef"},
		{1 << 32, "Custom(0)", "custom program error: 0x0"},
		{2 << 32, "InvalidArgument", "invalid program argument"},
		{11 << 32, "NotEnoughAccountKeys", "insufficient account keys for instruction"},
		{14 << 32, "InvalidSeeds", "Provided seeds do not result in a valid address"},
		{15 << 32, "InvalidError", "program returned invalid error code"}, // BORSH_IO_ERROR: not converted
		{16 << 32, "InvalidError", "program returned invalid error code"},
		{17 << 32, "UnsupportedSysvar", "Unsupported sysvar"},
		{1<<32 + 1, "InvalidError", "program returned invalid error code"},
	} {
		e := FromReturnValue(c.r0)
		if e == nil || e.Name() != c.name || e.Error() != c.text {
			t.Errorf("r0 %#x: got %v, want %s (%s)", c.r0, e, c.name, c.text)
		}
	}
	if FromReturnValue(0) != nil {
		t.Error("0 is SUCCESS")
	}
	if got := (&InstructionError{Kind: BorshIoError, Message: "eof"}).Name(); got != `BorshIoError("eof")` {
		t.Errorf("BorshIoError name %s", got)
	}
}

// TestUTF8Error checks the texts of Rust's Utf8Error.
func TestUTF8Error(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"hello", ""},
		{"h\xffi", "invalid utf-8 sequence of 1 bytes from index 1"},
		{"ab\xe2\x82", "incomplete utf-8 byte sequence from index 2"},
		{"\xe2\x28\xa1", "invalid utf-8 sequence of 1 bytes from index 0"},
		{"\xe2\x82\x28", "invalid utf-8 sequence of 2 bytes from index 0"},
		{"\xf0\x90\x80\x28", "invalid utf-8 sequence of 3 bytes from index 0"},
		{"\xed\xa0\x80", "invalid utf-8 sequence of 1 bytes from index 0"}, // surrogate
		{"\xc0\x80", "invalid utf-8 sequence of 1 bytes from index 0"},     // overlong
		{"€𝄞", ""},
	} {
		if got := utf8Error([]byte(c.in)); got != c.want {
			t.Errorf("utf8Error(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := rustBytes([]byte{104, 255}); got != "[104, 255]" {
		t.Errorf("rustBytes = %s", got)
	}
}

func TestLogCollectorLimit(t *testing.T) {
	var c LogCollector
	line := strings.Repeat("x", 999)
	for i := 0; i < 12; i++ {
		c.Log(line)
	}
	// 10 lines of 999 bytes fit below 10 000; the 11th would reach it.
	if len(c.Messages) != 11 || c.Messages[10] != "Log truncated" || !c.Truncated() {
		t.Fatalf("%d messages, last %q", len(c.Messages), c.Messages[len(c.Messages)-1])
	}
}

func TestAllocator(t *testing.T) {
	h := allocator{start: 0x300000000, len: 64}
	if a := h.alloc(3, 8); a != 0x300000000 {
		t.Errorf("first allocation at %#x", a)
	}
	if a := h.alloc(8, 8); a != 0x300000008 {
		t.Errorf("second allocation at %#x, want 8-byte aligned", a)
	}
	if a := h.alloc(49, 1); a != 0 {
		t.Errorf("allocation past the end at %#x", a)
	}
	if a := h.alloc(1<<63, 8); a != 0 {
		t.Errorf("huge allocation at %#x", a)
	}
}

func TestEpochScheduleDefault(t *testing.T) {
	e := DefaultEpochSchedule
	if e.SlotsPerEpoch != 432000 || e.FirstNormalEpoch != 14 || e.FirstNormalSlot != 524256 || !e.Warmup {
		t.Errorf("default epoch schedule %+v", e)
	}
	if m := DefaultRent.MinimumBalance(0); m != 890880 {
		t.Errorf("rent-exempt minimum for 0 bytes %d, want 890880", m)
	}
}
