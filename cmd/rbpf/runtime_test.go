package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/solana"
)

// counterELF builds the counter program of docs/cli.md into an ELF file.
func counterELF(t *testing.T) string {
	t.Helper()
	so := filepath.Join(t.TempDir(), "counter.so")
	if code := run([]string{"asm", "testdata/docs/counter.s", "--elf", "-o", so}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("asm: status %d", code)
	}
	return so
}

// TestRunInstructionSequence runs three instructions in turn: the account
// keeps its state, a failed instruction changes nothing, and
// --save-instruction writes the accounts as the last run left them.
func TestRunInstructionSequence(t *testing.T) {
	so := counterELF(t)
	dir := t.TempDir()
	again := writeTemp(t, "again.json", []byte(`{"program_id": "Counter111111111111111111111111111111111111",
 "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "is_writable": true}]}`))
	readonly := writeTemp(t, "ro.json", []byte(`{"program_id": "Counter111111111111111111111111111111111111",
 "accounts": [{"pubkey": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"}]}`))
	saved := filepath.Join(dir, "next.json")
	var out, errOut bytes.Buffer
	code := run([]string{"run", so, "--json", "--engine", "both", "--instruction", "testdata/docs/counter.json",
		"--instruction", again, "--instruction", readonly, "--save-instruction", saved}, &out, &errOut)
	if code != 2 {
		t.Fatalf("status %d, want 2 (the last instruction fails); stderr %s", code, errOut.String())
	}
	var data []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r struct {
			Engine   string `json:"engine"`
			Accounts []struct {
				DataHex string `json:"data_hex"`
			} `json:"accounts"`
			Agree *bool `json:"agree"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if r.Agree != nil && !*r.Agree {
			t.Errorf("engines disagree: %s", line)
		}
		if r.Engine == "interp" {
			data = append(data, r.Accounts[0].DataHex)
		}
	}
	want := []string{"2a00000000000000", "2b00000000000000", "2b00000000000000"}
	if strings.Join(data, " ") != strings.Join(want, " ") {
		t.Errorf("counter after each instruction %v, want %v", data, want)
	}
	doc, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := solana.Parse(doc, solana.DefaultLimits)
	if err != nil {
		t.Fatalf("saved document: %v\n%s", err, doc)
	}
	if ix.Accounts[0].Data[0] != 0x2b || ix.Accounts[0].Lamports != 1000000 {
		t.Errorf("saved account %+v", ix.Accounts[0])
	}
}

// TestRunInstructionErrors checks the one-line errors of a bad document
// and of flags that need an instruction.
func TestRunInstructionErrors(t *testing.T) {
	so := counterELF(t)
	bad := writeTemp(t, "bad.json", []byte(`{"program_id": "Counter111111111111111111111111111111111111", "accounts": [{"pubkey": "0OIl"}]}`))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", so, "--instruction", bad}, "accounts[0].pubkey: "},
		{[]string{"run", so, "--save-instruction", "x.json"}, "--save-instruction needs --instruction"},
		{[]string{"run", so, "--instruction", "testdata/docs/counter.json", "--input", "00"}, "the runtime sets [input]"},
		{[]string{"input", bad}, "accounts[0].pubkey: "},
	} {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: status %d, stderr %q; want 1 and %q", c.args, code, errOut.String(), c.want)
		}
	}
}
