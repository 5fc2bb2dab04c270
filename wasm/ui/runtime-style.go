package ui

// RuntimeCSSID is the id of the <style> element that holds RuntimeCSS.
const RuntimeCSSID = "rbpf-runtime-css"

// RuntimeCSS styles the Instruction panel, the run's results and the
// input viewer. The build puts it into the page's head (web/mkdist), and
// the host adds it at start to a page without it (a vugu component's
// <style> would be written on every render).
const RuntimeCSS = `rbpf-html { display: block; }
.ix-mode { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 4px 0 10px; }
.ix-mode .note { margin: 0; max-width: 90ch; }
.ix-row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin: 8px 0; }
.ix-row.presets { align-items: center; }
.ix-form h3 { margin-top: 16px; }
.ix-form .k, .sysvar .k { display: inline-flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--muted); }
.ix-form input.key { width: 31em; max-width: 100%; font-size: 12.5px; }
.ix-form input.num { width: 12em; }
.ix-form input.wide { width: 40em; max-width: 100%; }
.ix-form input.data { width: 22em; }
#ix-data { width: 46em; max-width: 100%; }
.ix-form textarea { min-height: 12em; }
input.bad, textarea.bad { border-color: var(--bad) !important; background: var(--bad-soft); }
button.small, .button.small { font-size: 12.5px; padding: 3px 10px; }
.segmented.tiny .seg { font-size: 12px; padding: 2px 7px; }
.note.small { font-size: 12px; margin: 2px 0 0; }
label.check { display: inline-flex; gap: 6px; align-items: center; font-size: 13px; margin: 4px 0; }
table.ix-accounts { border-collapse: collapse; width: 100%; }
.ix-accounts th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 4px 6px; border-bottom: 2px solid var(--line); }
.ix-accounts td { padding: 6px 6px; border-bottom: 1px solid #e4e8ef; vertical-align: top; }
.ix-accounts td.idx { font-family: var(--mono); color: var(--muted); padding-top: 10px; }
.ix-accounts td input[type=text] { display: block; margin-bottom: 4px; }
.ix-accounts td input[type=checkbox] { margin-top: 10px; }
.ix-accounts td.data-cell input[type=text] { margin-top: 4px; }
.sysvars { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 10px 16px; }
.sysvar { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fbfcfd; display: flex; flex-direction: column; gap: 4px; }
.sysvar input[type=text] { width: 100%; }
.ix-more { border-top: 1px dashed var(--line); margin-top: 8px; padding-top: 6px; }
.verdict-box { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 10px 0 14px; }
.verdict-box.ok { background: var(--ok-soft); border-color: #b7dcc5; }
.verdict-box.bad { background: var(--warn-soft); border-color: #e9cf7c; }
.verdict-box .note { margin: 6px 0; color: #3d4656; max-width: 110ch; }
.run-bar { margin-top: 16px; }
.run-bar .note { margin: 0; font-family: var(--mono); font-size: 12px; }
.run-results { margin-top: 6px; }
.verdict-line { font-size: 16px; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
.verdict-line.ok { background: var(--ok-soft); color: var(--ok); }
.verdict-line.bad { background: var(--bad-soft); color: var(--bad); }
.verdict-line.cpi { background: var(--warn-soft); color: #6b4a00; }
.verdict-line .detail { font-size: 14px; }
.units { display: flex; align-items: center; gap: 10px; font-family: var(--mono); font-size: 13px; margin: 6px 0 10px; }
.cu-bar { display: inline-block; width: 260px; height: 10px; background: #e2e7ef; border-radius: 5px; overflow: hidden; }
.cu-bar .fill { display: block; height: 100%; background: var(--accent); }
pre.sol-log { max-height: 320px; white-space: pre-wrap; word-break: break-all; }
.sol-log .l-prog { color: var(--ink); font-weight: 600; }
.sol-log .l-rt { color: #4d5666; }
.sol-log .l-ok { color: var(--ok); }
.sol-log .l-bad { color: var(--bad); font-weight: 600; }
.run-notes { margin: 6px 0; padding-left: 20px; color: #4d5666; font-size: 13px; }
.carry { margin-top: 12px; display: flex; gap: 10px; align-items: baseline; }
.acct-card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.acct-card.changed { border-color: #d9b44a; background: #fffcf2; }
.acct-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.acct-head code { font-size: 12.5px; }
.acct-sum { margin-left: auto; font-weight: 600; }
.acct-card.changed .acct-sum { color: #7a5500; }
table.acct-kv { margin: 6px 0; font-size: 13px; }
.acct-kv th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; padding: 1px 12px 1px 0; }
.acct-kv td { font-family: var(--mono); padding: 1px 0; }
.acct-kv .was { color: var(--muted); text-decoration: line-through; }
.bytes-view { font-family: var(--mono); font-size: 12.5px; line-height: 1.7; overflow-x: auto; }
.bytes-view .r, .memrows .r { white-space: nowrap; }
.bytes-view .a, .memrows .a { color: #5b6576; margin-right: 6px; }
.memrows { font-family: var(--mono); font-size: 11.5px; line-height: 1.65; background: #fcfcfd; border: 1px solid var(--line);
  border-radius: 6px; padding: 6px 8px; margin: 6px 0; max-height: 320px; overflow: auto; }
.memrows .asc { color: #5b6576; margin-left: 6px; }
.b { display: inline-block; padding: 0 1px; margin-right: 2px; border-radius: 2px; cursor: default; }
.bytes-view .b { padding: 0 2px; margin-right: 1px; }
.b.f-len { background: #dde6fb; }
.b.f-flag { background: #ece0f8; }
.b.f-key { background: #d9f0e2; }
.b.f-lamports { background: #fbe3cf; }
.b.f-data { background: #fff0bf; }
.b.f-epoch { background: #dcedf5; }
.b.f-pad { color: #5b6576; }
.b.alt { filter: brightness(.94); }
.b.chg { background: #ffd45c; color: #4a3200; font-weight: 700; }
.b.acc { outline: 2px solid #b4410b; outline-offset: -1px; }
.mem-legend { display: flex; flex-wrap: wrap; gap: 4px 8px; font-size: 11.5px; margin: 4px 0; }
.mem-nav { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; font-size: 12px; }
.mem-nav select { max-width: 260px; font-family: var(--mono); font-size: 12px; }
.mem-access { font-family: var(--mono); font-size: 12px; color: #7a3410; margin: 4px 0; }
.run-mode { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin-bottom: 10px; font-size: 13px; }
.run-mode .what { color: #3d4656; }
.watch-row { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0 2px; font-size: 13px; }
.watch-row .field input { min-width: 300px; }
.watch-row .note, .watch-row .err { margin: 0; font-size: 12.5px; }
.watch-row .share { margin-left: auto; display: inline-flex; gap: 6px; }
.why-box { margin: 10px 0 4px; }
.why-box .field input { min-width: 240px; width: 100%; }
.why-chain { font-size: 12.5px; margin-top: 6px; max-height: 340px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; background: #fbfcfe; }
.why-chain .q { margin: 0 0 4px; font-weight: 600; }
.why-link { padding: 2px 0; border-left: 2px solid #dfe5ee; padding-left: 6px; }
.why-link .loc { font-family: var(--mono); font-weight: 600; }
.why-link button.link { font-family: var(--mono); font-size: 12px; padding: 0; }
.why-link.k-input, .why-link.k-constant, .why-link.k-syscall, .why-link.k-entry, .why-link.k-rodata { border-left-color: #2f9e44; }
.regs button.regname { font: inherit; font-weight: 600; padding: 0; }
.trace-grid { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 18px; margin-top: 10px; }
.trace-lines td { font-family: var(--mono); font-size: 12.5px; padding: 2px 8px; }
.trace-lines tr.cur { background: #fff3c4; }
.trace-diff pre { white-space: pre-wrap; background: #f6f8fb; padding: 8px 10px; border-radius: 6px; font-size: 12.5px; }
.reject { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
.reject button { font-family: var(--sans); font-size: 13px; padding: 2px 12px; }
.banner.pending-file { border: 2px dashed var(--accent); background: var(--accent-soft); color: #16213a; font-size: 15px; }
.pending-file { border: 2px dashed var(--accent); border-radius: 8px; padding: 12px 16px; margin: 0 0 14px; background: var(--accent-soft); color: #16213a; }
.run-out { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 28px; align-items: start; }
@media (max-width: 1150px) { .run-out { grid-template-columns: minmax(0, 1fr); } }
.cu-prof { margin-top: 8px; }
.cu-prof h3 { display: flex; align-items: center; gap: 8px; }
.cu-prof h3 button { padding: 0 7px; }
.cu-total { font-family: var(--mono); font-size: 13px; margin: 6px 0 8px; }
.cu-total.bad { color: var(--bad); }
.icicle { position: relative; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; overflow: hidden; margin: 6px 0 4px; box-sizing: content-box; }
.ic-b { position: absolute; height: 21px; margin: 0; border: 0; border-right: 1px solid #fff; border-radius: 0; padding: 0 4px; font: 11.5px/21px var(--mono);
  color: #1b2330; text-align: left; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
.ic-b:hover { outline: 2px solid var(--accent); outline-offset: -2px; z-index: 1; }
.cu-fns-wrap { max-height: 460px; overflow: auto; margin: 10px 0 6px; }
table.cu-fns { border-collapse: collapse; width: 100%; font-size: 12.5px; table-layout: fixed; }
.cu-fns th { text-align: right; font-size: 12px; color: var(--muted); font-weight: 600; padding: 3px 6px; border-bottom: 2px solid var(--line);
  position: sticky; top: 0; background: var(--panel); }
.cu-fns td { text-align: right; font-family: var(--mono); padding: 2px 6px; border-bottom: 1px solid #eef1f5; white-space: nowrap; }
.cu-fns th:first-child, .cu-fns td.fn { text-align: left; width: 46%; }
.cu-fns th:nth-child(2), .cu-fns th:nth-child(3), .cu-fns th:nth-child(4) { width: 11%; }
.cu-fns th:last-child { width: 20%; }
.cu-fns td.fn { overflow: hidden; text-overflow: ellipsis; }
.cu-fns td.fn button.link { margin: 0; padding: 0; font-size: 12.5px; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
.cu-fns tr.sys td.fn { color: #2c5aa0; }
.cu-fns td.sh .n { display: inline-block; min-width: 4.2em; }
.cu-fns td.sh .cu-bar { width: 44px; height: 8px; margin-left: 8px; }
.carry button { flex-shrink: 0; }
.cu-dl { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; margin-top: 10px; }
.cu-dl .note { font-size: 12px; }
`
