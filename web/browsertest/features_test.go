//go:build !js

package browsertest

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/tracefile"
	"github.com/rbpfgo/rbpfgo/core/vm"
	"github.com/rbpfgo/rbpfgo/web/examples"
)

// exampleELF builds an example exactly as the page does.
func exampleELF(t *testing.T, id string) []byte {
	t.Helper()
	src, ok := examples.Source(id)
	if !ok {
		t.Fatalf("no example %s", id)
	}
	spec, err := elfbuild.FromAssembly(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	return f.Bytes
}

// TestDropELF drops an ELF file on the page and checks the inspector shows
// its sections, the checklist and the memory map.
func TestDropELF(t *testing.T) {
	p := open(t, "")
	p.dropFile("syscalls.so", exampleELF(t, "syscalls"))
	p.waitText("#load-status", "loaded:")
	secs := p.text("#sections")
	for _, want := range []string{".text", ".rodata", ".dynsym", "0x100001000"} {
		if !strings.Contains(secs, want) {
			t.Errorf("sections table lacks %q: %s", want, secs)
		}
	}
	checks := p.text("#checklist")
	for _, want := range []string{"machine", "EM_BPF", "relocate", "✔"} {
		if !strings.Contains(checks, want) {
			t.Errorf("checklist lacks %q: %s", want, checks)
		}
	}
	if strings.Contains(checks, "✘") {
		t.Errorf("a check failed: %s", checks)
	}
	if n := eval[int](p, `document.querySelectorAll("svg.memmap rect").length`); n < 5 {
		t.Errorf("memory map has %d boxes", n)
	}
	p.screenshot("inspect")
}

// TestRelocationReplay steps through the relocations of the relative-call
// example and checks the bytes shown before and after each step against
// the loader's log.
func TestRelocationReplay(t *testing.T) {
	_, log, err := elf.LoadWithLog(exampleELF(t, "relative_calls"))
	if err != nil {
		t.Fatal(err)
	}
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-reloc")
	for i, s := range log.Steps {
		p.waitText("#reloc-title", fmt.Sprintf("Step %d of %d", i+1, len(log.Steps)))
		before := strings.Join(strings.Fields(p.text("#reloc-before")), "")
		after := strings.Join(strings.Fields(p.text("#reloc-after")), "")
		if before != hex.EncodeToString(s.Before) || after != hex.EncodeToString(s.After) {
			t.Errorf("step %d: page shows %s -> %s, log has %x -> %x", i+1, before, after, s.Before, s.After)
		}
		if n := eval[int](p, `document.querySelectorAll("#reloc-after .chg").length`); n == 0 {
			t.Errorf("step %d: no changed byte highlighted", i+1)
		}
		comp := p.text("#reloc-computation")
		if !strings.Contains(comp, fmt.Sprintf("0x%08x", s.Hash)) {
			t.Errorf("step %d: computation lacks the hash 0x%08x: %s", i+1, s.Hash, comp)
		}
		if i == 0 {
			p.screenshot("relocations")
		}
		p.click("#reloc-next")
	}
	if calls := p.text("#calls-map"); strings.Count(calls, "0x") < len(log.Steps) {
		t.Errorf("calls map incomplete: %s", calls)
	}
}

// TestRejectedFile opens the rejected example: the replay stops on the
// failing step in red with the loader's exact error.
func TestRejectedFile(t *testing.T) {
	p := open(t, "")
	p.click("#example-rejected")
	p.waitText("#load-status", "rejected: ELF error: Relocation failed, unknown type 99")
	p.click("#tab-reloc")
	p.waitText("#reloc-error", "ELF error: Relocation failed, unknown type 99")
	if cls := eval[string](p, `document.getElementById("reloc-step").className`); !strings.Contains(cls, "rejected") {
		t.Errorf("failing step not marked: class %q", cls)
	}
	p.screenshot("rejected")
}

// TestBuildAndRun types assembly, builds it and runs it to the end.
func TestBuildAndRun(t *testing.T) {
	p := open(t, "")
	p.input("#asm-src", "entrypoint:\n  mov64 r0, 40\n  add64 r0, 2\n  call double\n  exit\ndouble:\n  mov64 r0, r1\n  exit\n")
	p.input("#asm-src", "entrypoint:\n  mov64 r1, 21\n  call double\n  add64 r0, 1\n  exit\ndouble:\n  mov64 r0, r1\n  lsh64 r0, 1\n  exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.getElementById("dbg-run")`)
	p.click("#dbg-run")
	got := p.waitText("#dbg-status", "exited")
	if !strings.Contains(got, "r0 = 43 (0x2b), 7 instructions") {
		t.Errorf("status %q, want r0 = 43 after 7 instructions", got)
	}
	if heat := p.text("#pc-0 .heat"); heat != "1" {
		t.Errorf("heat margin of pc 0 = %q, want 1", heat)
	}
	p.screenshot("debugger")
	p.click("#tab-disasm")
	p.waitJS(`!!document.querySelector("svg.cfg rect")`)
	p.screenshot("disassembly")
}

// TestQuickStepMatchesRender steps through a call (the frames, the
// registers and the listing's rows change) and back, and checks that what
// a step draws in place, without a render, is what the full render drawn
// a moment later shows, region by region.
func TestQuickStepMatchesRender(t *testing.T) {
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.waitJS(`!!document.querySelector("#listing .dl")`)
	const regions = `["dbg-top", "dbg-msgs", "dbg-pos", "listing", "dbg-regs", "frames", "dbg-mem", "run-results"].map(id => { const e = document.getElementById(id); return id + ": " + (e ? e.innerHTML : "(missing)"); })`
	for i, click := range []string{"#dbg-step", "#dbg-step", "#dbg-step", "#dbg-back", "#dbg-step"} {
		executed := []int{1, 2, 3, 2, 3}[i]
		renders := p.settled()
		p.click(click)
		p.waitText("#dbg-pos", fmt.Sprintf(" %s executed", count(executed, "instruction")))
		quick := eval[[]string](p, regions)
		if now := eval[int](p, `window.rbpfRenders`); now != renders {
			t.Fatalf("%s (%d) rendered the page (%d renders, before %d): it was not taken quickly", click, i, now, renders)
		}
		p.waitJS(fmt.Sprintf(`window.rbpfRenders > %d`, renders))
		full := eval[[]string](p, regions)
		for j := range quick {
			if quick[j] != full[j] {
				t.Errorf("%s (%d): the render after it changed\n%s\ninto\n%s", click, i, quick[j], full[j])
			}
		}
	}
	if r1 := p.text("#reg-r1"); !strings.Contains(r1, "0x0000000000000002") {
		t.Errorf("after three steps r1 = %q", r1)
	}
	if fr := p.text("#frames"); !strings.Contains(fr, "returns to") || strings.Count(eval[string](p, `document.getElementById("frames").innerHTML`), "<tr") < 3 {
		t.Errorf("after the call, the frames show %q", fr)
	}
}

// settled waits until the page has not rendered for longer than a quick
// step's catch-up render waits (and at most 20 s), and returns the number
// of renders so far.
func (p *page) settled() int {
	p.t.Helper()
	r := eval[int](p, `window.rbpfRenders`)
	for range 30 {
		time.Sleep(700 * time.Millisecond)
		now := eval[int](p, `window.rbpfRenders`)
		if now == r {
			break
		}
		r = now
	}
	return r
}

// TestStepForwardAndBack steps and steps back, checking the registers.
func TestStepForwardAndBack(t *testing.T) {
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.click("#dbg-step") // mov64 r1, 2
	p.waitText("#reg-r1", "0x0000000000000002")
	p.click("#dbg-step") // call double
	p.click("#dbg-step") // mov64 r0, r1
	p.waitText("#reg-r0", "0x0000000000000002")
	p.waitText("#dbg-pos", "3 instructions executed")
	p.click("#dbg-step") // lsh64 r0, 1
	p.waitText("#reg-r0", "0x0000000000000004")
	if cls := eval[string](p, `document.getElementById("reg-r0").className`); !strings.Contains(cls, "changed") {
		t.Errorf("r0 not marked changed: %q", cls)
	}
	p.click("#dbg-back")
	p.waitText("#dbg-pos", "3 instructions executed")
	p.waitText("#reg-r0", "0x0000000000000002")
	p.click("#dbg-back")
	p.click("#dbg-back")
	p.waitText("#dbg-pos", "1 instruction executed")
	if r0 := p.text("#reg-r0"); !strings.Contains(r0, "0x0000000000000000") {
		t.Errorf("after stepping back to 1, r0 = %q", r0)
	}
}

// TestDebuggerKeys steps with the keyboard, and checks that the same key
// typed into a field is only typed.
func TestDebuggerKeys(t *testing.T) {
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.waitText("#dbg-keys", "s step")
	key := func(target, k string) bool {
		return eval[bool](p, fmt.Sprintf(`(function(){
			const ev = new KeyboardEvent("keydown", {key: %q, bubbles: true, cancelable: true});
			return !%s.dispatchEvent(ev);
		})()`, k, target))
	}
	if !key("document", "s") || !key("document", "s") {
		t.Error("the page did not take the key s")
	}
	p.waitText("#dbg-pos", "2 instructions executed")
	p.waitText("#reg-r1", "0x0000000000000002")
	if key(`document.getElementById("dbg-input")`, "s") {
		t.Error("s typed into the input field was taken by the debugger")
	}
	key("document", "b")
	p.waitText("#dbg-pos", "1 instruction executed")
	key("document", "r")
	p.waitText("#dbg-status", "exited: r0 = 7 (0x7)")
}

// TestDownloadELF downloads the ELF the page built from an example and
// checks its bytes against the same example built here.
func TestDownloadELF(t *testing.T) {
	p := open(t, "")
	p.click("#example-relative_calls")
	p.waitText("#load-status", "loaded:")
	catchDownloads(p)
	p.click("#download-elf")
	p.waitJS(`window.rbpfDownload !== null`)
	name := eval[string](p, `window.rbpfDownload.name`)
	got := eval[string](p, `window.rbpfDownload.hex`)
	if want := hex.EncodeToString(exampleELF(t, "relative_calls")); name != "relative_calls.so" || got != want {
		t.Errorf("downloaded %q, %d bytes; want relative_calls.so, %d bytes (equal: %v)", name, len(got)/2, len(want)/2, got == want)
	}
}

// TestMalformedFile drops garbage and an oversized file; the page reports
// both and keeps working.
func TestMalformedFile(t *testing.T) {
	p := open(t, "")
	good := exampleELF(t, "noop")
	p.dropFile("truncated.so", good[:100])
	p.waitText("#load-status", "rejected: ELF error: Failed to parse ELF file")
	p.dropFile("junk.so", []byte("this is not an ELF file at all"))
	p.waitText("#load-status", "rejected: ELF error:")
	eval[chromedp.Void](p, `(function(){
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array(5 << 20)], "huge.so"));
		document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`)
	p.waitText("#error-banner", "huge.so is 5.0 MB")
	p.screenshot("malformed")
	// the page still works
	p.click("#tab-hash")
	p.input("#hash-input", "entrypoint")
	p.waitText("#hash-result", "0x71e3cf81")
}

// TestPermalink sets up a state, reopens the page from its URL and checks
// the state comes back.
func TestPermalink(t *testing.T) {
	p := open(t, "")
	p.input("#asm-src", "entrypoint:\n  mov64 r0, 5\n  mov64 r1, 6\n  mul64 r0, r1\n  exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.getElementById("dbg-step")`)
	p.click("#pc-2 .gut")
	p.click("#dbg-step")
	p.click("#dbg-step")
	p.waitText("#dbg-pos", "2 instructions executed")
	frag := p.link()
	if !strings.HasPrefix(frag, "v2.") {
		t.Fatalf("no permalink in the URL: %q", frag)
	}
	q := open(t, frag)
	q.waitText("#dbg-pos", "2 instructions executed")
	q.waitText("#reg-r1", "0x0000000000000006")
	if cls := eval[string](q, `document.getElementById("pc-2").className`); !strings.Contains(cls, "bp") {
		t.Errorf("breakpoint not restored: %q", cls)
	}
	if src := eval[string](q, `document.getElementById("tab-load").click(), document.getElementById("asm-src").value`); !strings.Contains(src, "mul64 r0, r1") {
		t.Errorf("source not restored: %q", src)
	}
}

// TestPickFile loads a file through the file picker.
func TestPickFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep_calls.so")
	if err := os.WriteFile(path, exampleELF(t, "deep_calls"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := open(t, "")
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#file-pick"), []string{path}))
	p.waitText("#load-status", "loaded:")
	if name := p.text(".progname"); name != "deep_calls.so" {
		t.Errorf("program name %q", name)
	}
}

// TestLongProgram loads a program of 14 000 instructions, the size of a
// real Solana program: the listing draws a window of it with paging
// buttons and follows the debugger, and long tables show their first rows.
// It prints how long loading, opening the debugger and a step took.
func TestLongProgram(t *testing.T) {
	var src strings.Builder
	src.WriteString("entrypoint:\n")
	for i := range 1400 {
		fmt.Fprintf(&src, "f%d:\n  mov64 r1, 1\n  mov64 r2, 2\n", i)
		if i+1 < 1400 {
			fmt.Fprintf(&src, "  call f%d\n", i+1)
		}
		src.WriteString("  add64 r0, r1\n  mov64 r3, r0\n  mov64 r4, 4\n  mov64 r5, 5\n  mov64 r6, 6\n  mov64 r7, 7\n  exit\n")
	}
	spec, err := elfbuild.FromAssembly(src.String())
	if err != nil {
		t.Fatal(err)
	}
	f, err := elfbuild.Build(*spec)
	if err != nil {
		t.Fatal(err)
	}
	p := open(t, "")
	t0 := time.Now()
	p.dropFile("long.so", f.Bytes)
	p.waitText("#load-status", "loaded: 13999 instructions")
	loaded := time.Since(t0)
	p.waitText("#symtab", "show the other")

	t0 = time.Now()
	p.click("#tab-debug")
	p.waitJS(`!!document.getElementById("pc-0")`)
	opened := time.Since(t0)
	if got := p.text("#list-later"); !strings.Contains(got, "later instructions") {
		t.Fatalf("no paging button below the listing: %q", got)
	}
	if n := eval[int](p, `document.querySelectorAll("#listing .dl").length`); n > 400 {
		t.Errorf("the listing draws %d instructions", n)
	}
	// The next page starts after the window's last row and drops the first.
	last := eval[int](p, `(() => { const r = document.querySelectorAll("#listing .dl[id^=pc-]"); return +r[r.length-1].id.slice(3); })()`)
	p.click("#list-later")
	p.waitJS(fmt.Sprintf(`!!document.getElementById("pc-%d") && !document.getElementById("pc-0")`, last+1))

	// Two steps reach the call of f1 at pc 2; the third enters f1 at pc 10,
	// the window having come back to the debugger's position.
	t0 = time.Now()
	for range 3 {
		p.click("#dbg-step")
	}
	p.waitText("#dbg-pos", "3 instructions executed")
	stepped := time.Since(t0)
	p.waitJS(`!!document.querySelector("#pc-10.cur")`)
	p.input("#list-goto", "f1000") // each function is 10 instructions
	p.waitJS(`!!document.querySelector("#pc-10000.cursor")`)
	fmt.Printf("long program (14 000 instructions): load and render %v, open the debugger %v, three steps %v\n",
		loaded.Round(time.Millisecond), opened.Round(time.Millisecond), stepped.Round(time.Millisecond))
}

// TestWatchpoints types a watch on a stack slot into the debugger, runs to
// each write of it and goes back to before the last one.
func TestWatchpoints(t *testing.T) {
	p := open(t, "")
	p.input("#asm-src", "entrypoint:\n    mov64 r1, 1\n    stxdw [r10-8], r1\n    mov64 r1, 2\n    stxdw [r10-8], r1\n    mov64 r0, 0\n    exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.querySelector("#listing .dl")`)
	p.input("#dbg-watch", "0x200000ff8+8")
	p.click("#dbg-run")
	p.waitText("#dbg-status", "wrote 8 bytes at 0x200000ff8")
	p.waitText("#dbg-pos", "2 instructions executed")
	p.click("#dbg-run")
	p.waitText("#dbg-pos", "4 instructions executed")
	p.waitText("#dbg-status", "0100000000000000 -> 0200000000000000")
	p.waitText("#dbg-watch-info", "2 hits so far")
	p.screenshot("watchpoints")
	p.click("#dbg-prev-hit")
	p.waitText("#dbg-pos", "3 instructions executed")
	p.waitJS(`!!document.querySelector("#pc-3.cur")`)
	p.input("#dbg-watch", "0x200000ff8+8:q")
	p.waitText("#dbg-watch-err", "is not r, w or rw")
}

// recordTrace runs src on the interpreter with input and returns its trace
// file, as `rbpf run --save-trace` writes it.
func recordTrace(t *testing.T, src string, input []byte) []byte {
	t.Helper()
	s := runspec.Spec{Kind: runspec.KindAsm, Source: src, Input: input, Trace: true}
	b, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	b.Trace = false
	pr := b.Prepare()
	r := vm.Interpreter{}.Run(b.Exe, pr.Options)
	f, err := tracefile.New(tracefile.Run{Name: "sum.s", Spec: &s, Result: b.Finish("interpreter", pr, r), Trace: r.Trace})
	if err != nil {
		t.Fatal(err)
	}
	data, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRecordedRun drops a trace file, steps through it, then drops a
// second one recorded on another input and goes to where they part.
func TestRecordedRun(t *testing.T) {
	src := "entrypoint:\n    ldxb r2, [r1+0x0]\n    mov64 r3, 5\n    add64 r3, r2\n    mov64 r0, r3\n    exit\n"
	p := open(t, "")
	p.dropFile("one.trace", recordTrace(t, src, []byte{1}))
	p.waitJS(`document.getElementById("tab-trace").classList.contains("active")`)
	p.waitText("#trace-about", "5 steps recorded")
	p.waitText("#trace-lines .cur", "ldxb r2, [r1+0x0]")
	p.click("#tr-next")
	p.waitText("#trace-lines .cur", "mov64 r3, 0x5")
	p.waitText("#trace-regs .changed", "r2")
	p.dropFile("two.trace", recordTrace(t, src, []byte{2}))
	p.waitText("#trace-diff", "Compared with two.trace")
	p.waitText("#trace-diff", "result 0x6 vs 0x7")
	p.click("#tr-last")
	p.click("#tr-diverge")
	p.waitText("#trace-lines .cur", "mov64 r3, 0x5")
	p.screenshot("recorded-run")
}

// TestWhy runs a program that stores a constant, loads it back and adds
// to it, asks where r0 came from by clicking its name, and goes to the
// store.
func TestWhy(t *testing.T) {
	p := open(t, "")
	p.input("#asm-src", "entrypoint:\n    mov64 r1, 7\n    stxdw [r10-8], r1\n    ldxdw r3, [r10-8]\n    add64 r3, 5\n    mov64 r0, r3\n    exit\n")
	p.click("#build-run")
	p.waitJS(`!!document.querySelector("#listing .dl")`)
	p.click("#dbg-run")
	p.waitText("#dbg-status", "exited")
	p.click(`#reg-r0 button`)
	p.waitText("#why-chain", "the constant 0x7")
	p.waitText("#why-chain", "stored from r1")
	p.screenshot("why")
	p.click(`#why-chain button[name="do:why-go:1"]`)
	p.waitText("#dbg-pos", "1 instruction executed")
	p.waitJS(`!!document.querySelector("#pc-1.cur")`)
}

// TestRecordingLimits runs a million instructions in the debugger, which
// records every step for step back and provenance, and asks where a
// register's value came from at the end. It prints the page's memory (the
// Go instance's linear memory, which only grows) before and after, and how
// long the answer took from the click to its drawing; the recording must
// stay under 100 MB.
func TestRecordingLimits(t *testing.T) {
	// Five instructions an iteration, three more: 999 998 instructions,
	// just under the page's default limit of 1 000 000.
	const iterations = 199_999
	p := open(t, "")
	p.input("#asm-src", fmt.Sprintf("entrypoint:\n    mov64 r1, 0\n    mov64 r2, %d\nloop:\n    stxdw [r10-8], r1\n    ldxdw r3, [r10-8]\n    add64 r0, r3\n    add64 r1, 1\n    jlt r1, r2, loop\n    exit\n", iterations))
	p.click("#build-run")
	p.waitJS(`!!document.querySelector("#listing .dl")`)
	memory := `rbpfGo._inst.exports.mem.buffer.byteLength`
	before := eval[float64](p, memory)
	t0 := time.Now()
	p.click("#dbg-run")
	p.waitJS(`(() => { const e = document.querySelector("#dbg-status"); return !!e && e.textContent.includes("exited") })()`)
	ran := time.Since(t0)
	p.waitText("#dbg-pos", fmt.Sprintf("%d instructions executed", 3+5*iterations))
	after := eval[float64](p, memory)
	grown := (after - before) / (1 << 20)
	if grown >= 100 {
		t.Errorf("the page's memory grew by %.0f MB over a recorded run of a million instructions", grown)
	}
	answer := func(click string) float64 {
		eval[chromedp.Void](p, `(() => {
			window.rbpfAnswered = null;
			const t0 = performance.now();
			const o = new MutationObserver(() => {
				if (document.querySelector("#why-chain .why-link")) { window.rbpfAnswered = performance.now() - t0; o.disconnect(); }
			});
			const old = document.getElementById("why-chain");
			if (old) old.remove();
			o.observe(document.body, {subtree: true, childList: true});
			`+click+`;
		})()`)
		p.waitJS(`window.rbpfAnswered !== null`)
		return eval[float64](p, `window.rbpfAnswered`)
	}
	reg := answer(`document.querySelector("#reg-r3 button").click()`)
	if got := p.text("#why-chain"); !strings.Contains(got, "loaded 8 bytes at 0x200000ff8") {
		t.Errorf("where r3 came from: %q", got)
	}
	mem := answer(`(() => { const e = document.getElementById("why-q"); e.value = "0x200000ff8+8"; e.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	if got := p.text("#why-chain"); !strings.Contains(got, "stored from r1") {
		t.Errorf("where [r10-8] came from: %q", got)
	}
	fmt.Printf("recorded run of 999 998 instructions: ran in %v; page memory %.0f MB before, %.0f MB after (+%.0f MB); where r3 came from: %.0f ms, where [r10-8] came from: %.0f ms (click to drawn answer)\n",
		ran.Round(time.Millisecond), before/(1<<20), after/(1<<20), grown, reg, mem)
}
