//go:build !js

package browsertest

import (
	"time"

	"fmt"
	"github.com/chromedp/chromedp"
	"os"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/server/api"
)

// TestMachineCode selects an instruction and checks the x86-64 shown.
func TestMachineCode(t *testing.T) {
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-jit")
	p.waitText("#jit-summary", "bytes of x86-64")
	p.click("#pc-6 .txt") // lsh64 r0, 1
	p.waitText("#jit-title", "pc 6 (insn #35): lsh64 r0, 0x1")
	if code := p.text("#jit-code"); !strings.Contains(code, "shl") {
		t.Errorf("no shl in the machine code of lsh64: %s", code)
	}
	// Beside the x86, the compiled tier's WebAssembly for the same slot.
	if code := p.waitText("#wasm-code", "i64.shl"); !strings.Contains(p.text("#wasm-summary"), "slots → a module of") {
		t.Errorf("the WebAssembly of lsh64 without its summary: %s", code)
	}
	p.screenshot("machine-code")
}

// TestTour walks the guided tour to its end.
func TestTour(t *testing.T) {
	p := open(t, "")
	p.click("#tour-start")
	p.waitText("#tour-title", "1. A program arrives")
	p.waitText("#load-status", "loaded:")
	p.click("#tour-next")
	p.click("#tour-next")
	p.waitText("#tour-title", "3. First relocation")
	p.waitText("#reloc-title", "Step 1 of 2")
	p.click("#tour-next")
	p.click("#tour-next")
	p.waitText("#hash-result", "0x71e3cf81")
	p.click("#tour-next")
	p.waitText("#hash-key", "01 00 00 00 00 00 00 00")
	p.waitText("#hash-lookup", "pc 5 (insn #34)")
	p.click("#tour-next")
	p.waitText("#reg-r1", "0x0000000000000002")
	p.screenshot("tour")
	p.click("#tour-next")
	p.waitText("#dbg-pos", "pc 5")
	p.click("#tour-next")
	p.click("#tour-done")
	p.waitJS(`!document.getElementById("tour")`)
}

// TestSpeedWithoutServer: served as static files, the panel explains how
// to get a native server.
func TestSpeedWithoutServer(t *testing.T) {
	p := open(t, "")
	p.click("#tab-speed")
	p.waitText("#speed-noserver", "make run")
	// Both browser tiers run with no server: the interpreter and the
	// program compiled to WebAssembly, first runs and medians.
	p.click("#tab-load")
	p.click("#example-loop")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-speed")
	p.click("#speed-run")
	p.waitJS(`!!document.getElementById("speed-summary") || !!document.getElementById("speed-error")`)
	summary := p.text("#speed-summary")
	if !strings.Contains(summary, "as fast as the interpreter here") {
		t.Fatalf("summary %q; error %q; table %s", summary, p.text("#speed-error"), p.text("#speed-table"))
	}
	table := p.text("#speed-table")
	if n := eval[int](p, `document.querySelectorAll("#speed-table tbody tr").length`); n != 4 || strings.Count(table, "r0 = 44999850000") != 4 || strings.Count(table, "compiled to WebAssembly") != 2 {
		t.Errorf("want 4 rows that agree, two of the compiled tier; got %d: %s", n, table)
	}
	if p.text("#speed-error") != "" || strings.Contains(table, "server") {
		t.Errorf("the run without a server asked one: %s", table)
	}
	fmt.Println("speed without a server:", summary)
}

