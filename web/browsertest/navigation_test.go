//go:build !js

package browsertest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

// The tests of this file follow issue 11's items 5, 6 and 8: one
// numbering everywhere, navigation that follows the user, and the mends.
// Timings are printed, not asserted.

// withFiles serves the page and, under /files/NAME, the given files: a
// large program reaches the page by fetch instead of as a JavaScript
// literal. It counts the requests that found nothing.
func withFiles(t *testing.T, files map[string][]byte) (http.Handler, *notFound) {
	page := handler(dist(t))
	nf := &notFound{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := files[filepath.Base(r.URL.Path)]; ok && filepath.Dir(r.URL.Path) == "/files" {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(b)
			return
		}
		page.ServeHTTP(&statusRecorder{ResponseWriter: w, path: r.URL.Path, nf: nf}, r)
	}), nf
}

// notFound lists the paths the page asked for and did not get.
type notFound struct {
	mu    sync.Mutex
	paths []string
}

func (n *notFound) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.paths...)
}

type statusRecorder struct {
	http.ResponseWriter
	path string
	nf   *notFound
}

func (s *statusRecorder) WriteHeader(code int) {
	if code == http.StatusNotFound {
		s.nf.mu.Lock()
		s.nf.paths = append(s.nf.paths, s.path)
		s.nf.mu.Unlock()
	}
	s.ResponseWriter.WriteHeader(code)
}

// dropServed drops the file served under /files/name on the page.
func (p *page) dropServed(name string) {
	p.t.Helper()
	eval[chromedp.Void](p, fmt.Sprintf(`fetch("files/%s").then(r => r.arrayBuffer()).then(b => {
		const dt = new DataTransfer();
		dt.items.add(new File([b], %q, {type: "application/octet-stream"}));
		document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})`, name, name))
}

// timed runs act and waits for the JavaScript condition done, returning
// the time between.
func (p *page) timed(act func(), done string) time.Duration {
	p.t.Helper()
	t0 := time.Now()
	act()
	p.waitJS(done)
	return time.Since(t0)
}

// inPage runs the JavaScript statement act in the page and returns how
// long the page took until the JavaScript condition done held, timed in
// the page (checked at every animation frame), so that the browser
// driver's round trips do not count.
func (p *page) inPage(act, done string) time.Duration {
	p.t.Helper()
	ms, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](fmt.Sprintf(`new Promise((resolve, reject) => {
		const t0 = performance.now();
		%s;
		const check = () => {
			if (%s) return resolve(performance.now() - t0);
			if (performance.now() - t0 > 20000) return reject("timeout");
			requestAnimationFrame(check);
		};
		check();
	})`, act, done), chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("timing %s: %v", act, err)
	}
	return time.Duration(ms * float64(time.Millisecond))
}

// setField sets an input's value and fires "change", as typing and
// leaving the field does.
func setField(sel, value string) string {
	return fmt.Sprintf(`(function(){const e=document.querySelector(%q);e.value=%q;e.dispatchEvent(new Event("change",{bubbles:true}))})()`, sel, value)
}

// centred reports how far (in rows of 22 px) the middle of element sel
// lies from the middle of its scrolling box, the listing or the step list.
func (p *page) offCentre(sel, box string) float64 {
	p.t.Helper()
	return eval[float64](p, fmt.Sprintf(`(function(){
		const e = document.querySelector(%q), b = document.querySelector(%q);
		if (!e || !b) return 1e9;
		const er = e.getBoundingClientRect(), br = b.getBoundingClientRect();
		return Math.abs((er.top + er.bottom) / 2 - (br.top + br.bottom) / 2) / 22;
	})()`, sel, box))
}

// visibleIn reports whether element sel lies wholly inside box's visible
// part.
func (p *page) visibleIn(sel, box string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf(`(function(){
		const e = document.querySelector(%q), b = document.querySelector(%q);
		if (!e || !b) return false;
		const er = e.getBoundingClientRect(), br = b.getBoundingClientRect();
		return er.top >= br.top - 1 && er.bottom <= br.bottom + 1;
	})()`, sel, box))
}

// key presses key on the page, as a reader does outside any field.
func (p *page) key(k string) {
	p.t.Helper()
	eval[chromedp.Void](p, fmt.Sprintf(`document.dispatchEvent(new KeyboardEvent("keydown", {key: %q, bubbles: true, cancelable: true}))`, k))
}

