package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// loop100 is the load test's program: 302 instructions.
const loop100 = `{"asm": "mov r0, 0\nmov r1, 100\nloop:\nadd r0, r1\nsub r1, 1\njne r1, 0, loop\nexit", "engines": ["%s"]}`

func benchRun(b *testing.B, engine string) { benchRunRepeat(b, engine, 1) }

func benchRunRepeat(b *testing.B, engine string, repeat int) {
	h := newTestHandler(Config{})
	if engine == EngineJIT && !h.JITAvailable() {
		b.Skip(h.jitUnavailable())
	}
	body := strings.Replace(loop100, "%s", engine, 1)
	if repeat > 1 {
		body = strings.Replace(body, "{", `{"repeat": `+strconv.Itoa(repeat)+`, `, 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(h, http.MethodPost, "/api/run", body); rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkRunInterp is one /api/run of the load test's program on the
// interpreter, without the network.
func BenchmarkRunInterp(b *testing.B) { benchRun(b, EngineInterp) }

// BenchmarkRunJIT is the same on the JIT (compile, map, run, unmap).
func BenchmarkRunJIT(b *testing.B) { benchRun(b, EngineJIT) }

// BenchmarkRunInterpRepeat100 is one /api/run of the load test's program
// with "repeat": 100, as a client measuring speed sends it.
func BenchmarkRunInterpRepeat100(b *testing.B) { benchRunRepeat(b, EngineInterp, 100) }

// BenchmarkRunJITRepeat100 is the same on the JIT.
func BenchmarkRunJITRepeat100(b *testing.B) { benchRunRepeat(b, EngineJIT, 100) }

// BenchmarkRunRuntimeRepeat100 is a runtime run (log "hello", one account
// of 1 KiB) with "repeat": 100 on the interpreter: a new VM, serialized
// input and heap every repetition.
func BenchmarkRunRuntimeRepeat100(b *testing.B) {
	h := newTestHandler(Config{})
	body := `{"asm": "lddw r1, 0x6f6c6c6568\nstxdw [r10-8], r1\nmov r1, r10\nsub r1, 8\nmov r2, 5\ncall sol_log_\nmov r0, 0\nexit", "repeat": 100,
		"instruction": {"program_id": "` + testProgramID + `", "accounts": [{"pubkey": "` + testProgramID + `", "data_len": 1024}]}}`
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(h, http.MethodPost, "/api/run", body); rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}
