package ui

import (
	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// SpeedPanel compares the browser's interpreter with the native server's
// interpreter and JIT.
type SpeedPanel struct {
	App *App
}

// speedView is what the Speed view shows (speedTmpl).
type speedView struct {
	Loaded, NoServer, Busy bool
	Err, Summary           string
	Rows                   []SpeedRow
	// Said, PC and Ref are the instruction the browser run's error
	// names (ErrRef).
	Said, Ref string
	PC        int
	_         [0]func()
}

// HTML draws the Speed view as one string: a vugu template of its
// elements cost the page 45 KB of WebAssembly.
func (s *SpeedState) HTML() vugu.HTML {
	p := s.hub.program()
	v := speedView{Loaded: p != nil && p.Prog != nil, NoServer: s.Checked && !s.Server, Busy: s.Busy, Err: s.Err, Summary: s.Summary, Rows: s.Rows}
	if r := s.ErrRef; r != nil {
		v.Said, v.PC, v.Ref = r.Said, r.PC, ebpf.PCRef(r.PC)
	}
	return speedTmpl.render(v)
}

var speedTmpl = newTmpl(`<h2>Compare speed</h2>
<p class="lead">Run the current program with its input and budget here, on the interpreter (itself compiled to WebAssembly)
and compiled to WebAssembly (core/jit/wasm, the browser's JIT), then on the native server (interpreter and JIT), side by side.</p>
{!Loaded}<p class="note">Load a program first; the long-loop example is a good one.</p>{/}
{?NoServer}<div class="hint" id="speed-noserver">No native server serves this page, so the program runs in the browser only. Start one with
<code>make run</code> and open the address it prints to compare with native code.</div>{/}
{?Loaded}<div class="controls"><button class="primary" id="speed-run" name="do:speed-run">Run the comparison</button>{?Busy} <span class="note">running…</span>{/}</div>{/}
{?Err}<div class="err" id="speed-error">{Err}</div>{/}
{?Rows}<table class="speed" id="speed-table"><thead><tr><th>engine</th><th>where</th><th>instructions a run</th><th>time a run</th><th>instructions/s</th><th>compile</th><th>result</th></tr></thead>
<tbody>{*Rows}<tr><td>{Engine}</td><td>{Where}</td><td>{Insns}</td><td>{Run}</td><td>{InsnPerSec}</td><td>{Compile}</td><td>{Result}</td></tr>{/}</tbody></table>{/}
{?Said}<p class="note" id="speed-error-ref">The run's error names <code>{Said}</code>: <button class="link" name="do:insn:{PC}">→ {Ref}</button></p>{/}
{?Summary}<p class="lead" id="speed-summary">{Summary}</p>{/}`)