// fnSlots is the size of each function of realLike in slots: lddw (two
// slots), mov, call or mov, call, 13 adds, exit.
const fnSlots = 19

// realLike builds a program shaped like a real one of fns functions of
// fnSlots slots: each loads a string's address (an lddw: a text-address
// relocation), calls the next function (a relative call) and every eighth
// one calls sol_log_ by name (a symbol call). The entrypoint is the middle
// function. 1 632 functions make 31 000 slots and about 3 500 relocation
// steps, the size of Serum's DEX (31 449 instructions, 3 478 steps).
func realLike(t *testing.T, fns int) []byte {
	t.Helper()
	var src strings.Builder
	src.WriteString(".rodata msg \"hello\"\n")
	for i := range fns {
		if i == fns/2 {
			src.WriteString("entrypoint:\n")
		}
		fmt.Fprintf(&src, "f%d:\n  lddw r1, msg\n  mov64 r2, 5\n", i)
		if i%8 == 0 {
			src.WriteString("  call sol_log_\n")
		} else {
			src.WriteString("  mov64 r0, 0\n")
		}
		if i+1 < fns {
			fmt.Fprintf(&src, "  call f%d\n", i+1)
		} else {
			src.WriteString("  mov64 r0, 0\n")
		}
		for j := range 13 {
			fmt.Fprintf(&src, "  add64 r%d, %d\n", 3+j%4, j)
		}
		src.WriteString("  exit\n")
	}
	spec, err := elfbuild.FromAssembly(src.String())
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	return f.Bytes
}

// TestDebuggerOpensCentred opens the debugger on a program of 31 000
// instructions whose entrypoint lies in the middle: the listing opens on
// the entrypoint, centred, and "go to" centres its target, by label, by
// pc and by rbpf's number (#pc+29). j and k move the cursor.
func TestDebuggerOpensCentred(t *testing.T) {
	prog := realLike(t, 1632)
	p0, _, err := elf.LoadWithLog(prog)
	if err != nil {
		t.Fatal(err)
	}
	entry := p0.Entrypoint
	h, _ := withFiles(t, map[string][]byte{"big.so": prog})
	p := openWith(t, h, "")
	p.dropServed("big.so")
	p.waitText("#load-status", "loaded:")
	if got := p.text("#load-status"); !strings.Contains(got, fmt.Sprintf("entrypoint at pc %d (insn #%d)", entry, entry+29)) {
		t.Errorf("load status %q", got)
	}
	opened := p.timed(func() { p.click("#tab-debug") }, fmt.Sprintf(`!!document.getElementById("pc-%d")`, entry))
	time.Sleep(200 * time.Millisecond) // the scroll follows the render
	if off := p.offCentre(fmt.Sprintf("#pc-%d", entry), "#listing"); off > 1.5 {
		t.Errorf("the entrypoint is %.1f rows from the listing's middle", off)
	}
	if got := p.text(fmt.Sprintf("#pc-%d .insn", entry)); got != fmt.Sprintf("#%d", entry+29) {
		t.Errorf("rbpf's number beside pc %d: %q", entry, got)
	}
	p.screenshot("nav-debugger-opens")

	for _, c := range []struct{ where, pc string }{{"f1000", fmt.Sprint(1000 * fnSlots)}, {"#129", "100"}, {"pc 30000", "30000"}, {"12345", "12345"}} {
		t0 := time.Now()
		p.input("#list-goto", c.where)
		p.waitJS(fmt.Sprintf(`!!document.querySelector("#pc-%s.cursor")`, c.pc))
		took := time.Since(t0)
		time.Sleep(150 * time.Millisecond)
		if off := p.offCentre("#pc-"+c.pc, "#listing"); off > 1.5 {
			t.Errorf("go to %s: pc %s is %.1f rows from the middle", c.where, c.pc, off)
		}
		fmt.Printf("31 000 instructions: go to %s took %v\n", c.where, took.Round(time.Millisecond))
	}
	p.key("j")
	p.waitJS(`!!document.querySelector("#pc-12346.cursor")`)
	p.key("k")
	p.key("k")
	p.waitJS(`!!document.querySelector("#pc-12344.cursor")`)
	fmt.Printf("31 000 instructions: opening the debugger took %v\n", opened.Round(time.Millisecond))
}

