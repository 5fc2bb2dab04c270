//go:build !js

package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// TestFirstRender measures, in the browser, how long after navigation
// start the page first renders, and checks that it is built and that
// main.wasm is downloaded once and within the size budget. It prints four
// numbers:
//   - first visit: a browser that was already running opens the page with
//     nothing cached, which is what a new visitor gets;
//   - the same for a minimal Go program served in the same page
//     (testdata/floor), the part of that time any Go WebAssembly page pays
//     on this machine and browser;
//   - revisit: the page opened again in the same tab, as browsers do it
//     (the HTTP cache answers and V8 takes the module's compiled code from
//     its code cache);
//   - revisit with the HTTP cache disabled. V8 keeps the compiled module of the first load in memory and
//     reuses it for the same bytes, so this is a return visit, not a cold one.
func TestFirstRender(t *testing.T) {
	floor := openSettled(t, handler(floorDist(t)))
	floorMS := eval[float64](floor, `window.rbpfFirstRender`)
	if got := floor.text("#vugu_mount_point"); got != "a minimal Go program" {
		t.Fatalf("the floor program did not render: %q", got)
	}
	floor.stop()

	p := openSettled(t, handler(dist(t)))
	ms := eval[float64](p, `window.rbpfFirstRender`)
	times := eval[map[string]float64](p, `window.rbpfTimes`)
	nav := eval[map[string]float64](p, `(function(){const n=performance.getEntriesByType("navigation")[0];return {responseEnd:n.responseEnd, domInteractive:n.domInteractive}})()`)
	t.Logf("page timings (ms since navigation start): %v %v", nav, times)
	fmt.Printf("playground first render, first visit: %.0f ms (a minimal Go program in the same page: %.0f ms)\n", ms, floorMS)

	// A return visit as browsers make it: the HTTP cache answers, and V8
	// finds the module's compiled code in its code cache.
	time.Sleep(time.Second)
	p.do(chromedp.Navigate(p.url + "?cached"))
	p.waitJS(`typeof window.rbpfFirstRender === "number"`)
	cached := eval[float64](p, `window.rbpfFirstRender`)
	t.Logf("page timings, revisit with the HTTP cache: %v", eval[map[string]float64](p, `window.rbpfTimes`))
	fmt.Printf("playground first render, revisit (HTTP cache on): %.0f ms\n", cached)

	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Navigate(p.url + "?again"))
	p.waitJS(`typeof window.rbpfFirstRender === "number"`)
	again := eval[float64](p, `window.rbpfFirstRender`)
	t.Logf("page timings, revisit: %v", eval[map[string]float64](p, `window.rbpfTimes`))
	fmt.Printf("playground first render, revisit (HTTP cache off, compiled module kept): %.0f ms\n", again)
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
		t.Errorf("main.wasm.gz is %d bytes, above the 2 MB budget (web/mkdist compresses it with zopfli when the zopfli command is installed, else with gzip -9)", fi.Size())
	}
	p.screenshot("load")
}

// TestFirstPaint opens the page with main.wasm held back, so that the
// prerendered first view is all there is: it must be painted, with the
// example cards and the editor's text. Text typed into the editor and a
// click on its build button meanwhile must take effect once the program
// has started. It prints the first contentful paint and the first render (when
// the page becomes interactive), beside the first render of a minimal Go
// program in the same page.
func TestFirstPaint(t *testing.T) {
	floor := openSettled(t, handler(floorDist(t)))
	floorMS := eval[float64](floor, `window.rbpfFirstRender`)
	floor.stop()

	// The floor of a first paint: the same page with its scripts taken
	// out, which the browser paints as soon as it has the HTML and the
	// styles.
	static := newPage(t, handler(staticDist(t)))
	static.do(chromedp.Navigate("about:blank"))
	time.Sleep(time.Second)
	static.do(chromedp.Navigate(static.url))
	staticFCP := firstContentfulPaint(static)
	static.stop()

	// A first visit, measured, with nothing held back.
	p := openSettled(t, handler(dist(t)))
	fcp := firstContentfulPaint(p)
	tti := eval[float64](p, `window.rbpfFirstRender`)
	fmt.Printf("first visit: first contentful paint %.0f ms (the prerendered first view; the same page without scripts: %.0f ms), first render %.0f ms (a minimal Go program in the same page: %.0f ms)\n", fcp, staticFCP, tti, floorMS)
	p.stop()

	gate := make(chan struct{})
	files := handler(dist(t))
	held := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/main.wasm" {
			select {
			case <-gate:
			case <-time.After(30 * time.Second):
			}
		}
		files.ServeHTTP(w, r)
	})
	q := newPage(t, held)
	q.do(chromedp.Navigate(q.url))
	q.waitJS(`!!document.querySelector("#example-relative_calls") && !!document.querySelector("#asm-src")`)
	if started := eval[bool](q, `typeof window.rbpfFirstRender === "number"`); started {
		close(gate)
		t.Fatal("the program started although main.wasm was held back")
	}
	if got := q.text("#asm-src"); !strings.Contains(got, "entrypoint:") {
		t.Errorf("the prerendered editor holds %q", got)
	}
	firstContentfulPaint(q) // painted before the program started
	q.screenshot("first-paint")
	eval[bool](q, `(function(){ const a = document.getElementById("asm-src"); a.value = "entrypoint:\n  mov64 r0, 7\n  exit\n"; a.dispatchEvent(new Event("input", {bubbles: true})); document.getElementById("build-run").click(); return true })()`)
	close(gate)
	q.waitJS(`typeof window.rbpfFirstRender === "number"`)
	q.waitJS(`document.getElementById("tab-debug").classList.contains("active")`)
	q.waitText("#listing", "mov64 r0, 0x7")
	if n := eval[int](q, `document.querySelectorAll(".app, #tab-load").length`); n != 2 {
		t.Errorf("after the program's first render the page holds %d .app and #tab-load elements, want one each", n)
	}
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

// firstContentfulPaint waits for the page's first contentful paint and
// returns its time since navigation in ms.
func firstContentfulPaint(p *page) float64 {
	p.t.Helper()
	p.waitJS(`performance.getEntriesByName("first-contentful-paint").length === 1`)
	return eval[float64](p, `performance.getEntriesByName("first-contentful-paint")[0].startTime`)
}

// staticDist is the playground's page with every script taken out, in a
// directory of its own.
func staticDist(t *testing.T) string {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(dist(t), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	css, err := os.ReadFile(filepath.Join(dist(t), "style.css"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stripped := regexp.MustCompile(`(?s)<script.*?</script>`).ReplaceAll(page, nil)
	if bytes.Contains(stripped, []byte("<script")) {
		t.Fatal("a script is left in the static page")
	}
	for name, b := range map[string][]byte{"index.html": stripped, "style.css": css} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
