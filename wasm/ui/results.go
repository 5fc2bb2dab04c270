package ui

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/solana"
)

// ResultView is what the results panel shows of a finished run.
type ResultView struct {
	// Verdict is the headline: "Success", "Failed: Custom(42)", "Error".
	Verdict, Class string
	// Detail is the program error's text or the VM's error.
	Detail string
	// Units is "2 834 of 200 000 compute units (1.4 %)"; UnitsBar the
	// bar's width.
	Units, UnitsBar string
	Logs            []string
	LogsTruncated   bool
	Notes           []string
	CPI             string
	Accounts        []AccountView
	// Bare is set for a bare run (no runtime outcome), Failed for a
	// failed instruction, Carry for a successful one, whose accounts the
	// next instruction can start from (CarryAccounts).
	Bare, Failed, Carry bool
	R0                  string
	Lines               []logLine // Logs with their classes, for the page
}

// AccountView is one account's change.
type AccountView struct {
	ID, Name, Pubkey, Flags string
	Changed                 bool
	Summary                 string
	Lamports, LamportsWas   string
	Owner, OwnerWas         string
	DataLen                 string
	Rows                    vugu.HTML // the data rows that changed (or the first rows)
	More                    string    // what Rows leaves out
	_                       [0]func()
}

// maxDataRows bounds the data rows an account's change shows.
const maxDataRows = 24

// Results is the result of the current run for the results panel.
func (d *DebugState) Results() ResultView {
	r := d.result
	if r == nil {
		return ResultView{}
	}
	o := r.Outcome
	if o == nil {
		out := ResultView{Bare: true, Verdict: "Exited", Class: "ok", Logs: r.Log}
		if r.Error != nil {
			out.Verdict, out.Class, out.Detail = "Error", "bad", *r.Error
		} else if r.Value != nil {
			out.R0 = fmt.Sprintf("r0 = %d (0x%x)", *r.Value, *r.Value)
		}
		out.Units = count(r.InstructionCount, "instruction")
		return out
	}
	out := ResultView{Verdict: "Success", Class: "ok", Logs: o.Logs, LogsTruncated: o.LogsTruncated, Notes: o.Notes}
	switch {
	case o.CPI != nil:
		out.Verdict, out.Class = "Stopped at a cross-program invocation", "cpi"
		out.CPI = fmt.Sprintf("%s invokes %s with %s and %s of data", o.CPI.Syscall, o.CPI.Program,
			count(uint64(len(o.CPI.Accounts)), "account"), count(uint64(len(o.CPI.Data)), "byte"))
	case o.ProgramError != nil:
		out.Verdict, out.Class, out.Detail, out.Failed = "Failed: "+*o.ProgramError, "bad", o.ProgramErrorText, true
		if r.Error != nil {
			out.Detail += " — " + *r.Error
		}
	}
	pct := 0.0
	if o.ComputeUnitsBudget > 0 {
		pct = 100 * float64(o.ComputeUnitsConsumed) / float64(o.ComputeUnitsBudget)
	}
	share := fmt.Sprintf("%.1f %%", pct)
	if pct > 0 && pct < 0.1 {
		share = "under 0.1 %"
	}
	out.Carry = out.Class == "ok"
	out.Units = fmt.Sprintf("%s of %s compute units (%s)", thousands(o.ComputeUnitsConsumed), thousands(o.ComputeUnitsBudget), share)
	out.UnitsBar = fmt.Sprintf("width: %.1f%%", min(100, pct))
	var before []solana.Account
	if d.built != nil && d.built.Invocation != nil {
		before = d.built.Invocation.Ix.Accounts
	}
	for i, acc := range o.Accounts {
		out.Accounts = append(out.Accounts, accountView(i, acc, before))
	}
	return out
}

