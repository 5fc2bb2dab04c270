package apitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// programID is the runtime runs' program id, and owner of the account the
// writing program changes.
const programID = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"

// account is an instruction account with 2 bytes of data.
const account = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"

// logHello logs "hello" with sol_log_, called by name (the assembler hashes
// it as the runtime registers it), and returns 0: 8 instructions and 5
// compute units for the 5 bytes logged.
const logHello = "lddw r1, 0x6f6c6c6568\nstxdw [r10-8], r1\nmov r1, r10\nsub r1, 8\nmov r2, 5\ncall sol_log_\nmov r0, 0\nexit"

// instruction is an instruction document for programID with one account.
func instruction(acct map[string]any) map[string]any {
	a := map[string]any{"pubkey": account, "data_hex": "0102"}
	for k, v := range acct {
		a[k] = v
	}
	return map[string]any{"program_id": programID, "accounts": []any{a}, "data_hex": "ff"}
}

// sameOutcome checks that the engines' results are one document apart
// from the engine's name and the timing.
func sameOutcome(t *testing.T, a RunAnswer) {
	t.Helper()
	for _, r := range a.Results[1:] {
		x, y := a.Results[0], r
		x.Engine, y.Engine = "", ""
		x.Timing = y.Timing
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s and %s disagree:\n%+v\n%+v", a.Results[0].Engine, r.Engine, x, y)
		}
	}
}

