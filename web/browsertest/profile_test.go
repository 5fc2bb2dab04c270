//go:build !js

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// profiledSource calls helper twice, which logs (a syscall) and calls
// leaf, then calls leaf itself.
const profiledSource = `.rodata msg "hi there"
entrypoint:
    mov64 r6, r1
    call helper
    call helper
    call leaf
    mov64 r0, 0
    exit

helper:
    lddw r1, msg
    mov64 r2, 8
    call sol_log_
    call leaf
    exit

leaf:
    mov64 r0, 1
    add64 r0, 2
    exit
`

// consumed is the compute units #run-units reports ("41 of 200 000
// compute units (…)").
func consumed(p *page) string {
	p.t.Helper()
	units, _, ok := strings.Cut(p.text("#run-units"), " of ")
	if !ok {
		p.t.Fatalf("#run-units: %q", p.text("#run-units"))
	}
	return units
}

// TestProfileSection runs a program with calls and a syscall: beside the
// results the page shows where its compute units went, with the total
// the run reports; clicking a box of the chart opens its function in the
// debugger, where the section is shown again.
func TestProfileSection(t *testing.T) {
	p := open(t, "")
	p.dropFile("calls.so", buildSource(t, profiledSource))
	p.waitText("#load-status", "loaded:")
	p.click("#tab-instruction")
	p.click("#ix-run")
	p.waitText("#run-verdict", "Success")
	total := p.waitText("#cu-total", " units: ")
	units := consumed(p)
	if !strings.HasPrefix(total, units+" units: ") || !strings.HasSuffix(total, " in syscalls, all the run consumed") {
		t.Errorf("profile total %q, the run consumed %s", total, units)
	}
	if got := p.text("#cu-profile h3"); !strings.Contains(got, "Where the compute units went") {
		t.Errorf("heading %q", got)
	}
	// The chart: the entrypoint spans it; helper, leaf, sol_log_ below.
	boxes := eval[[]string](p, `Array.from(document.querySelectorAll("#cu-icicle .ic-b")).map(b => b.textContent + " " + b.style.width)`)
	if len(boxes) != 5 || boxes[0] != "entrypoint 100%" {
		t.Errorf("boxes %q", boxes)
	}
	// Beside the results, not under them, on a wide page.
	if side := eval[bool](p, `(function(){const r=document.querySelector(".run-main").getBoundingClientRect(), c=document.getElementById("cu-profile").getBoundingClientRect(); return c.left >= r.right && c.top < r.bottom})()`); !side {
		t.Error("the section is not beside the results")
	}
	rows := eval[[]string](p, `Array.from(document.querySelectorAll("#cu-fns tbody tr")).map(r => r.innerText.replace(/\t/g, " | "))`)
	if len(rows) != 4 || !strings.HasPrefix(rows[0], "entrypoint | 1 | ") {
		t.Errorf("table rows %q", rows)
	}
	p.screenshot("cu-profile")

	// helper's box opens helper in the debugger, the cursor on its first
	// instruction, and the finished run's section is there too.
	p.click(`#cu-icicle .ic-b[title^="helper "]`)
	p.waitJS(`document.getElementById("tab-debug").classList.contains("active")`)
	p.waitJS(`!!document.querySelector("#listing .dl.cursor")`)
	if got := p.text("#listing .dl.cursor .txt"); !strings.Contains(got, "lddw r1") {
		t.Errorf("the cursor is on %q, want helper's first instruction", got)
	}
	if got := p.waitText("#run-results #cu-total", " units: "); got != total {
		t.Errorf("the debugger's profile %q, the panel's %q", got, total)
	}
	p.screenshot("cu-profile-debugger")

	// The Disassembly view's graph of helper, its blocks coloured by units.
	p.click("#tab-disasm")
	p.waitJS(`!!document.querySelector("#cfg .blk.h4")`)
	if got := p.text("#cfg"); !strings.Contains(got, " units") || !strings.Contains(got, "×2") {
		t.Errorf("graph labels: %q", got)
	}
	p.screenshot("cu-profile-cfg")
}

// TestRealProgramProfile profiles SPL Token's InitializeMint when the real
// program is at hand (RBPF_REALPROGS): its 2 834 units.
func TestRealProgramProfile(t *testing.T) {
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
	p.dropFile("init_mint.json", []byte(`{"program_id": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
 "accounts": [{"pubkey": "So11111111111111111111111111111111111111112", "is_writable": true, "lamports": 1461600,
   "owner": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "data_len": 82},
  {"pubkey": "SysvarRent111111111111111111111111111111111"}],
 "data_hex": "0009abababababababababababababababababababababababababababababababab00"}`))
	p.waitJS(`!!document.querySelector("#ix-acct-1")`)
	p.click("#ix-run")
	p.waitText("#run-verdict", "Success")
	total := p.waitText("#cu-total", " units: ")
	if units := consumed(p); units != "2834" || total != "2834 units: 2807 instructions + 27 in syscalls, all the run consumed" {
		t.Errorf("the run consumed %s; the profile says %q", units, total)
	}
	if n := eval[int](p, `document.querySelectorAll("#cu-icicle .ic-b").length`); n < 10 {
		t.Errorf("%d boxes", n)
	}
	p.screenshot("real-spl-token-profile")
}