// accountView describes account i after the run against before.
func accountView(i int, r solana.AccountResult, before []solana.Account) AccountView {
	v := AccountView{ID: fmt.Sprintf("acct-%d", i), Name: fmt.Sprintf("accounts[%d]", i), Pubkey: r.Pubkey.String(),
		Lamports: thousands(r.Lamports), Owner: r.Owner.String(), Changed: len(r.Changed) > 0}
	var flags []string
	if r.IsSigner {
		flags = append(flags, "signer")
	}
	if r.IsWritable {
		flags = append(flags, "writable")
	} else {
		flags = append(flags, "read-only")
	}
	if r.Executable {
		flags = append(flags, "executable")
	}
	if r.DupOf != nil {
		flags = append(flags, fmt.Sprintf("same account as accounts[%d]", *r.DupOf))
	}
	v.Flags = strings.Join(flags, ", ")
	if r.LamportsBefore != nil {
		v.LamportsWas = thousands(*r.LamportsBefore)
	}
	if r.OwnerBefore != nil {
		v.OwnerWas = r.OwnerBefore.String()
	}
	after, _ := hex.DecodeString(r.DataHex)
	var old []byte
	if i < len(before) {
		old = before[i].Data
	}
	v.DataLen = count(uint64(len(after)), "byte")
	if r.DataLenBefore != nil {
		v.DataLen = fmt.Sprintf("%d → %d bytes", *r.DataLenBefore, len(after))
	}
	changed := 0
	for _, c := range r.ChangedRanges {
		changed += c[1] - c[0]
	}
	switch {
	case r.Discarded:
		v.Summary = "read-only: the program wrote to it, and the runtime discarded the writes"
	case !v.Changed:
		v.Summary = "unchanged"
	case changed > 0:
		v.Summary = fmt.Sprintf("%s of data changed", count(uint64(changed), "byte"))
	default:
		v.Summary = "changed: " + strings.Join(r.Changed, ", ")
	}
	v.Rows, v.More = dataRows(old, after, r.ChangedRanges)
	return v
}

// dataRows shows an account's data after the run in rows of 16 bytes,
// the changed bytes marked with what they were: the rows with changes
// when there are any, else the first rows.
func dataRows(old, now []byte, ranges [][2]int) (vugu.HTML, string) {
	if len(now) == 0 {
		return "", ""
	}
	changed := func(i int) bool {
		for _, r := range ranges {
			if i >= r[0] && i < r[1] {
				return true
			}
		}
		return false
	}
	var pick []int
	nRows := (len(now) + 15) / 16
	for r := 0; r < nRows; r++ {
		if len(ranges) == 0 {
			if r < 4 {
				pick = append(pick, r)
			}
			continue
		}
		for i := r * 16; i < min(r*16+16, len(now)); i++ {
			if changed(i) {
				pick = append(pick, r)
				break
			}
		}
	}
	more := ""
	if len(pick) > maxDataRows {
		more = fmt.Sprintf("and %d more rows with changes", len(pick)-maxDataRows)
		pick = pick[:maxDataRows]
	} else if len(ranges) == 0 && nRows > len(pick) {
		more = fmt.Sprintf("%d more bytes", len(now)-len(pick)*16)
	}
	var p page
	for _, r := range pick {
		p.WriteString(`<div class="r"><span class="a">` + hexPad(uint64(r*16), 4) + `</span>`)
		for i := r * 16; i < min(r*16+16, len(now)); i++ {
			cls, title := "b", "byte "+strconv.Itoa(i)
			if changed(i) {
				cls += " chg"
				if i < len(old) {
					title += ", was " + hexByte(old[i])
				} else {
					title += ", new"
				}
			}
			p.WriteString(`<span class="` + cls + `" title="` + title + `">` + hexByte(now[i]) + `</span>`)
		}
		p.WriteString(`</div>`)
	}
	return vugu.HTML(p.String()), more
}

// thousands writes n with thin spaces between groups of three digits.
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	if len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}

// page writes HTML for the views drawn as one string (vg-html).
type page struct{ strings.Builder }

