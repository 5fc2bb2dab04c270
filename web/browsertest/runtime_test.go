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

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

// runtimeSource logs a string, loads the first account's data length and
// stores 0x2a in the first byte of its data.
const runtimeSource = `.rodata msg "hello from the runtime"
entrypoint:
    mov64 r6, r1
    lddw r1, msg
    mov64 r2, 22
    call sol_log_
    ldxdw r2, [r6+0x58]
    stb [r6+0x60], 0x2a
    mov64 r0, 0
    exit
`

// buildSource builds assembly into an ELF file as the page's builder does.
func buildSource(t *testing.T, src string) []byte {
	t.Helper()
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

// setField types value into the form control named name and fires the
// change event, as leaving the field does.
func (p *page) setField(name, value string) {
	p.t.Helper()
	p.input(fmt.Sprintf(`[name=%q]`, name), value)
}

// openRuntimeProgram drops the runtime test program and fills in an
// instruction with the program's data account and two bytes of data.
func openRuntimeProgram(t *testing.T) *page {
	t.Helper()
	p := open(t, "")
	p.dropFile("runtime.so", buildSource(t, runtimeSource))
	p.waitText("#load-status", "loaded:")
	p.click("#tab-instruction")
	p.waitText("#mode-text", "Solana v1.6.9")
	p.click("#preset-data")
	p.waitJS(`!!document.querySelector("#ix-acct-0")`)
	p.setField("data", "0102")
	p.waitText("#ix-data-note", "2 bytes")
	return p
}

// TestInstructionPanelRun builds an instruction in the panel, runs it and
// checks the log, the compute units and the account's changed byte; then
// a change the runtime refuses.
func TestInstructionPanelRun(t *testing.T) {
	p := openRuntimeProgram(t)
	p.click("#ix-run")
	p.waitText("#run-verdict", "Success")
	logs := p.text("#run-logs")
	for _, want := range []string{"invoke [1]", "Program log: hello from the runtime", "success"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if units := p.text("#run-units"); !strings.Contains(units, "of 200\u202f000 compute units") {
		t.Errorf("units %q", units)
	}
	if got := p.text("#acct-0 .acct-sum"); got != "1 byte of data changed" {
		t.Errorf("account summary %q", got)
	}
	if got := eval[string](p, `(function(){const c=document.querySelector("#acct-0 .chg");return c?c.textContent+" "+c.title:""})()`); got != "2a byte 0, was 00" {
		t.Errorf("changed byte %q", got)
	}
	p.screenshot("instruction-run")

	// The next instruction on the accounts the run left: the byte the
	// program wrote is now the account's data, so the same store changes
	// nothing.
	p.click("#run-carry")
	p.waitJS(`(document.querySelector('[name="accounts.0.data"]')||{}).value?.startsWith("2a")`)
	p.click("#ix-run")
	p.waitText("#run-verdict", "Success")
	p.waitText("#acct-0 .acct-sum", "unchanged")
	p.screenshot("instruction-carried")

	// An account's data from a file.
	path := filepath.Join(t.TempDir(), "account.bin")
	if err := os.WriteFile(path, []byte{1, 2, 3}, 0o644); err != nil {
		t.Fatal(err)
	}
	p.click(`#ix-acct-0 [name="do:acct-enc:0:file"]`)
	p.do(chromedp.SetUploadFiles(chromedp.CSS(`[data-account="0"]`), []string{path}))
	p.waitText("#ix-acct-0", "account.bin, 3 bytes")
	p.click(`#ix-acct-0 [name="do:acct-enc:0:size"]`)
	p.setField("accounts.0.data", "64")
	p.waitText("#ix-acct-0", "64 bytes")

	// The program writes an account it does not own: the runtime refuses.
	p.setField("accounts.0.owner", "11111111111111111111111111111111")
	p.click("#ix-run")
	p.waitText("#run-verdict", "Failed: ExternalAccountDataModified")
	if got := p.text("#acct-0 .acct-sum"); got != "unchanged" {
		t.Errorf("a failed instruction changed the account: %q", got)
	}
	p.screenshot("instruction-failed")
}

// TestInputFieldAnnotation steps to the load of the data length: the
// listing names the field beside the instruction and the memory viewer
// colours and names the input's bytes.
func TestInputFieldAnnotation(t *testing.T) {
	p := openRuntimeProgram(t)
	p.click("#ix-debug")
	p.waitJS(`!!document.querySelector("#pc-0.cur")`)
	for range 4 { // mov64, lddw, mov64, call
		p.click("#dbg-step")
	}
	p.waitJS(`!!document.querySelector("#pc-5.cur")`)
	p.waitText("#pc-5", "; accounts[0].data_len")
	p.click("#dbg-step")
	p.waitText("#pc-5", "; read accounts[0].data_len")
	p.waitText("#pc-6", "; accounts[0].data[0..1]")
	p.waitText("#mem-access", "accounts[0].data_len")
	title := eval[string](p, `(function(){const c=document.querySelector("#memrows .acc");return c?c.title:""})()`)
	if !strings.Contains(title, "accounts[0].data_len") {
		t.Errorf("the accessed byte is titled %q", title)
	}
	if n := eval[int](p, `document.querySelectorAll("#memrows .f-key").length`); n < 32 {
		t.Errorf("%d key bytes coloured", n)
	}
	p.screenshot("debugger-input-fields")
	p.click("#dbg-run")
	p.waitText("#dbg-status", "success")
	p.waitText("#run-verdict", "Success")
}

// TestVerifierRunAnyway: a division by zero the program never reaches.
// The Solana loader's verifier refuses it, so a runtime run fails with
// InvalidAccountData as v1.6.9 did (and as rbpf run --instruction does);
// "run anyway" runs it. rbpf's own verifier runs when asked (--verify),
// and "run anyway" gets past it too.
func TestVerifierRunAnyway(t *testing.T) {
	p := open(t, "")
	p.dropFile("divzero.so", buildSource(t, "entrypoint:\n  mov64 r0, 0\n  ja +1\n  div64 r0, 0\n  exit\n"))
	p.waitText("#load-status", "loaded:")
	p.click("#tab-instruction")
	p.waitText("#verifier-text", "rejects this program: division by 0 (insn #2)")
	if d := p.text("#deploy-text"); !strings.Contains(d, "InvalidAccountData") || !strings.Contains(d, "rejects this program (division by 0 (insn #31))") {
		t.Errorf("deployment text %q", d)
	}
	p.click("#ix-run")
	p.waitText("#run-verdict", "Failed: InvalidAccountData")
	p.waitText("#run-logs", "division by 0 (insn #31)")
	p.screenshot("verifier-rejects")
	p.click("#run-anyway")
	p.waitText("#run-verdict", "Success")
	p.click("#ix-verify")
	p.waitText("#deploy-text", "runs before each run")
	p.click("#ix-run")
	p.waitText("#ix-run-error", "rbpf's verifier rejects this program: division by 0 (insn #2)")
	p.click("#run-anyway")
	p.waitText("#run-verdict", "Success")
	p.click("#verifier-show")
	p.waitJS(`!!document.querySelector("#pc-2.cursor")`)
}

// TestPermalinkWithInstruction reopens a link to a stepped runtime run: the
// instruction, the mode and the step come back.
func TestPermalinkWithInstruction(t *testing.T) {
	p := openRuntimeProgram(t)
	p.click("#ix-debug")
	p.click("#dbg-step")
	p.click("#dbg-step")
	p.waitText("#dbg-pos", "2 instructions executed")
	frag := p.link()
	if !strings.HasPrefix(frag, "v2.") {
		t.Fatalf("link %q", frag)
	}
	q := open(t, frag)
	q.waitText("#dbg-pos", "2 instructions executed")
	q.waitText("#dbg-ix", "1 account, 2 bytes of data")
	q.click("#dbg-edit-ix")
	q.waitJS(`(document.querySelector('[name="data"]')||{}).value === "0102"`)
	if pk := eval[string](q, `document.querySelector('[name="accounts.0.owner"]').value`); pk == "" {
		t.Error("the account's owner was not restored")
	}
}

// TestPermalinkLargeELF: a program above MaxLinkedELF is named in the link
// by name, size and sha256; opening the link shows no program and asks
// for the file, and dropping it continues where the link left off.
func TestPermalinkLargeELF(t *testing.T) {
	var src strings.Builder
	src.WriteString("entrypoint:\n  call far\n  exit\n")
	for range 7000 {
		src.WriteString("  mov64 r0, 1\n")
	}
	src.WriteString("far:\n  mov64 r0, 0\n  exit\n")
	big := buildSource(t, src.String())
	p := open(t, "")
	p.dropFile("big.so", big)
	p.waitText("#load-status", "loaded:")
	p.click("#tab-debug")
	p.click("#dbg-step")
	p.waitText("#dbg-pos", "1 instruction executed")
	frag := p.link()
	if len(frag) > 2000 {
		t.Errorf("the link is %d characters: it carries the program", len(frag))
	}
	q := open(t, frag)
	banner := q.waitText("#pending-banner", "big.so")
	for _, want := range []string{fmt.Sprintf("%d", len(big)/1000), "sha256", "Drop this file"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q: %s", want, banner)
		}
	}
	if n := eval[int](q, `document.querySelectorAll(".progname").length`); n != 0 {
		t.Errorf("a program is shown under a link to another")
	}
	q.screenshot("permalink-large-file")
	q.dropFile("big.so", big)
	q.waitText("#dbg-pos", "1 instruction executed")
	if b := q.text("#pending-banner"); b != "" {
		t.Errorf("banner still shown: %q", b)
	}
}

// TestBackAndForward: tabs and programs make history entries; back and
// forward restore them, and so does a changed fragment.
func TestBackAndForward(t *testing.T) {
	p := open(t, "")
	p.click("#example-noop")
	p.waitText(".progname", "noop.so")
	first := "#" + p.link()
	p.click("#tab-load")
	p.click("#example-relative_calls")
	p.waitText(".progname", "relative_calls.so")
	p.click("#tab-debug")
	p.click("#dbg-step")
	p.waitText("#dbg-pos", "1 instruction executed")
	p.link() // the step's state is written to this entry just after the paint
	// entries: noop (inspect), noop (load), relative_calls (inspect),
	// relative_calls (debugger, one step)
	eval[bool](p, `history.back(), true`)
	p.waitJS(`document.getElementById("tab-inspect").classList.contains("active")`)
	p.waitText(".progname", "relative_calls.so")
	eval[bool](p, `history.back(), true`)
	p.waitText(".progname", "noop.so")
	p.waitJS(`document.getElementById("tab-load").classList.contains("active")`)
	eval[bool](p, `history.forward(), true`)
	p.waitText(".progname", "relative_calls.so")
	eval[bool](p, `history.forward(), true`)
	p.waitText("#dbg-pos", "1 instruction executed")
	eval[bool](p, fmt.Sprintf(`location.hash = %q, true`, first))
	p.waitText(".progname", "noop.so")
}

// TestRuntimeSpeed opens the debugger and steps on a program of 31 000
// instructions (and on a real one when RBPF_REALPROGS names a directory
// holding serum_dex-v3_2021-09.so) and prints the times, measured in the
// page from the click until the change is drawn (the next frame).
func TestRuntimeSpeed(t *testing.T) {
	var src strings.Builder
	src.WriteString("entrypoint:\n")
	for i := range 3100 {
		fmt.Fprintf(&src, "f%d:\n  mov64 r1, 1\n  mov64 r2, 2\n", i)
		if i+1 < 3100 {
			fmt.Fprintf(&src, "  call f%d\n", i+1)
		}
		src.WriteString("  add64 r0, r1\n  mov64 r3, r0\n  mov64 r4, 4\n  mov64 r5, 5\n  mov64 r6, 6\n  exit\n")
	}
	type prog struct {
		name string
		elf  []byte
	}
	programs := []prog{{"a synthetic program of 31 000 instructions", buildSource(t, src.String())}}
	if dir := os.Getenv("RBPF_REALPROGS"); dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, "serum_dex-v3_2021-09.so")); err == nil {
			programs = append(programs, prog{"serum_dex-v3_2021-09.so (31 449 instructions)", b})
		}
	}
	for _, pr := range programs {
		p := open(t, "")
		p.dropFile("prog.so", pr.elf)
		p.waitText("#load-status", "loaded:")
		time.Sleep(time.Second) // a visitor reads the inspector first
		opened := p.timeClick("#tab-debug", `!!document.querySelector("#listing .dl")`)
		time.Sleep(300 * time.Millisecond) // a visitor looks before the first step
		var steps []string
		for i := 1; i <= 6; i++ {
			c := p.timeClick("#dbg-step", fmt.Sprintf(`(document.getElementById("dbg-pos")||{}).textContent.includes(" %s executed")`, count(i, "instruction")))
			steps = append(steps, c.String())
		}
		back := p.timeClick("#dbg-back", `(document.getElementById("dbg-pos")||{}).textContent.includes(" 5 instructions executed")`)
		fmt.Printf("debugger on %s (ms to the frame that draws it / until idle again, DOM mutations): opening %s, steps %s, step back %s\n",
			pr.name, opened, strings.Join(steps, ", "), back)
		p.stop()
	}
}