// TestErrorLinksToInstruction runs a program that fails far from its
// entrypoint: the listing scrolls to the failing instruction, and the
// error beside the listing names it by pc and rbpf's number and links to
// it. The unresolved-symbol example shows why rbpf numbers its failing
// call #542 (pc + 29 + .text's file offset / 8).
func TestErrorLinksToInstruction(t *testing.T) {
	var src strings.Builder
	src.WriteString("entrypoint:\n  mov64 r1, 0\n  call far\n  exit\n")
	for range 3000 {
		src.WriteString("  mov64 r0, 1\n")
	}
	src.WriteString("far:\n  mov64 r0, 7\n  div64 r0, r1\n  exit\n") // pc 3004: divide by zero
	for range 1000 {
		src.WriteString("  mov64 r0, 2\n")
	}
	spec, err := elfbuild.FromAssembly(src.String())
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := withFiles(t, map[string][]byte{"div0.so": f.Bytes})
	p := openWith(t, h, "")
	p.dropServed("div0.so")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.click("#dbg-mode-bare")
	p.click("#dbg-run")
	p.waitText("#dbg-status", "divide by zero at instruction 3033")
	p.waitJS(`!!document.querySelector("#pc-3004.cur.err")`)
	time.Sleep(200 * time.Millisecond)
	if !p.visibleIn("#pc-3004", "#listing") {
		t.Error("the listing did not scroll to the failing instruction")
	}
	ref := p.waitText(".error-ref", "→ pc 3004 (insn #3033)")
	if !strings.Contains(ref, "#3033 is pc 3004") {
		t.Errorf("the error does not relate its number to the pc: %q", ref)
	}
	p.screenshot("nav-runtime-error")
	p.input("#list-goto", "5")
	p.waitJS(`!!document.querySelector("#pc-5.cursor")`)
	p.click(".error-ref .insn-link")
	p.waitJS(`!!document.querySelector("#pc-3004.cursor")`)
	time.Sleep(150 * time.Millisecond)
	if off := p.offCentre("#pc-3004", "#listing"); off > 1.5 {
		t.Errorf("the error's link left pc 3004 %.1f rows from the middle", off)
	}

	p.click("#tab-load")
	p.click("#example-unresolved")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.click("#dbg-run")
	// The example's .text starts at file offset 0x1000: rbpf says #542.
	p.waitText("#dbg-status", "Unresolved symbol (sol_missing_helper) at instruction #542")
	ref = p.waitText(".error-ref", "→ pc 1 (insn #30)")
	for _, want := range []string{"from the start of the file", "file offset 0x1008 / 8 + 29 = #542", "#542 is pc 1"} {
		if !strings.Contains(ref, want) {
			t.Errorf("unresolved symbol: %q lacks %q", ref, want)
		}
	}
	p.screenshot("nav-unresolved")
}

