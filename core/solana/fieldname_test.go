package solana

import (
	"fmt"
	"testing"
)

func TestFieldRange(t *testing.T) {
	in := Serialize(sample(LoaderBPF))
	c2, _, err := in.FieldRange("accounts[2].data")
	if err != nil {
		t.Fatal(err)
	}
	n := len(in.Bytes)
	for _, c := range []struct {
		name       string
		start, end int
	}{
		{"num_accounts", 0, 8},
		{"accounts[0].lamports", 0x50, 0x58},
		{"accounts[0].data", 0x60, 0x63},
		{"accounts[0].data[1..3]", 0x61, 0x63},
		{"accounts[0].data[0x0..0x1]", 0x60, 0x61},
		{"accounts[0]", 8, 8 + 0x5b + 10245 + 8},
		{"accounts[1].dup_of", 8 + 0x5b + 10245 + 8, 8 + 0x5b + 10245 + 9},
		{"accounts[2].data[80..82]", c2 + 80, c2 + 82},
		{"instruction_data", n - 34, n - 32},
		{"program_id", n - 32, n},
	} {
		start, end, err := in.FieldRange(c.name)
		if err != nil || start != c.start || end != c.end {
			t.Errorf("%s: [%#x, %#x) %v, want [%#x, %#x)", c.name, start, end, err, c.start, c.end)
			continue
		}
		if c.name[len(c.name)-1] != ']' && in.RangeName(start, end-start) != c.name && c.name != "accounts[0]" {
			t.Errorf("RangeName(%#x, %d) = %q, want %q", start, end-start, in.RangeName(start, end-start), c.name)
		}
	}
	for _, bad := range []string{"accounts[3].data", "accounts[0].data[2..9]", "accounts[0].data[2..2]", "accounts[0].date",
		"accounts[01]", "accounts[-1]", "data[a..b]", ""} {
		if _, _, err := in.FieldRange(bad); err == nil {
			t.Errorf("%q resolved", bad)
		}
	}
	for _, c := range []struct {
		off, n int
		want   string
	}{
		{0x60, 8, "accounts[0].data+realloc_padding"},
		{0x61, 1, "accounts[0].data[1..2]"},
		{0x50, 16, "accounts[0].lamports+data_len"},
		{n - 35, 16, "instruction_data_len+program_id"},
		{n - 8, 16, "program_id…"},
		{n - 34, 16, "instruction_data+program_id"},
		{n - 34, 1, "instruction_data[0..1]"},
		{n, 1, fmt.Sprintf("input[%#x]", n)},
	} {
		if got := in.RangeName(c.off, c.n); got != c.want {
			t.Errorf("RangeName(%#x, %d) = %q, want %q", c.off, c.n, got, c.want)
		}
	}
}
