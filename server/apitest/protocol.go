package apitest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// cases lists the suite: protocol and limits first, then running programs.
func cases() []testCase {
	return append(append(append(append(protocolCases(), programCases()...), runtimeCases()...), jitCases()...), elfCases()...)
}

func protocolCases() []testCase {
	return []testCase{
		{"health", func(t *testing.T, tg Target, _ Limits) {
			resp := tg.Do(t, http.MethodGet, "/api/health", nil)
			var h struct{ Status string }
			resp.JSON(t, &h)
			if resp.Status != http.StatusOK || h.Status != "ok" {
				t.Fatalf("health: %d %s", resp.Status, resp.Body)
			}
		}},
		{"version", func(t *testing.T, tg Target, _ Limits) {
			var v struct {
				RBPF    string            `json:"rbpf"`
				Engines map[string]string `json:"engines"`
				Machine struct{ Go, OS, Arch string }
			}
			tg.Do(t, http.MethodGet, "/api/version", nil).JSON(t, &v)
			if v.RBPF != "v0.2.8" || v.Engines["interp"] != "available" || !strings.HasPrefix(v.Machine.Go, "go1.") {
				t.Errorf("version: %+v", v)
			}
			if jitUp := v.Engines["jit"] == "available"; jitUp != tg.JIT {
				t.Errorf("engines.jit = %q, target expects JIT %v", v.Engines["jit"], tg.JIT)
			}
		}},
		{"unknown path", func(t *testing.T, tg Target, _ Limits) {
			expectError(t, tg, http.MethodGet, "/api/nope", nil, http.StatusNotFound, "not found")
		}},
		{"wrong method", func(t *testing.T, tg Target, _ Limits) {
			resp := expectError(t, tg, http.MethodGet, "/api/run", nil, http.StatusMethodNotAllowed, "use POST")
			if resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", resp.Header.Get("Allow"))
			}
			expectError(t, tg, http.MethodPost, "/api/health", "{}", http.StatusMethodNotAllowed, "use GET")
		}},
		{"malformed JSON", func(t *testing.T, tg Target, _ Limits) {
			for body, want := range map[string]string{
				``:                        "empty body",
				`{"asm": `:                "unexpected end",
				`{"asm" "exit"}`:          "malformed JSON",
				`[1,2]`:                   "expected",
				`{"asm": 5}`:              "asm",
				`{"asm": "exit"} {}`:      "more than one value",
				`{"asm": "exit", "x": 1}`: `unknown field "x"`,
				`{"budget": -1}`:          "budget",
				"\xff\xfe":                "malformed JSON",
			} {
				expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, want)
			}
		}},
		{"deeply nested JSON", func(t *testing.T, tg Target, _ Limits) {
			body := `{"asm":` + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + `}`
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "")
		}},
		{"program source", func(t *testing.T, tg Target, _ Limits) {
			for body, want := range map[string]string{
				`{}`:                                "exactly one",
				`{"asm": "exit", "bytes": "AA=="}`:  "exactly one",
				`{"bytes": "%%%"}`:                  `"bytes": not base64`,
				`{"elf": "!"}`:                      `"elf": not base64`,
				`{"asm": "exit", "input": "0g"}`:    `"input": not hex`,
				`{"asm": "exit", "engines": ["x"]}`: `unknown engine "x"`,
				`{"asm": "exit", "engines": ["interp", "interp"]}`: "given twice",
				`{"asm": "exit", "repeat": -1}`:                    "negative",
				`{"asm": "exit", "heap": -1}`:                      `"heap"`,
			} {
				expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, want)
			}
		}},
		{"body size limit", func(t *testing.T, tg Target, lim Limits) {
			// Sent without a Content-Length, so the server reads up to the
			// limit and answers while the few bytes past it are in flight.
			// With the length declared it answers before reading, and the
			// client, still writing megabytes, may see the connection
			// closed instead of the answer (the handler's own tests cover
			// that path).
			big := `{"asm": "` + strings.Repeat(" ", int(lim.MaxBodyBytes)) + `exit"}`
			expectError(t, tg, http.MethodPost, "/api/run", io.MultiReader(strings.NewReader(big)), http.StatusRequestEntityTooLarge, "exceeds the limit")
		}},
		{"budget cap", func(t *testing.T, tg Target, lim Limits) {
			body := fmt.Sprintf(`{"asm": "exit", "budget": %d}`, lim.MaxBudget+1)
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "exceeds this server's cap")
		}},
		{"repeat cap", func(t *testing.T, tg Target, lim Limits) {
			body := fmt.Sprintf(`{"asm": "exit", "repeat": %d}`, lim.MaxRepeat+1)
			expectError(t, tg, http.MethodPost, "/api/run", body, http.StatusBadRequest, "exceeds this server's cap")
		}},
		{"elf request errors", func(t *testing.T, tg Target, _ Limits) {
			expectError(t, tg, http.MethodPost, "/api/elf", `{"elf": "@@"}`, http.StatusBadRequest, "not base64")
			expectError(t, tg, http.MethodPost, "/api/elf", `{"asm": "exit"}`, http.StatusBadRequest, "unknown field")
		}},
		{"jit request errors", func(t *testing.T, tg Target, _ Limits) {
			expectError(t, tg, http.MethodPost, "/api/jit", `{}`, http.StatusBadRequest, "exactly one")
		}},
	}
}