// TestRelocationNavigation replays the relocations of a program of 31 000
// instructions and 3 500 steps: the jump field, the list keeping the
// current step in view, the filter by kind, play's speed and "play to the
// next of this kind". It prints how long a jump takes.
func TestRelocationNavigation(t *testing.T) {
	prog := realLike(t, 1632)
	loaded, log, err := elf.LoadWithLog(prog)
	if err != nil {
		t.Fatal(err)
	}
	text, n := loaded.Text, len(log.Steps)
	kinds := map[elf.StepKind][]int{}
	for i, s := range log.Steps {
		kinds[s.Kind] = append(kinds[s.Kind], i)
	}
	h, _ := withFiles(t, map[string][]byte{"big.so": prog})
	p := openWith(t, h, "")
	p.dropServed("big.so")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-reloc")
	p.waitText("#reloc-title", fmt.Sprintf("Step 1 of %d", n))

	var jumps []time.Duration
	var renders []float64
	for _, step := range []int{1972, 3000, 17, n} {
		d := p.inPage(setField("#reloc-jump", fmt.Sprint(step)),
			fmt.Sprintf(`document.getElementById("reloc-title").textContent.startsWith("Step %d of")`, step))
		jumps = append(jumps, d)
		renders = append(renders, eval[float64](p, `window.rbpfRenderMS`))
		time.Sleep(100 * time.Millisecond)
		if !p.visibleIn(fmt.Sprintf("#step-%d", step-1), "#step-list") {
			t.Errorf("step %d is not in view in the list", step)
		}
	}
	fmt.Printf("%d slots, %d relocation steps: jumps took %v (of which building and rendering the page %v ms)\n", len(text)/8, n, jumps, renders)
	d := p.inPage(`document.getElementById("reloc-prev").click()`, fmt.Sprintf(`document.getElementById("reloc-title").textContent.startsWith("Step %d of")`, n-1))
	fmt.Printf("%d relocation steps: previous took %v\n", n, d.Round(time.Millisecond))

	// A pc jumps to the step that changes it.
	pc := 653 * fnSlots // an lddw
	p.input("#reloc-jump", fmt.Sprintf("pc %d", pc))
	p.waitText("#reloc-where", fmt.Sprintf("at pc %d (insn #%d)", pc, pc+29))

	// The filter: only symbol calls in the list, next moves among them.
	sym := kinds[elf.StepSymbolCall]
	p.click("#reloc-kind-symbol-call")
	p.waitJS(`Array.from(document.querySelectorAll("#step-list .step-item:not(.more)")).every(e => e.textContent.includes("sym call"))`)
	at := eval[string](p, `document.getElementById("reloc-title").textContent`)
	var cur int
	fmt.Sscanf(at, "Step %d of", &cur)
	k := 0
	for k < len(sym) && sym[k] < cur-1 {
		k++
	}
	p.click("#reloc-next")
	p.waitText("#reloc-title", fmt.Sprintf("Step %d of %d · R_BPF_64_32", sym[k+1]+1, n))
	p.screenshot("nav-reloc-filter")

	// Play at 100 steps/s through symbol calls, then pause.
	eval[chromedp.Void](p, `(function(){const s = document.getElementById("reloc-speed"); s.value = "100"; s.dispatchEvent(new Event("change", {bubbles: true}))})()`)
	r0 := eval[int](p, `window.rbpfRenders`)
	t0 := time.Now()
	p.click("#reloc-play")
	time.Sleep(time.Second)
	p.click("#reloc-play")
	played := time.Since(t0)
	fmt.Printf("play at 100 steps/s: %d renders, the last %.0f ms\n", eval[int](p, `window.rbpfRenders`)-r0, eval[float64](p, `window.rbpfRenderMS`))
	fmt.Sscanf(eval[string](p, `document.getElementById("reloc-title").textContent`), "Step %d of", &cur)
	k2 := 0
	for k2 < len(sym) && sym[k2] < cur-1 {
		k2++
	}
	moved := k2 - (k + 1)
	fmt.Printf("play at 100 steps/s: %d steps in %v\n", moved, played.Round(time.Millisecond))
	if moved < 1 {
		t.Errorf("play at 100 steps/s moved %d symbol calls in %v", moved, played)
	}
	// Paused, it stays.
	at = eval[string](p, `document.getElementById("reloc-title").textContent`)
	time.Sleep(300 * time.Millisecond)
	if now := eval[string](p, `document.getElementById("reloc-title").textContent`); now != at {
		t.Errorf("play went on after pause: %q, then %q", at, now)
	}

	// All kinds again; play to the next relative call from a symbol call.
	p.click("#reloc-kind-")
	p.input("#reloc-jump", fmt.Sprint(sym[3]+1))
	p.waitText("#reloc-title", fmt.Sprintf("Step %d of", sym[3]+1))
	p.waitText("#reloc-play-kind", "to the next symbol call")
	p.click("#reloc-play-kind")
	p.waitText("#reloc-title", fmt.Sprintf("Step %d of %d · R_BPF_64_32", sym[4]+1, n))
	p.waitText("#reloc-play", "play")
	p.screenshot("nav-reloc-play-kind")
}