func runtimeCases() []testCase {
	return []testCase{
		{"runtime: log and return 0", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": logHello, "instruction": instruction(nil), "engines": tg.engines()})
			expect(t, a, u64(0), "", 8+5, []string{"Program log: hello"})
			want := []string{
				"Program " + programID + " invoke [1]",
				"Program log: hello",
				"Program " + programID + " consumed 13 of 200000 compute units",
				"Program " + programID + " success",
			}
			for _, r := range a.Results {
				if r.ProgramError != nil || r.ComputeUnitsConsumed == nil || *r.ComputeUnitsConsumed != 8+5 || r.ComputeUnitsBudget != 200000 {
					t.Errorf("%s: program_error %v, compute units %v of %d", r.Engine, ptr(r.ProgramError), ptr(r.ComputeUnitsConsumed), r.ComputeUnitsBudget)
				}
				if !reflect.DeepEqual(r.Logs, want) {
					t.Errorf("%s: logs %q, want %q", r.Engine, r.Logs, want)
				}
				if len(r.Accounts) != 1 || r.Accounts[0].Pubkey != account || r.Accounts[0].DataHex != "0102" || len(r.Accounts[0].Changed) != 0 {
					t.Errorf("%s: accounts %+v", r.Engine, r.Accounts)
				}
			}
			sameOutcome(t, a)
		}},
		{"runtime: custom error", func(t *testing.T, tg Target, _ Limits) {
			a := tg.Run(t, map[string]any{"asm": "mov r0, 1\nexit", "instruction": instruction(nil), "engines": tg.engines()})
			expect(t, a, u64(1), "", 2, []string{})
			for _, r := range a.Results {
				if r.ProgramError == nil || *r.ProgramError != "Custom(1)" || r.ProgramErrorText != "custom program error: 0x1" {
					t.Errorf("%s: program_error %v (%q)", r.Engine, ptr(r.ProgramError), r.ProgramErrorText)
				}
				if n := len(r.Logs); n == 0 || r.Logs[n-1] != "Program "+programID+" failed: custom program error: 0x1" {
					t.Errorf("%s: logs %q", r.Engine, r.Logs)
				}
			}
			sameOutcome(t, a)
		}},
		{"runtime: account written", func(t *testing.T, tg Target, _ Limits) {
			// The aligned input: 8 bytes of count, then the account's
			// header (dup, signer, writable, executable, 4 padding, key,
			// owner, lamports, length): its data starts at r1 + 96.
			ix := instruction(map[string]any{"is_writable": true, "owner": programID})
			a := tg.Run(t, map[string]any{"asm": "mov r2, 0x2a\nstxb [r1+96], r2\nmov r0, 0\nexit", "instruction": ix, "engines": tg.engines()})
			for _, r := range a.Results {
				if r.ProgramError != nil || len(r.Accounts) != 1 || r.Accounts[0].DataHex != "2a02" || !reflect.DeepEqual(r.Accounts[0].Changed, []string{"data"}) {
					t.Errorf("%s: program_error %v, accounts %+v", r.Engine, ptr(r.ProgramError), r.Accounts)
				}
			}
			sameOutcome(t, a)
		}},
		{"runtime: log truncated", func(t *testing.T, tg Target, _ Limits) {
			// 2 000 × "Program log: hello" pass the collector's 10 000 bytes.
			loop := strings.Replace(logHello, "mov r0, 0\nexit", "sub r6, 1\njne r6, 0, loop\nmov r0, 0\nexit", 1)
			loop = "mov r6, 2000\nloop:\n" + loop
			a := tg.Run(t, map[string]any{"asm": loop, "instruction": instruction(nil), "engines": tg.engines()})
			for _, r := range a.Results {
				if !r.LogsTruncated || !strings.Contains(strings.Join(r.Logs, "\n"), "\nLog truncated") || r.ProgramError != nil {
					t.Errorf("%s: logs_truncated %v, %d logs, program_error %v", r.Engine, r.LogsTruncated, len(r.Logs), ptr(r.ProgramError))
				}
			}
			sameOutcome(t, a)
		}},
		{"runtime: bad document", func(t *testing.T, tg Target, _ Limits) {
			body := map[string]any{"asm": logHello, "instruction": instruction(map[string]any{"pubkey": "0OIl"})}
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "accounts[0].pubkey")
			body["instruction"] = map[string]any{"program_id": programID, "accounts": []any{}, "bogus": 1}
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, `unknown field "bogus"`)
			body["instruction"] = []int{1}
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "instruction")
		}},
		{"runtime: account data limit", func(t *testing.T, tg Target, lim Limits) {
			// Refused before any work: the program would not even
			// assemble (a 422 once loaded), and a terabyte of zeroes is
			// never allocated.
			for _, size := range []uint64{uint64(lim.MaxAccountData) + 1, 1 << 40} {
				ix := map[string]any{"program_id": programID, "accounts": []any{map[string]any{"pubkey": account, "data_len": size}}}
				expectError(t, tg, http.MethodPost, "/api/run", map[string]any{"asm": "bogus", "instruction": ix},
					http.StatusBadRequest, "instruction.accounts[0]")
			}
			// Two accounts within the limit each, over it together.
			half := lim.MaxAccountData/2 + 1
			ix := map[string]any{"program_id": programID, "accounts": []any{
				map[string]any{"pubkey": account, "data_len": half},
				map[string]any{"pubkey": programID, "data_len": half},
			}}
			expectError(t, tg, http.MethodPost, "/api/run", map[string]any{"asm": "bogus", "instruction": ix},
				http.StatusBadRequest, fmt.Sprintf("instruction.accounts[1]: the accounts' data exceeds %d bytes in total", lim.MaxAccountData))
		}},
		{"runtime: settings the runtime decides", func(t *testing.T, tg Target, _ Limits) {
			for _, extra := range []map[string]any{
				{"input": "00"}, {"heap": 64}, {"budget": 10},
				{"syscalls": []map[string]string{{"key": "bpf_mem_frob", "name": "bpf_mem_frob"}}},
			} {
				body := map[string]any{"asm": "exit", "instruction": instruction(nil)}
				for k, v := range extra {
					body[k] = v
				}
				expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "instruction: the runtime sets")
			}
		}},
		{"runtime: plain runs have no outcome", func(t *testing.T, tg Target, _ Limits) {
			resp := tg.Do(t, http.MethodPost, "/api/run", map[string]any{"asm": "exit"})
			var raw struct{ Results []map[string]json.RawMessage }
			resp.JSON(t, &raw)
			for _, k := range []string{"program_error", "compute_units_consumed", "logs", "accounts"} {
				if _, ok := raw.Results[0][k]; ok {
					t.Errorf("a run without an instruction has %q: %s", k, resp.Body)
				}
			}
		}},
	}
}