// logLine is a line of the log with its class.
type logLine struct {
	Class, Text string
	_           [0]func()
}

// ResultsHTML draws the result of the current run: the verdict, the
// compute units, the log and each account, "" before the run ends.
func (d *DebugState) ResultsHTML() vugu.HTML {
	v := d.Results()
	if v.Verdict == "" {
		return ""
	}
	for _, l := range v.Logs {
		v.Lines = append(v.Lines, logLine{Class: logClass(l), Text: l + "\n"})
	}
	return resultsTmpl.render(v)
}

// DebugResultsHTML is what the debugger shows below the listing once the
// run has ended: ResultsHTML for a runtime run (the debugger shows a bare
// run's end in its status line and syscall log already) and the profile.
func (d *DebugState) DebugResultsHTML() vugu.HTML {
	if r := d.result; r == nil || r.Outcome == nil {
		return d.Prof.HTML()
	}
	return d.withProfile(d.ResultsHTML())
}

// withProfile puts the compute-unit profile beside a run's results: in
// two columns on a wide page, one under the other on a narrow one.
func (d *DebugState) withProfile(results vugu.HTML) vugu.HTML {
	prof := d.Prof.HTML()
	if prof == "" || results == "" {
		return results + prof
	}
	return `<div class="run-out"><div class="run-main">` + results + `</div>` + prof + `</div>`
}

var resultsTmpl = newTmpl(`<div class="verdict-line {Class}" id="run-verdict"><b>{Verdict}</b>{?R0} {R0}{/} <span class="detail">{Detail}</span></div>
<div class="units" id="run-units">{?UnitsBar}<span class="cu-bar"><span class="fill" style="{UnitsBar}"></span></span>{/}<span>{Units}</span></div>
{?CPI}<div class="cpi note" id="run-cpi">{CPI}</div>{/}
<h3>{?Bare}Syscall log{/}{!Bare}Program log{/}{?LogsTruncated} <span class="note">(truncated at 10 000 bytes, as the runtime truncates it)</span>{/}</h3>
<pre class="log sol-log" id="run-logs">{*Lines}<span class="{Class}">{Text}</span>{/}</pre>
{?Notes}<ul class="run-notes" id="run-notes">{*Notes}<li>{.}</li>{/}</ul>{/}
{?Accounts}<div id="run-accounts"><h3>Accounts after the run{?Failed} <span class="note">(the runtime discards every change of a failed instruction)</span>{/}</h3>
{*Accounts}<div class="acct-card{?Changed} changed{/}" id="{ID}"><div class="acct-head"><b>{Name}</b> <code>{Pubkey}</code> <span class="note">{Flags}</span> <span class="acct-sum">{Summary}</span></div>
<table class="acct-kv"><tr><th>lamports</th><td class="lamports">{?LamportsWas}<span class="was">{LamportsWas}</span> → {/}{Lamports}</td></tr>
<tr><th>owner</th><td class="owner">{?OwnerWas}<code class="was">{OwnerWas}</code> → {/}<code>{Owner}</code></td></tr>
<tr><th>data</th><td>{DataLen}</td></tr></table>
{?Rows}<div class="bytes-view">{=Rows}{?More}<div class="note small">{More}</div>{/}</div>{/}
</div>{/}</div>{/}
{?Carry}<div class="carry"><button class="plain" name="do:carry" id="run-carry">Next instruction on these accounts</button> <span class="note">the accounts start the next run as this one left them, as in a sequence of instructions</span></div>{/}`)

// logClass colours the runtime's own lines of the log apart from what
// the program logged.
func logClass(line string) string {
	switch {
	case strings.HasPrefix(line, "Program log: "):
		return "l-prog"
	case strings.HasSuffix(line, " success"):
		return "l-ok"
	case strings.Contains(line, " failed: ") || strings.HasPrefix(line, "Program failed to complete"):
		return "l-bad"
	}
	return "l-rt"
}