// TestMachineCodeFollowsCursor opens the machine-code view: the listing
// opens centred on the instruction the view shows, the view follows the
// cursor (a click, the j key), and it stays beside the listing as the
// page scrolls.
func TestMachineCodeFollowsCursor(t *testing.T) {
	prog := realLike(t, 400)
	p0, _, err := elf.LoadWithLog(prog)
	if err != nil {
		t.Fatal(err)
	}
	entry := p0.Entrypoint
	h, _ := withFiles(t, map[string][]byte{"mid.so": prog})
	p := openWith(t, h, "")
	p.dropServed("mid.so")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-jit")
	p.waitText("#jit-title", fmt.Sprintf("pc %d (insn #%d)", entry, entry+29))
	time.Sleep(200 * time.Millisecond)
	if off := p.offCentre(fmt.Sprintf("#pc-%d", entry), "#listing"); off > 1.5 {
		t.Errorf("the machine code's instruction is %.1f rows from the listing's middle", off)
	}
	if cls := eval[string](p, fmt.Sprintf(`document.getElementById("pc-%d").className`, entry)); !strings.Contains(cls, "cursor") {
		t.Errorf("the instruction shown is not marked in the listing: %q", cls)
	}
	p.click(fmt.Sprintf("#pc-%d .pc", entry+4))
	p.waitText("#jit-title", fmt.Sprintf("pc %d (insn #%d): call", entry+4, entry+33))
	p.key("j")
	p.waitText("#jit-title", fmt.Sprintf("pc %d (insn #%d): add64", entry+5, entry+34))
	p.screenshot("nav-machine-code")
	eval[chromedp.Void](p, `window.scrollTo(0, 400)`)
	time.Sleep(100 * time.Millisecond)
	if top := eval[float64](p, `document.querySelector(".jit-side").getBoundingClientRect().top`); top < 0 || top > 200 {
		t.Errorf("the machine code scrolled away with the page: top %v", top)
	}
}

// TestListingKeepsScroll checks that the listing keeps its place when
// something appears above the view (the tour, a banner): vugu redraws an
// element whose position among its siblings changes.
func TestListingKeepsScroll(t *testing.T) {
	h, _ := withFiles(t, map[string][]byte{"prog.so": realLike(t, 200)})
	p := openWith(t, h, "")
	p.dropServed("prog.so")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.waitJS(`!!document.getElementById("dbg-step")`)
	time.Sleep(300 * time.Millisecond)
	before := eval[float64](p, `document.getElementById("listing").scrollTop`)
	p.click("#tour-start")
	p.waitJS(`!!document.getElementById("tour-ask")`)
	time.Sleep(200 * time.Millisecond)
	if after := eval[float64](p, `document.getElementById("listing").scrollTop`); before == 0 || after != before {
		t.Errorf("the listing scrolled from %v to %v when the tour appeared", before, after)
	}
}