// clickTiming is how long a click took to show, measured in the page.
type clickTiming struct {
	// Paint is the time from the click to the end of the first frame
	// that draws cond: the frame's end when it is a long animation frame
	// (over 50 ms, reported by the browser), else the start of its
	// rendering, which is then under 50 ms from its end.
	Paint float64 `json:"paint"`
	// Idle is the time until the page has also done what the click
	// scheduled after that frame (the debugger prepares its run once it
	// has painted), so that the next click is handled at once.
	Idle float64 `json:"idle"`
	// Mutations counts the DOM mutation records made meanwhile: a figure
	// that, unlike the times, does not depend on how busy the machine is.
	Mutations int `json:"mutations"`
}

// timeClick clicks sel and returns how long the page took to draw cond
// and to be idle again (clickTiming).
func (p *page) timeClick(sel, cond string) clickTiming {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	out, err := chromedp.Run(p.ctx, chromedp.Evaluate[clickTiming](fmt.Sprintf(`(async () => {
		let mutations = 0;
		const obs = new MutationObserver(rs => { mutations += rs.length; });
		obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
		const frames = [];
		const po = new PerformanceObserver(l => frames.push(...l.getEntries()));
		po.observe({type: "long-animation-frame"});
		const t0 = performance.now();
		document.querySelector(%q).click();
		let drawn;
		for (;;) {
			await new Promise(r => requestAnimationFrame(r));
			if (%[2]s) { drawn = performance.now(); break; }
		}
		await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
		const idle = performance.now() - t0;
		await new Promise(r => setTimeout(r, 20));
		frames.push(...po.takeRecords());
		po.disconnect();
		let paint = drawn - t0;
		for (const f of frames) {
			if (f.startTime <= drawn && drawn <= f.startTime + f.duration) paint = f.startTime + f.duration - t0;
		}
		mutations += obs.takeRecords().length;
		obs.disconnect();
		return {paint, idle, mutations};
	})()`, sel, cond), chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("timing a click on %s: %v", sel, err)
	}
	return out
}

func (c clickTiming) String() string {
	return fmt.Sprintf("%.0f/%.0f (%d)", c.Paint, c.Idle, c.Mutations)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// TestRealProgramRuntime runs SPL Token's InitializeMint when the real
// program is at hand (RBPF_REALPROGS; real programs are never committed):
// the document is opened as a dropped file, the run shows the program's
// log and the mint's new bytes, and the panel's JSON box and sysvars are
// drawn for a look.
func TestRealProgramRuntime(t *testing.T) {
	dir := os.Getenv("RBPF_REALPROGS")
	if dir == "" {
		t.Skip("RBPF_REALPROGS not set")
	}
	elf, err := os.ReadFile(filepath.Join(dir, "spl_token-3.1.0.so"))
	if err != nil {
		t.Skip(err)
	}
	p := open(t, "")
	p.dropFile("spl_token-3.1.0.so", elf)
	p.waitText("#load-status", "loaded:")
	p.dropFile("init_mint.json", []byte(initMint))
	p.waitJS(`!!document.querySelector("#ix-acct-1")`)
	p.click("#ix-run")
	p.waitText("#run-verdict", "Success")
	p.waitText("#run-logs", "Program log: Instruction: InitializeMint")
	p.waitText("#run-units", "2834 of 200")
	p.waitText("#acct-0 .acct-sum", "35 bytes of data changed")
	p.screenshot("real-spl-token-init-mint")
	p.click("#ix-more")
	p.click("#ix-json-toggle")
	p.waitJS(`!!document.querySelector("#ix-json")`)
	p.screenshot("real-spl-token-json")
	p.click("#ix-debug")
	p.waitJS(`!!document.querySelector("#listing .dl.cur")`)
	for i := 1; i <= 9; i++ {
		p.click("#dbg-step")
		p.waitText("#dbg-pos", fmt.Sprintf(" %s executed", count(i, "instruction")))
	}
	p.screenshot("real-spl-token-debugger")
	// Where the mint's decimals came from: the instruction's data.
	p.click("#dbg-run")
	p.waitText("#dbg-status", "exited")
	p.input("#why-q", "accounts[0].data[44..45]")
	p.waitText("#why-chain", "instruction_data[1..2]")
	p.screenshot("real-spl-token-why")

	// A watchpoint on the mint's decimals stops the run at the store.
	p.click("#dbg-reset")
	p.waitText("#dbg-pos", "0 instructions executed")
	p.input("#dbg-watch", "accounts[0].data[44..45]")
	p.click("#dbg-run")
	p.waitText("#dbg-status", "wrote 1 byte at")
	p.waitText("#dbg-status", "00 -> 09")
	p.screenshot("real-spl-token-watch")
	p.input("#dbg-watch", "")

	// The run saved as a trace file, then the same instruction with 6
	// decimals: the two trace files opened together part where the
	// decimals are read.
	catchDownloads(p)
	trace9 := saveTrace(p)
	p.dropFile("init_mint6.json", []byte(strings.Replace(initMint, `"data_hex": "0009`, `"data_hex": "0006`, 1)))
	p.waitJS(`(() => { const e = document.getElementById("ix-data"); return !!e && e.value.startsWith("0006") })()`)
	p.click("#ix-debug")
	p.waitJS(`!!document.querySelector("#listing .dl.cur")`)
	trace6 := saveTrace(p)
	p.dropFile("decimals-9.trace", trace9)
	p.waitText("#trace-about", "steps recorded")
	p.dropFile("decimals-6.trace", trace6)
	p.waitText("#trace-diff", "Compared with decimals-6.trace")
	p.click("#tr-diverge")
	p.waitJS(`!!document.querySelector("#trace-lines .cur")`)
	p.screenshot("real-spl-token-trace-diff")

	// The same run on the interpreter and compiled to WebAssembly, traced
	// and compared step by step: the tiers agree.
	p.click("#tab-debug")
	p.click("#dbg-compare-tiers")
	p.waitText("#trace-diff", "Compared with spl_token-3.1.0.wasm.trace")
	if got := p.waitText("#trace-diff", "engines: interp vs wasm"); !strings.Contains(got, "traces identical (2807 steps)") {
		t.Errorf("the interpreter and the compiled tier part: %s", got)
	}
	p.screenshot("real-spl-token-tiers")
}

// initMint is SPL Token's InitializeMint of a mint with 9 decimals, as an
// instruction document.
const initMint = `{"program_id": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
 "accounts": [{"pubkey": "So11111111111111111111111111111111111111112", "is_writable": true, "lamports": 1461600,
   "owner": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "data_len": 82},
  {"pubkey": "SysvarRent111111111111111111111111111111111"}],
 "data_hex": "0009abababababababababababababababababababababababababababababababab00"}`

// catchDownloads makes the page's downloads land in window.rbpfDownload
// (name and bytes as hex) instead of in a file.
func catchDownloads(p *page) {
	eval[chromedp.Void](p, `(function(){
		window.rbpfDownload = null;
		HTMLAnchorElement.prototype.click = function() {
			const a = this;
			fetch(a.href).then(r => r.arrayBuffer()).then(b => {
				window.rbpfDownload = {name: a.download, hex: Array.from(new Uint8Array(b), x => x.toString(16).padStart(2, "0")).join("")};
			});
		};
	})()`)
}

// saveTrace clicks the debugger's "trace file" button and returns the
// file it downloads.
func saveTrace(p *page) []byte {
	p.t.Helper()
	eval[chromedp.Void](p, `window.rbpfDownload = null`)
	p.click("#dbg-save-trace")
	p.waitJS(`window.rbpfDownload !== null`)
	b, err := hex.DecodeString(eval[string](p, `window.rbpfDownload.hex`))
	if err != nil || !strings.HasSuffix(eval[string](p, `window.rbpfDownload.name`), ".trace") {
		p.t.Fatalf("the trace file download: %v, named %q", err, eval[string](p, `window.rbpfDownload.name`))
	}
	return b
}
