package api

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/tracefile"
)

// TestTraceFile checks "trace_file": each engine's run comes back as a
// trace file that decodes to the run's steps and result, the engines'
// files compare identical, the trace text is left out unless asked for,
// and the trace limit applies as to "trace".
func TestTraceFile(t *testing.T) {
	h := newTestHandler(Config{MaxTraceInsns: 50})
	engines := `["interp"]`
	if h.JITAvailable() {
		engines = `["interp", "jit"]`
	}
	body := `{"asm": "ldxb r0, [r1+0]\nadd64 r0, 1\nexit", "input": "29", "trace_file": true, "engines": ` + engines + `}`
	rec := serve(h, "POST", "/api/run", body)
	var resp struct{ Results []EngineResult }
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || rec.Code != 200 {
		t.Fatalf("%d %.500s", rec.Code, rec.Body)
	}
	var files []*tracefile.File
	for _, r := range resp.Results {
		data, err := base64.StdEncoding.DecodeString(r.TraceFile)
		if err != nil {
			t.Fatalf("%s: trace_file: %v", r.Engine, err)
		}
		f, err := tracefile.Decode(data, tracefile.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", r.Engine, err)
		}
		e, _ := f.Entry(2)
		if f.Len() != 3 || e[0] != 42 || f.Result.Engine != r.Engine || *f.Result.Value != 42 || r.Trace != "" || f.Program.Kind != "asm" {
			t.Errorf("%s: %d steps, r0 at step 2 %d, result %+v, trace text %q", r.Engine, f.Len(), e[0], f.Result, r.Trace)
		}
		files = append(files, f)
	}
	if len(files) == 2 {
		if d := tracefile.Compare(files[0], files[1]); !d.Identical {
			t.Errorf("engines' files differ: %s", d.Summary(nil))
		}
	}
	both := strings.Replace(body, `"trace_file": true`, `"trace_file": true, "trace": true`, 1)
	if rec := serve(h, "POST", "/api/run", both); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"trace":"    0 [`) {
		t.Errorf("trace and trace_file: %d %.300s", rec.Code, rec.Body)
	}
	loop := `{"asm": "ja -1", "budget": 1000, "trace_file": true}`
	if rec := serve(h, "POST", "/api/run", loop); rec.Code != 400 || !strings.Contains(rec.Body.String(), "trace limit: a traced run may execute at most 50 instructions") {
		t.Errorf("trace limit: %d %.300s", rec.Code, rec.Body)
	}
	if rec := serve(h, "POST", "/api/run", strings.Replace(body, `"trace_file": true`, `"trace_file": true, "repeat": 3`, 1)); rec.Code != 400 || !strings.Contains(rec.Body.String(), `\"trace_file\" needs \"repeat\" 1`) {
		t.Errorf("repeat: %d %.300s", rec.Code, rec.Body)
	}
}