// TestMends checks the small things the trial found: the sticky tab bar,
// the favicon, the tour asking before it replaces a dropped program and
// setting its code as code, the contrast of code text, the debugger at
// 1024 px, a file rejected before relocation, checks that repeat their
// error, typed labels.
func TestMends(t *testing.T) {
	big := realLike(t, 200)
	x86 := append([]byte(nil), exampleELF(t, "noop")...)
	x86[18] = 62 // e_machine = EM_X86_64
	h, nf := withFiles(t, map[string][]byte{"prog.so": big, "x86.so": x86})
	p := openWith(t, h, "")

	// The favicon is part of the page: nothing asked for is missing.
	if icon := eval[string](p, `(document.querySelector("link[rel=icon]") || {}).href || ""`); !strings.HasPrefix(icon, "data:image/svg+xml") {
		t.Errorf("no favicon: %q", icon)
	}

	p.dropServed("prog.so")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.waitJS(`!!document.getElementById("dbg-step")`)
	eval[chromedp.Void](p, `window.scrollTo(0, 600)`)
	time.Sleep(100 * time.Millisecond)
	if top := eval[float64](p, `document.querySelector(".top").getBoundingClientRect().top`); top != 0 {
		t.Errorf("the tab bar scrolled away: top %v", top)
	}
	eval[chromedp.Void](p, `window.scrollTo(0, 0)`)

	// Code text reaches 4.5:1 against its background.
	for _, sel := range []string{"#listing .dl .pc", "#listing .dl .insn", "#listing .dl .bytes", "#listing .dl .txt", "#listing .dl .note", ".list-goto .cols"} {
		if r := contrast(p, sel); r < 4.5 {
			t.Errorf("%s: contrast %.2f:1", sel, r)
		}
	}

	// At 1024 px the debugger's boxes stay inside the page.
	p.do(chromedp.EmulateViewport(1024, 800))
	p.click("#dbg-step")
	p.waitText("#dbg-pos", "1 instruction executed")
	time.Sleep(200 * time.Millisecond)
	// Every box of the side column (registers, frames, memory, syscall
	// log) and the listing end inside the panel.
	over := eval[[]string](p, `(function(){
		const panel = document.querySelector(".debug-panel").getBoundingClientRect().right, out = [];
		for (const e of [...document.querySelectorAll(".dbg-side > *, .dbg-side pre, #listing")]) {
			const r = e.getBoundingClientRect().right;
			if (r > panel + 0.5) out.push((e.id || e.className || e.tagName) + " ends at " + r + ", past " + panel);
		}
		return out;
	})()`)
	for _, o := range over {
		t.Errorf("at 1024 px: %s", o)
	}
	p.screenshot("mend-debugger-1024")
	p.do(chromedp.EmulateViewport(1360, 900))

	// The tour asks before replacing the dropped program, and brings it
	// back when it closes.
	p.click("#tour-start")
	p.waitText("#tour-ask", "in place of prog.so")
	p.screenshot("mend-tour-asks")
	p.click("#tour-cancel")
	p.waitJS(`!document.getElementById("tour")`)
	if name := p.text(".progname"); name != "prog.so" {
		t.Errorf("cancelling the tour changed the program to %q", name)
	}
	p.click("#tour-start")
	p.click("#tour-confirm")
	p.waitText("#tour-title", "1. A program arrives")
	p.click("#tour-next")
	p.click("#tour-next")
	p.waitText("#tour-title", "3. First relocation")
	if code := p.text("#tour-text code"); code != "call 3" {
		t.Errorf("the tour's code is not set as code: %q in %q", code, p.text("#tour-text"))
	}
	if strings.Contains(p.text("#tour-text"), "`") {
		t.Errorf("backticks in the tour: %q", p.text("#tour-text"))
	}
	// the tour box sits above the view, not over it
	if over := eval[bool](p, `(function(){const t=document.getElementById("tour").getBoundingClientRect(), v=document.querySelector("main.view").getBoundingClientRect(); return t.bottom > v.top + 1})()`); over {
		t.Error("the tour box overlaps the view")
	}
	p.screenshot("mend-tour")
	p.click("#tour-prev")
	p.click("#tour-prev")
	p.click("#tour-prev")
	p.waitText(".progname", "prog.so")

	// A file the loader rejects before relocating says so.
	p.dropServed("x86.so")
	p.waitText("#load-status", "rejected: ELF error: Incompatible ELF: wrong machine")
	checks := p.text("#checklist")
	if strings.Count(checks, "wrong machine") > 1 {
		t.Errorf("the checklist repeats the error: %q", checks)
	}
	if got := p.text("#elf-header"); !strings.Contains(got, "rbpf v0.2.8 accepts only EM_BPF (247)") {
		t.Errorf("e_machine 62 without its meaning: %q", got)
	}
	p.click("#tab-reloc")
	p.waitText("#reloc-none", "rejected this file before relocating anything")
	p.screenshot("mend-rejected-before-relocation")

	// A parse failure does not say its message twice.
	p.dropFile("junk.so", []byte("this is not an ELF file at all"))
	p.waitText("#load-status", "rejected:")
	p.click("#tab-inspect")
	if row := p.text("#checklist tr.fail"); strings.Count(row, "bad magic") != 1 {
		t.Errorf("the parse check repeats its error: %q", row)
	}

	// A label typed in the editor stays as typed.
	p.click("#tab-load")
	p.input("#asm-src", "entrypoint:\n  mov64 r0, 3\nloop:\n  sub64 r0, 1\n  jne r0, 0, loop\n  exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.getElementById("pc-1")`)
	if l := p.text("#listing"); !strings.Contains(l, "loop:") || strings.Contains(l, "lbb_") {
		t.Errorf("typed label renamed: %q", l)
	}
	if missing := nf.list(); len(missing) > 0 {
		t.Errorf("the page asked for files that do not exist: %v", missing)
	}
}

// contrast is the contrast ratio of the first element sel's text colour
// against the first opaque background behind it.
func contrast(p *page, sel string) float64 {
	p.t.Helper()
	return eval[float64](p, fmt.Sprintf(`(function(){
		const e = document.querySelector(%q);
		if (!e) return 0;
		const rgb = s => s.match(/[\d.]+/g).map(Number);
		const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
		let bg = null;
		for (let n = e; n && !bg; n = n.parentElement) {
			const c = rgb(getComputedStyle(n).backgroundColor);
			if (c.length < 4 || c[3] === 1) { if (c.length < 4 || c[3] > 0) bg = c; }
		}
		bg = bg || [255, 255, 255];
		const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	})()`, sel))
}

// TestHugeProgram loads a program of nearly 4 MB (the largest file the
// page reads; 450 000 instructions) and checks that every view stays
// usable, printing how long each took.
func TestHugeProgram(t *testing.T) {
	prog := realLike(t, 16_500)
	if len(prog) > 4<<20 {
		t.Fatalf("the program is %d bytes, above the page's limit", len(prog))
	}
	loaded, log, err := elf.LoadWithLog(prog)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := withFiles(t, map[string][]byte{"huge.so": prog})
	p := openWith(t, h, "")
	var times []string
	note := func(what string, d time.Duration) {
		times = append(times, fmt.Sprintf("%s %v", what, d.Round(time.Millisecond)))
	}
	note("load", p.timed(func() { p.dropServed("huge.so") }, `(document.getElementById("load-status")||{}).textContent?.startsWith("loaded:")`))
	note("relocations", p.timed(func() { p.click("#tab-reloc") }, `!!document.getElementById("reloc-title")`))
	step, far := len(log.Steps)*9/10, len(loaded.Text)/8*9/10
	note("relocation jump", p.inPage(setField("#reloc-jump", fmt.Sprint(step)), fmt.Sprintf(`document.getElementById("reloc-title").textContent.startsWith("Step %d of")`, step)))
	note("disassembly", p.timed(func() { p.click("#tab-disasm") }, `!!document.querySelector("#listing .dl")`))
	note("go to", p.inPage(setField("#list-goto", fmt.Sprint(far)), fmt.Sprintf(`!!document.querySelector("#pc-%d.cursor")`, far)))
	note("debugger", p.timed(func() { p.click("#tab-debug") }, `!!document.getElementById("dbg-step")`))
	note("machine code", p.timed(func() { p.click("#tab-jit") }, `!!document.getElementById("jit-title") || !!document.querySelector(".jit-panel .err")`))
	p.screenshot("nav-huge")
	fmt.Printf("%.1f MB program (%d slots, %d relocation steps): %s\n", float64(len(prog))/(1<<20), len(loaded.Text)/8, len(log.Steps), strings.Join(times, ", "))
}

// TestRealProgramShots loads a real program from RBPF_REALPROGS (a folder
// of .so files, not part of the repository) and takes a screenshot of each
// view, after a run. It skips without the variable.
func TestRealProgramShots(t *testing.T) {
	dir := os.Getenv("RBPF_REALPROGS")
	if dir == "" {
		t.Skip("RBPF_REALPROGS names no folder of real programs")
	}
	name := "serum_dex-v3_2021-09.so"
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skip(err)
	}
	h, _ := withFiles(t, map[string][]byte{name: b})
	p := openWith(t, h, "")
	p.dropServed(name)
	p.waitText("#load-status", "loaded:")
	p.screenshot("real-inspect")
	p.click("#tab-reloc")
	var jumps []time.Duration
	for _, step := range []int{1972, 3000, 17, 1972} {
		jumps = append(jumps, p.inPage(setField("#reloc-jump", fmt.Sprint(step)),
			fmt.Sprintf(`document.getElementById("reloc-title").textContent.startsWith("Step %d of")`, step)))
	}
	fmt.Printf("%s: relocation jumps to steps 1972, 3000, 17, 1972 took %v\n", name, jumps)
	time.Sleep(300 * time.Millisecond)
	p.screenshot("real-reloc")
	for _, v := range []string{"disasm", "debug"} {
		p.click("#tab-" + v)
		time.Sleep(time.Second)
		p.screenshot("real-" + v)
	}
	p.click("#dbg-run")
	p.waitJS(`!document.getElementById("dbg-stop")`)
	time.Sleep(500 * time.Millisecond)
	p.screenshot("real-debug-run")
	for _, v := range []string{"jit", "speed"} {
		p.click("#tab-" + v)
		time.Sleep(time.Second)
		p.screenshot("real-" + v)
	}
}
