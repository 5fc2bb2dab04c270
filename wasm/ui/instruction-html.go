package ui

import (
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

// segBtn is a button of a segmented choice or a command button.
type segBtn struct {
	Class, Cmd, ID, Label, Title string
	_                            [0]func()
}

// ixView is what the Instruction view shows (ixTmpl).
type ixView struct {
	Loaded, Runtime, Running                bool
	Modes                                   []segBtn
	ModeText                                string
	VerdictClass, VerifierText, DeployText  string
	VerifierRef                             string
	Verify                                  bool
	ProgramID, ProgramIDClass               string
	Loaders, Presets, DataEncs              []segBtn
	AcctCount                               string
	Accounts                                []acctView
	Data, DataClass, DataHint, DataNote     string
	CU, CUClass, Heap, HeapClass, MoreLabel string
	More                                    bool
	Sysvars                                 []SysvarForm
	Features                                []featView
	IxErr, JSONLabel, DocText               string
	JSON                                    bool
	InputHex, Budget, RunCommand            string
	Progress, Err, Status, StatusClass      string
	Rejected                                bool
	Results                                 vugu.HTML
}

// acctView is one account's row of the form.
type acctView struct {
	I int
	AccountRow
	PubkeyClass, OwnerClass, LamportsClass, RentClass, DataClass string
	OwnerNote, DataNote, DataHint                                string
	Encs                                                         []segBtn
	IsFile                                                       bool
}

type featView struct {
	Name string
	On   bool
	_    [0]func()
}

// segs makes a segmented choice: one button per value, the command
// cmd+":"+value, the current one active.
//
//go:noinline
func segs(cmd, idPrefix, cur string, values, labels []string) []segBtn {
	out := make([]segBtn, len(values))
	for i, v := range values {
		out[i] = segBtn{Class: "seg", Cmd: "do:" + cmd + ":" + v, Label: labels[i]}
		if idPrefix != "" {
			out[i].ID = idPrefix + v
		}
		if v == cur {
			out[i].Class = "seg active"
		}
	}
	return out
}

func (f *IxForm) view() ixView {
	d, prog := f.debug, f.hub.program()
	v := ixView{Loaded: prog != nil && prog.Prog != nil, Runtime: d.Runtime(), Running: d.Running,
		Modes:    segs("mode", "mode-", d.Mode, []string{modeRuntime, modeBare}, []string{"Solana v1.6.9 runtime", "bare rbpf v0.2.8"}),
		ModeText: d.ModeText(), Verify: d.Verify, InputHex: d.InputHex, Budget: d.Budget}
	if v.Loaded {
		v.VerdictClass, v.VerifierText, v.DeployText = prog.VerdictClass(), prog.VerifierText(), d.DeployText()
		if prog.VerifierPC() >= 0 {
			v.VerifierRef = prog.VerifierRef()
		}
		v.RunCommand = d.RunCommand()
	}
	if !v.Runtime {
		return v
	}
	v.ProgramID, v.ProgramIDClass = f.ProgramID, f.FieldClass("program_id", "key")
	v.Loaders = segs("loader", "ix-loader-", f.Loader, []string{"bpf_loader", "bpf_loader_deprecated"}, []string{"BPFLoader2: aligned", "deprecated: unaligned"})
	for _, p := range Presets {
		v.Presets = append(v.Presets, segBtn{Cmd: "do:preset:" + p.ID, ID: "preset-" + p.ID, Label: p.Title, Title: p.Blurb})
	}
	v.AcctCount = count(uint64(len(f.Accounts)), "account")
	encs := []string{"hex", "base64", "size", "file"}
	for i, r := range f.Accounts {
		bad := f.badAccountField(i)
		v.Accounts = append(v.Accounts, acctView{I: i, AccountRow: r,
			PubkeyClass: cls("key acct-pubkey", bad == "pubkey"), OwnerClass: cls("key acct-owner", bad == "owner"),
			LamportsClass: cls("num acct-lamports", bad == "lamports"), RentClass: cls("num acct-rent", bad == "rent_epoch"),
			DataClass: cls("data acct-data", bad == "*"), OwnerNote: f.OwnerNote(r.Owner), DataNote: r.DataNote(),
			DataHint: f.DataPlaceholder(r.DataEnc), Encs: segs("acct-enc:"+strconv.Itoa(i), "", r.DataEnc, encs, encs), IsFile: r.DataEnc == "file"})
		if name := sysvarName(r.Pubkey); name != "" && r.Lamports == "" && r.Owner == "" && r.Data == "" && r.DataEnc == "size" {
			av := &v.Accounts[len(v.Accounts)-1]
			av.OwnerNote, av.DataNote = "the sysvar program, filled in", "the "+name+" sysvar's bytes, filled in from its values"
		}
	}
	dencs := []string{"hex", "base58", "text", "base64"}
	v.DataEncs = segs("data-enc", "ix-data-", f.DataEnc, dencs, dencs)
	v.Data, v.DataClass, v.DataHint, v.DataNote = f.Data, f.FieldClass("data", "wide data"), f.DataPlaceholder(f.DataEnc), f.DataNote()
	v.CU, v.CUClass, v.Heap, v.HeapClass = f.ComputeUnits, f.FieldClass("compute_units", "num"), f.HeapSize, f.FieldClass("heap_size", "num")
	v.MoreLabel, v.More = f.MoreLabel(), f.More
	if f.More {
		v.Sysvars = f.Sysvars
		for _, n := range solana.FeatureNames() {
			v.Features = append(v.Features, featView{Name: n, On: f.FeatureOn(n)})
		}
	}
	v.IxErr, v.JSONLabel, v.JSON = f.Err, f.JSONLabel(), f.JSON
	if f.JSON {
		v.DocText = f.DocText()
	}
	return v
}

// cls is base, marked bad when bad.
//
//go:noinline
func cls(base string, bad bool) string {
	if bad {
		return base + " bad"
	}
	return base
}

// badAccountField names the field of account i the last check refused:
// "pubkey", "owner", ..., "*" for the account itself (its data), "" for
// none.
func (f *IxForm) badAccountField(i int) string {
	rest, ok := strings.CutPrefix(f.ErrPath, "accounts["+strconv.Itoa(i)+"]")
	switch {
	case !ok:
		return ""
	case rest == "" || strings.HasPrefix(rest, ".data"):
		return "*"
	}
	return strings.TrimPrefix(rest, ".")
}

// sysvarName names the sysvar whose account key is k, "" for none: the
// runtime fills in such an account listed without lamports, owner or data.
func sysvarName(k string) string {
	switch k {
	case pubkey.SysvarClockID.String():
		return "clock"
	case pubkey.SysvarRentID.String():
		return "rent"
	case pubkey.SysvarEpochScheduleID.String():
		return "epoch_schedule"
	case pubkey.SysvarFeesID.String():
		return "fees"
	}
	return ""
}

// PanelHTML draws the Instruction view.
func (f *IxForm) PanelHTML() vugu.HTML { return ixTmpl.render(f.view()) }

var ixTmpl = newTmpl(`<h2>Instruction</h2>
{!Loaded}<p class="note" id="ix-noprog">Load a program that the loader accepts first: drop a Solana program (.so) anywhere on the page. You can fill in the instruction already; it is kept when a program loads.</p>{/}
<div class="ix-mode"><span class="segmented">{*Modes}<button class="{Class}" id="{ID}" name="{Cmd}">{Label}</button>{/}</span><span class="note" id="mode-text">{ModeText}</span></div>
{?Loaded}<div class="verdict-box {VerdictClass}" id="verifier"><div><b>Verifier. </b><span id="verifier-text">{VerifierText}</span>{?VerifierRef} <button class="plain small" id="verifier-show" name="do:show-verifier">show {VerifierRef}</button>{/}</div>
<div class="note" id="deploy-text">{DeployText}</div>
<label class="check"><input type="checkbox" id="ix-verify" name="verify"{?Verify} checked{/}> also run rbpf v0.2.8's own verifier before each run (rbpf run --verify)</label></div>{/}
{?Runtime}<div class="ix-form" id="ix-form">
<div class="ix-row"><label class="k"><span>program id</span><input type="text" spellcheck="false" id="ix-program-id" name="program_id" class="{ProgramIDClass}" value="{ProgramID}" placeholder="base58 address"></label>
<span class="k"><span>loader (input layout)</span><span class="segmented">{*Loaders}<button class="{Class}" id="{ID}" name="{Cmd}">{Label}</button>{/}</span></span></div>
<div class="ix-row presets"><span class="note">start from</span>{*Presets}<button class="plain small" id="{ID}" name="{Cmd}" title="{Title}">{Label}</button>{/}</div>
<h3>Accounts <span class="note">{AcctCount} in instruction order</span></h3>
{?Accounts}<table class="ix-accounts" id="ix-accounts"><thead><tr><th>#</th><th>pubkey · owner</th><th>signer</th><th>writable</th><th>executable</th><th>lamports · rent epoch</th><th>data</th><th></th></tr></thead><tbody>
{*Accounts}<tr id="ix-acct-{I}"><td class="idx">{I}</td>
<td><input type="text" spellcheck="false" title="pubkey" placeholder="pubkey (base58)" class="{PubkeyClass}" name="accounts.{I}.pubkey" value="{Pubkey}">
<input type="text" spellcheck="false" title="owner" placeholder="owner: system program unless set" class="{OwnerClass}" name="accounts.{I}.owner" value="{Owner}"><div class="note small">owner {OwnerNote}</div></td>
<td><input type="checkbox" class="acct-signer" name="accounts.{I}.is_signer"{?Signer} checked{/}></td>
<td><input type="checkbox" class="acct-writable" name="accounts.{I}.is_writable"{?Writable} checked{/}></td>
<td><input type="checkbox" class="acct-executable" name="accounts.{I}.executable"{?Executable} checked{/}></td>
<td><input type="text" spellcheck="false" title="lamports" placeholder="lamports: 0" class="{LamportsClass}" name="accounts.{I}.lamports" value="{Lamports}">
<input type="text" spellcheck="false" title="rent epoch" placeholder="rent epoch: 0" class="{RentClass}" name="accounts.{I}.rent_epoch" value="{RentEpoch}"></td>
<td class="data-cell"><span class="segmented tiny">{*Encs}<button class="{Class}" name="{Cmd}">{Label}</button>{/}</span>
{?IsFile}<label class="button small">choose a file…<input type="file" class="hidden-input acct-file" data-account="{I}"></label>{/}{!IsFile}<input type="text" spellcheck="false" class="{DataClass}" name="accounts.{I}.data" value="{Data}" placeholder="{DataHint}">{/}
<span class="note small">{DataNote}</span></td>
<td><button class="plain small" name="do:remove:{I}" title="remove this account">✕</button></td></tr>{/}
</tbody></table>{/}
<div class="ix-row"><button class="plain small" id="ix-add-account" name="do:add">+ add an account</button></div>
<h3>Instruction data</h3>
<div class="ix-row"><span class="segmented">{*DataEncs}<button class="{Class}" id="{ID}" name="{Cmd}">{Label}</button>{/}</span>
<input type="text" spellcheck="false" id="ix-data" name="data" class="{DataClass}" value="{Data}" placeholder="{DataHint}"><span class="note" id="ix-data-note">{DataNote}</span></div>
<div class="ix-row"><label class="k"><span>compute units</span><input type="text" id="ix-cu" name="compute_units" class="{CUClass}" value="{CU}" placeholder="200000"></label>
<label class="k"><span>heap bytes</span><input type="text" id="ix-heap" name="heap_size" class="{HeapClass}" value="{Heap}" placeholder="32768"></label>
<button class="plain small" id="ix-more" name="do:more">{MoreLabel}</button></div>
{?More}<div class="ix-more" id="ix-sysvars"><p class="note">Sysvars are what sol_get_*_sysvar return and what a sysvar account passed without data holds. Unset, they have the release's defaults, and the outcome says when a program read one.</p>
<div class="sysvars">{*Sysvars}<div class="sysvar"><label class="check"><input type="checkbox" id="sysvar-{Name}" name="sysvars.{Name}.set"{?Set} checked{/}> <b>{Name}</b>{!Set} <span class="note">default</span>{/}</label>
{*Fields}<label class="k"><span>{Key}</span><input type="text" class="num" name="sysvars.{Name}.{Key}" value="{Value}"></label>{/}</div>{/}</div>
<p class="note">Features of v1.6.9 (a test validator has them all on; memory_ops_syscalls came with v1.7):</p>
<div class="ix-row">{*Features}<label class="check"><input type="checkbox" name="features.{Name}"{?On} checked{/}> <code>{Name}</code></label>{/}</div></div>{/}
{?IxErr}<div class="err" id="ix-error">{IxErr}</div>{/}
<div class="ix-row"><button class="plain small" id="ix-json-toggle" name="do:json">{JSONLabel}</button>
<button class="plain small" id="ix-export" name="do:export" title="the file rbpf run --instruction reads">download instruction.json</button>
<label class="button small">open a document…<input type="file" id="ix-import-file" class="hidden-input"></label></div>
{?JSON}<div class="ix-json"><p class="note">The document that rbpf run --elf PROGRAM --instruction FILE and POST /api/run read. Edit it and apply, or drop a .json file on the page.</p>
<textarea id="ix-json" name="json" class="mono" rows="14" spellcheck="false">{DocText}</textarea>
<div class="ix-row"><button class="plain small" id="ix-apply" name="do:apply">apply this document</button></div></div>{/}
</div>{/}
{!Runtime}<div class="ix-form"><p class="note">A bare run is what rbpf v0.2.8 itself runs: r1 points at these input bytes, the meter counts instructions against the budget, and the syscalls are rbpf's own (log, log_64 and its helpers).</p>
<div class="controls"><label class="field">input (hex) <input type="text" class="mono" id="ix-input" name="input" spellcheck="false" value="{InputHex}"></label>
<label class="field">budget <input type="text" class="mono short" id="ix-budget" name="budget" value="{Budget}"></label></div></div>{/}
{?Loaded}<div class="controls run-bar"><button class="primary" id="ix-run" name="do:run">▶▶ run</button><button class="plain" id="ix-debug" name="do:debug">debug from the entrypoint</button>{?Running}<button class="plain stop" id="ix-stop" name="do:stop">■ stop</button>{/}<span class="note">{RunCommand}</span></div>
{/}`)

// OutHTML draws how the last run went, for the Instruction panel: the
// error (with "run anyway" for the verifier's rejection) or the status,
// then the outcome.
func (d *DebugState) OutHTML() vugu.HTML {
	if p := d.hub.program(); p == nil || p.Prog == nil {
		return ""
	}
	v := outView{Err: d.Err, Rejected: d.Rejected, Status: d.Status, StatusClass: d.StatusClass(), Results: d.withProfile(d.ResultsHTML())}
	if v.Results != "" && !v.Rejected {
		v.Status = "" // the outcome says it all
	}
	return ixOutTmpl.render(v)
}

// outView is a run's messages and outcome.
type outView struct {
	Err, Status, StatusClass string
	Rejected                 bool
	Results                  vugu.HTML
	_                        [0]func()
}

var ixOutTmpl = newTmpl(`{?Err}<div class="err reject" id="ix-run-error"><span>{Err}</span>{?Rejected}<button class="plain" id="run-anyway" name="do:anyway" title="run it although a verifier rejects it (rbpf run --run-anyway)">run anyway</button>{/}</div>{/}
{!Err}{?Status}<div class="{StatusClass} reject" id="ix-status"><span>{Status}</span>{?Rejected}<button class="plain" id="run-anyway" name="do:anyway" title="run it although a verifier rejects it (rbpf run --run-anyway)">run anyway</button>{/}</div>{/}{/}
<div class="run-results" id="run-results">{=Results}</div>`)

// debugTopView is the debugger's run mode and toolbar.
type debugTopView struct {
	Modes                           []segBtn
	Runtime, Running                bool
	Summary, InputHex, Budget, Keys string
	Watch, WatchErr, WatchInfo      string
	Compiled                        bool // the compiled tier is at hand
	_                               [0]func()
}

// TopHTML draws the debugger's run mode (the switch and what the run is,
// or a bare run's input and budget), its buttons and keys.
func (d *DebugState) TopHTML() vugu.HTML {
	return debugTopTmpl.render(debugTopView{
		Modes:   segs("mode", "dbg-mode-", d.Mode, []string{modeRuntime, modeBare}, []string{"Solana v1.6.9 runtime", "bare rbpf v0.2.8"}),
		Runtime: d.Runtime(), Running: d.Running, Summary: d.ix.Summary(), InputHex: d.InputHex, Budget: d.Budget, Keys: keysHint(),
		Watch: d.W.Text, WatchErr: d.W.Err, WatchInfo: d.WatchInfo(), Compiled: d.hub.compiled() != nil})
}

var debugTopTmpl = newTmpl(`<div class="run-mode" id="dbg-mode"><span class="segmented">{*Modes}<button class="{Class}" id="{ID}" name="{Cmd}">{Label}</button>{/}</span>
{?Runtime}<span class="what" id="dbg-ix">{Summary}</span><button class="plain small" id="dbg-edit-ix" name="do:show:instruction">edit the instruction</button>{/}
{!Runtime}<label class="field">input (hex) <input type="text" class="mono" id="dbg-input" name="input" spellcheck="false" value="{InputHex}"></label>
<label class="field">budget <input type="text" class="mono short" id="dbg-budget" name="budget" value="{Budget}"></label>{/}</div>
<div class="controls toolbar"><button class="plain" id="dbg-reset" name="do:reset">⟲ reset</button><button class="plain" id="dbg-back" name="do:back">◀ back</button>
<button class="plain" id="dbg-step" name="do:step">step ▶</button><button class="plain" id="dbg-over" name="do:over">step over ↷</button>
<button class="plain" id="dbg-cursor" name="do:cursor">run to cursor ⇥</button><button class="primary" id="dbg-run" name="do:drun">▶▶ run</button>
{?Running}<button class="plain stop" id="dbg-stop" name="do:stop">■ stop</button>{/}</div>
<div class="watch-row"><label class="field">watch <input type="text" class="mono" id="dbg-watch" name="watch" spellcheck="false" value="{Watch}" placeholder="accounts[0].data[0..8], 0x200000ff8+8:rw" title="stop a run after an instruction that touches these bytes: 0xADDR+LEN, 0xSTART-0xEND or an input field, each with :r, :w (the default) or :rw, separated by commas"></label>
<button class="plain" id="dbg-prev-hit" name="do:prev-hit" title="go back to just before the latest watch hit">◀ previous hit</button>
{?WatchErr}<span class="err" id="dbg-watch-err">{WatchErr}</span>{/}{?WatchInfo}<span class="note" id="dbg-watch-info">{WatchInfo}</span>{/}
<span class="share"><button class="plain small" id="dbg-save-trace" name="do:save-trace" title="run it again from the start and save every step as a trace file (rbpf trace show, rbpf trace diff)">⤓ trace file</button><button class="plain small" id="dbg-export-case" name="do:export-case" title="save the run as a conformance case (txtar), as rbpf run --export-case does">⤓ test case</button>{?Compiled}<button class="plain small" id="dbg-compare-tiers" name="do:compare-tiers" title="run it again, traced, on the interpreter and compiled to WebAssembly, and compare the two traces step by step (Recorded run)">⇄ compiled tier</button>{/}</span></div>
<p class="note keys" id="dbg-keys">{Keys}</p>`)

// MsgHTML is the debugger's error, with "run anyway" when the verifier
// refused the run, and its status.
func (d *DebugState) MsgHTML() vugu.HTML {
	return debugMsgTmpl.render(outView{Err: d.Err, Rejected: d.Rejected, Status: d.Status, StatusClass: d.StatusClass()})
}

var debugMsgTmpl = newTmpl(`{?Err}<div class="err reject" id="dbg-error"><span>{Err}</span>{?Rejected}<button class="plain" id="dbg-run-anyway" name="do:anyway" title="run it although a verifier rejects it (rbpf run --run-anyway)">run anyway</button>{/}</div>{/}
{?Status}<div class="{StatusClass} reject" id="dbg-status"><span>{Status}</span>{!Err}{?Rejected}<button class="plain" id="dbg-run-anyway" name="do:anyway" title="run it although a verifier rejects it (rbpf run --run-anyway)">run anyway</button>{/}{/}</div>{/}`)

// regsView is the registers table.
type regsView struct {
	Ready bool
	Regs  []RegRow
	_     [0]func()
}

// RegsHTML draws the registers, changed ones marked.
func (d *DebugState) RegsHTML() vugu.HTML {
	return regsTmpl.render(regsView{Ready: d.Ready(), Regs: d.Registers()})
}

var regsTmpl = newTmpl(`<h3>Registers</h3>{?Ready}<table class="regs" id="regs">{*Regs}<tr class="{Class}" id="reg-{Name}"><th>{?Why}<button class="link regname" name="{Why}" title="where did this value come from?">{Name}</button>{/}{!Why}{Name}{/}</th><td class="hexv">{Hex}</td><td class="dec">{Dec}</td></tr>{/}</table>{/}
{!Ready}<p class="note">Press step or run to start.</p>{/}`)

// memView is the memory viewer and the syscall log.
type memView struct {
	Regions   []segBtn
	Input     bool
	InputView vugu.HTML
	Dump, Log string
	_         [0]func()
}

// MemHTML draws the memory viewer (the input region by field, the others
// as a hex dump) and the syscall log.
func (d *DebugState) MemHTML() vugu.HTML {
	v := memView{Regions: segs("region", "", d.MemRegion, memRegions, memRegions), Log: d.LogText()}
	if v.Input = d.MemRegion == "input" && d.Ready(); v.Input {
		v.InputView = d.InputHTML()
	} else {
		v.Dump = d.MemDump()
	}
	return memTmpl.render(v)
}

var memTmpl = newTmpl(`<h3>Memory</h3><div class="segmented">{*Regions}<button class="{Class}" name="{Cmd}">{Label}</button>{/}</div>
{?Input}{=InputView}{/}{!Input}<pre class="memdump" id="memdump">{Dump}</pre>{/}
<h3>Syscall log</h3><pre class="log" id="syscall-log">{Log}</pre>`)

// change takes a change of a control of the form: a text field's value
// or a checkbox's state, by the control's name.
func (f *IxForm) change(name, value string, checked bool, kind string) {
	switch {
	case name == "" || strings.HasPrefix(name, "do:"):
	case name == "json":
		f.Text = value
	case kind == "checkbox":
		f.SetField(name, strconv.FormatBool(checked))
	case kind != "file":
		f.SetField(name, value)
	}
}

// click runs a form button's command; false when it is not one.
func (f *IxForm) click(verb, arg string) bool {
	switch verb {
	case "preset":
		f.ApplyPreset(arg)
	case "add":
		f.AddAccount()
	case "remove":
		if i, err := strconv.Atoi(arg); err == nil {
			f.RemoveAccount(i)
		}
	case "loader":
		f.SetField("loader", arg)
	case "data-enc":
		f.SetField("data_enc", arg)
	case "acct-enc":
		i, enc, _ := strings.Cut(arg, ":")
		if n, err := strconv.Atoi(i); err == nil {
			f.SetAcct(n, "data_enc", enc)
		}
	case "more":
		f.ToggleMore()
	case "json":
		f.ToggleJSON()
	case "export":
		f.ExportInstruction()
	case "apply":
		f.ImportText()
	default:
		return false
	}
	return true
}
