package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/provenance"
)

// "Where did this value come from": the debugger records every run it
// steps (core/provenance, about 15 bytes a step, at most
// provenance.DefaultMaxSteps steps) and answers, at the current position,
// for a register (click its name) or for bytes named as the watch field
// names them (an input field, 0xADDR+LEN): the instruction that last
// wrote the value, its inputs, and theirs back to the origins. "go there"
// replays the run to just before a link's instruction. It is what `rbpf
// run --why` prints.

// whyState is the debugger's last question and its answer.
type whyState struct {
	Text  string // the question field, as typed
	Err   string
	chain *provenance.Chain
	rec   *provenance.Recorder // the current run's recording, nil until its first step
}

// startRecording starts the run's recordings, provenance's and the
// compute-unit profile's, when the run is at its first instruction and
// they have not started: on the first step, or earlier, once the
// debugger has painted (prepare), since on a real program the two take
// tens of milliseconds to read the program.
func (d *DebugState) startRecording() {
	m := d.vm
	if m == nil || m.Executed() != 0 {
		return
	}
	d.Prof.start(m)
	if d.why.rec != nil {
		return
	}
	rec, err := provenance.NewRecorder(m, provenance.Options{Step: func(n int) int {
		done := 0
		for ; done < n && !m.Done(); done++ {
			d.Prof.step(m)
		}
		return done
	}, Input: d.runInput()})
	if err == nil {
		d.why.rec = rec
	}
}

// stepRecorded executes the next instruction of the debugger's VM
// through the run's recording, which it starts at the run's first
// instruction; the compute-unit profile records the same step.
func (d *DebugState) stepRecorded() {
	d.startRecording()
	if d.why.rec != nil {
		d.why.rec.Step(1)
		return
	}
	d.Prof.step(d.vm)
}

// newRunRecorded forgets the last run's recording and answer.
func (d *DebugState) newRunRecorded() {
	d.why.rec, d.why.chain = nil, nil
}

// Why answers where the value of a register ("r3") or of bytes (as the
// watch field names them) came from at the current position.
func (d *DebugState) Why(text string) {
	defer d.hub.Recover("why")
	d.why.Text, d.why.Err, d.why.chain = strings.TrimSpace(text), "", nil
	if d.why.Text == "" {
		return
	}
	if d.vm == nil || d.why.rec == nil {
		d.why.Err = "step or run the program first: the answer comes from the recorded run"
		return
	}
	q, err := provenance.ParseQuery(d.why.Text, d.runInput())
	if err != nil {
		d.why.Err = err.Error()
		return
	}
	at := d.vm.Executed()
	if !q.End {
		at = min(q.At, at)
	}
	c, err := d.why.rec.Why(at, q.Loc, provenance.Limits{})
	if err != nil {
		d.why.Err = err.Error()
		return
	}
	d.why.chain = c
}

// WhyGo replays the run to just before the instruction of step (its
// Executed() count before it), so that it is the current one.
func (d *DebugState) WhyGo(step string) {
	defer d.hub.Recover("go to the step")
	n, err := strconv.ParseUint(step, 10, 64)
	if err != nil || d.Running || d.vm == nil {
		return
	}
	chain, text := d.why.chain, d.why.Text
	d.replayTo(n, "back to the step", !d.hub.live())
	// The chain stays on show: it explains the value where it was asked.
	d.why.chain, d.why.Text = chain, text
}

// whyView is the answer's box (whyTmpl).
type whyView struct {
	Text, Err, Question string
	Links               []whyLink
	Truncated, Ready    bool
	_                   [0]func()
}

type whyLink struct {
	Indent, Loc, Detail, Kind, Where, Step string
	_                                      [0]func()
}

// WhyHTML draws the question field and the last answer.
func (d *DebugState) WhyHTML() vugu.HTML {
	v := whyView{Text: d.why.Text, Err: d.why.Err, Ready: d.vm != nil}
	if c := d.why.chain; c != nil {
		v.Question = fmt.Sprintf("%s%s after %s:", c.Loc, parenthesis(c.Field), count(c.At, "instruction"))
		v.Truncated = c.Truncated
		for _, l := range c.Links {
			wl := whyLink{Indent: strconv.Itoa(12 * l.Depth), Loc: l.Loc + parenthesis(l.Field), Detail: l.Detail, Kind: string(l.Kind)}
			if l.Step >= 0 && l.PC >= 0 {
				wl.Where = fmt.Sprintf("step %d, %s: %s", l.Step, ebpf.PCRef(l.PC), l.Insn)
				wl.Step = strconv.Itoa(l.Step)
			}
			v.Links = append(v.Links, wl)
		}
	}
	return whyTmpl.render(v)
}

func parenthesis(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

var whyTmpl = newTmpl(`{?Ready}<h3>Where a value came from</h3>
<label class="field">why <input type="text" class="mono" id="why-q" name="why" spellcheck="false" value="{Text}" placeholder="r0, accounts[0].data[44..45], 0x400000060+8" title="a register, or bytes as the watch field names them; click a register's name to ask about it"></label>
{?Err}<div class="err" id="why-err">{Err}</div>{/}
{?Question}<div class="why-chain" id="why-chain"><p class="q">{Question}</p>{*Links}<div class="why-link k-{Kind}" style="margin-left: {Indent}px"><span class="loc">{Loc}</span>: {Detail}{?Where} <button class="link" name="do:why-go:{Step}" title="replay to just before this instruction">[{Where}]</button>{/}</div>{/}
{?Truncated}<p class="note">the chain stops at the query's limits</p>{/}</div>{/}{/}`)

// regWhyName is the control name of a register's "why" button.
func regWhyName(r int) string { return "do:why-reg:r" + strconv.Itoa(r) }
