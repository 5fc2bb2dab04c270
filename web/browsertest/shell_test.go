package browsertest

import (
	"fmt"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"os"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// TestFirstRender opens the page, checks it is built and reports how long the
// first render took, measured by the browser from navigation start. It also
// checks the served size of main.wasm.
func TestFirstRender(t *testing.T) {
	p := open(t, "")
	ms := eval[float64](p, `window.rbpfFirstRender`)
	times := eval[map[string]float64](p, `window.rbpfTimes`)
	nav := eval[map[string]float64](p, `(function(){const n=performance.getEntriesByType("navigation")[0];return {responseEnd:n.responseEnd, domInteractive:n.domInteractive}})()`)
	t.Logf("page timings (ms since navigation start): %v %v", nav, times)
	t.Logf("first render: %.0f ms after navigation start", ms)
	fmt.Printf("playground first render (fresh browser): %.0f ms\n", ms)

	// The same page again in the same browser with the HTTP cache (and so
	// V8's cache of compiled wasm) disabled: a cold page in a running
	// browser, which is what a visitor gets.
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Navigate(p.url + "?again"))
	p.waitJS(`typeof window.rbpfFirstRender === "number"`)
	warm := eval[float64](p, `window.rbpfFirstRender`)
	t.Logf("page timings, running browser, no cache: %v", eval[map[string]float64](p, `window.rbpfTimes`))
	fmt.Printf("playground first render (running browser, cache disabled): %.0f ms\n", warm)
	// The Link header's preload and the page's fetch must be one download.
	wasm := eval[[]map[string]any](p, `performance.getEntriesByType("resource").filter(e => new URL(e.name).pathname === "/main.wasm").map(e => ({start: e.startTime, end: e.responseEnd, initiator: e.initiatorType}))`)
	t.Logf("main.wasm downloads: %v", wasm)
	if len(wasm) != 1 {
		t.Errorf("main.wasm was downloaded %d times, want once: %v", len(wasm), wasm)
	}
	if got := p.text(".brand"); !strings.Contains(got, "rbpf") {
		t.Fatalf("header not rendered: %q", got)
	}
	fi, err := os.Stat(dist(t) + "/main.wasm.gz")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("playground main.wasm.gz: %d bytes\n", fi.Size())
	if fi.Size() > 2<<20 {
		t.Errorf("main.wasm.gz is %d bytes, above the 2 MB budget", fi.Size())
	}
	p.screenshot("load")
}

// TestHashName types a symbol name and checks the hash the page shows
// against core/ebpf, then an instruction index.
func TestHashName(t *testing.T) {
	p := open(t, "")
	p.click("#tab-hash")
	p.input("#hash-input", "sol_log_")
	want := fmt.Sprintf("0x%08x", ebpf.HashSymbolName([]byte("sol_log_")))
	p.waitText("#hash-result", want)
	p.input("#hash-input", "abcdefg")
	want = fmt.Sprintf("0x%08x", ebpf.HashSymbolName([]byte("abcdefg")))
	p.waitText("#hash-result", want)
	if got := p.text(".steps"); !strings.Contains(got, "tail") || !strings.Contains(got, "block 0") {
		t.Errorf("steps table lacks blocks or tail: %q", got)
	}
	p.screenshot("hash")

	p.click("#hash-mode-pc")
	p.input("#hash-input", "7")
	want = fmt.Sprintf("0x%08x", ebpf.HashPC(7))
	p.waitText("#hash-result", want)
	p.waitText("#hash-key", "07 00 00 00 00 00 00 00")
}