// TestSpeedCompare serves the page from the project's own server and
// compares the browser's interpreter and compiled tier with the native
// engines on the long loop (ALU) and the byte loop (loads and stores),
// each in one comparison, so that the tiers are timed side by side.
func TestSpeedCompare(t *testing.T) {
	h := api.New(api.Config{Static: os.DirFS(dist(t))})
	p := openWith(t, h, "")
	for _, ex := range []struct{ id, result string }{{"loop", "r0 = 44999850000"}, {"byte_loop", "r0 = 97"}} {
		p.click("#tab-load")
		p.click("#example-" + ex.id)
		p.waitText(".progname", ex.id+".so")
		p.click("#tab-speed")
		p.click("#speed-run")
		p.waitJS(`!!document.getElementById("speed-summary") || !!document.getElementById("speed-error")`)
		summary := p.text("#speed-summary")
		if !strings.Contains(summary, "of its native speed") {
			t.Fatalf("%s: summary %q; error %q; table %s", ex.id, summary, p.text("#speed-error"), p.text("#speed-table"))
		}
		rows := eval[[]string](p, `Array.from(document.querySelectorAll("#speed-table tbody tr")).map(r => r.innerText.replace(/\t/g, " | "))`)
		for _, r := range rows {
			fmt.Printf("speed, %s: %s\n", ex.id, r)
		}
		fmt.Printf("speed, %s: %s\n", ex.id, summary)
		// the browser's interpreter and compiled tier (first run and
		// median each), the server's interpreter and JIT
		if table := p.text("#speed-table"); len(rows) != 6 || strings.Count(table, ex.result) != 6 {
			t.Errorf("%s: want 6 rows that agree, got %d: %s", ex.id, len(rows), table)
		}
		if !strings.Contains(summary, "on its first run") || !strings.Contains(summary, "Compiled to WebAssembly") {
			t.Errorf("%s: summary without the first run or the compiled tier: %q", ex.id, summary)
		}
	}
	p.screenshot("speed")
}

// TestLongRunStops runs an endless loop: the page shows progress, stays
// responsive, and the stop button ends the run.
func TestLongRunStops(t *testing.T) {
	p := open(t, "")
	p.input("#asm-src", "entrypoint:\n  add64 r0, 1\n  ja entrypoint\n  exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.getElementById("dbg-budget")`)
	p.input("#dbg-budget", "1000000000")
	p.click("#dbg-run")
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](`!!document.getElementById("dbg-stop")`, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("no stop button while running: status %q, pos %q, err %q", p.text("#dbg-status"), p.text("#dbg-pos"), p.text("#dbg-error"))
	}
	p.waitJS(`!!document.querySelector(".progress .bar")`)
	// the page answers while the program runs
	lag, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](`(function(){const t0 = performance.now(); return new Promise(r => setTimeout(() => r(performance.now() - t0), 0))})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a timer set during the run fired after %.0f ms", lag)
	if lag > 1000 {
		t.Errorf("the page did not answer for %.0f ms during the run", lag)
	}
	p.click("#dbg-stop")
	got := p.waitText("#dbg-status", "stopped after")
	t.Logf("status: %s", got)
	p.waitJS(`!document.getElementById("dbg-stop")`)

	// Resetting or loading another program while a run goes on ends it
	// quietly.
	p.click("#dbg-run")
	p.waitJS(`!!document.getElementById("dbg-stop")`)
	p.click("#dbg-reset")
	p.waitText("#dbg-status", "ready at the entrypoint")
	p.click("#dbg-run")
	p.waitJS(`!!document.getElementById("dbg-stop")`)
	p.click("#tab-load")
	p.click("#example-noop")
	p.waitText("#load-status", "loaded:")
	if b := p.banner(); b != "" {
		t.Errorf("error banner after replacing a running program: %q", b)
	}
}

// TestRuntimeErrorPointsAtInstruction runs the unresolved-symbol example:
// the error is shown and its instruction is marked in the listing.
func TestRuntimeErrorPointsAtInstruction(t *testing.T) {
	p := open(t, "")
	p.click("#example-unresolved")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.click("#dbg-run")
	p.waitText("#dbg-status", "error: ELF error: Unresolved symbol (sol_missing_helper)")
	if cls := eval[string](p, `document.getElementById("pc-1").className`); !strings.Contains(cls, "err") {
		t.Errorf("failing instruction not marked: %q", cls)
	}
	p.screenshot("runtime-error")
}
