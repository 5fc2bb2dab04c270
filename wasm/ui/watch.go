package ui

import (
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// The debugger's watchpoints. The watch field takes the CLI's --watch
// forms (runspec.ParseWatch), separated by commas: 0xADDR+LEN,
// 0xSTART-0xEND or, in a runtime run, input bytes by name
// ("accounts[0].data[0..8]"), each with :r, :w (the default) or :rw. A
// run (run, run to cursor, step over) stops after an instruction that
// touches a watched range, and "previous hit" goes back to just before
// the latest hit before the current position: the instruction that is
// about to make it.

// maxPageHits bounds the hits the debugger keeps of a run: the latest.
const maxPageHits = 4096

// pageWatch is the debugger's watchpoints and what they caught this run.
type pageWatch struct {
	Text string // the watch field as typed
	Err  string // why Text was refused
	list []vm.Watch
	hits []vm.WatchHit // this run's hits so far, oldest first
	now  bool          // the instruction stepped last hit a watch
}

// SetWatch arms the watchpoints the watch field names, on the current
// run from its next instruction and on every run after it.
func (d *DebugState) SetWatch(text string) {
	defer d.hub.Recover("watch")
	d.W.Text, d.W.Err = strings.TrimSpace(text), ""
	var list []vm.Watch
	if d.W.Text != "" {
		in := d.runInput()
		for _, t := range strings.Split(d.W.Text, ",") {
			w, err := runspec.ParseWatch(strings.TrimSpace(t), in)
			if err != nil {
				d.W.Err = err.Error()
				return
			}
			list = append(list, w)
		}
	}
	d.W.list = list
	if d.vm != nil {
		if err := d.vm.SetWatches(list); err != nil {
			d.W.Err = err.Error()
		}
	}
}

// runInput is the serialized input of a runtime run, which names the
// input's bytes; nil for a bare run or when the run cannot be built.
func (d *DebugState) runInput() *solana.Input {
	p := d.hub.program()
	if p == nil || p.Prog == nil || !d.Runtime() {
		return nil
	}
	b, err := d.build(p)
	if err != nil || b == nil || b.Invocation == nil {
		return nil
	}
	return b.Invocation.Input
}

// armWatches puts the watchpoints on a newly made VM.
func (d *DebugState) armWatches(m *vm.VM) {
	d.W.hits, d.W.now = nil, false
	if len(d.W.list) > 0 {
		if err := m.SetWatches(d.W.list); err != nil {
			d.W.Err = err.Error()
		}
	}
}

// noteHit keeps the hit of the instruction just stepped, if it made one.
func (d *DebugState) noteHit() {
	h, ok := d.vm.WatchHit()
	if d.W.now = ok; !ok {
		return
	}
	if len(d.W.hits) == maxPageHits {
		d.W.hits = append(d.W.hits[:0], d.W.hits[1:]...)
	}
	d.W.hits = append(d.W.hits, h)
}

// hitLine describes h as the CLI does, naming the input bytes it touched.
func (d *DebugState) hitLine(h vm.WatchHit) string {
	var in *solana.Input
	if d.built != nil && d.built.Invocation != nil {
		in = d.built.Invocation.Input
	}
	return runspec.HitDocument(h, in).Line()
}

// lastHitLine describes the hit of the instruction stepped last, "" when
// it made none.
func (d *DebugState) lastHitLine() string {
	if !d.W.now || len(d.W.hits) == 0 {
		return ""
	}
	return d.hitLine(d.W.hits[len(d.W.hits)-1])
}

// WatchInfo says what the watchpoints caught so far.
func (d *DebugState) WatchInfo() string {
	switch n := len(d.W.hits); {
	case len(d.W.list) == 0:
		return ""
	case n == 0:
		return "no hits yet"
	default:
		return count(uint64(n), "hit") + " so far; the last: " + d.hitLine(d.W.hits[n-1])
	}
}

// PrevHit goes back to just before the latest watch hit before the
// current position, replaying the run as a step back does.
func (d *DebugState) PrevHit() {
	defer d.hub.Recover("previous watch hit")
	if d.Running || d.vm == nil {
		return
	}
	cur := d.vm.Executed()
	for i := len(d.W.hits) - 1; i >= 0; i-- {
		if h := d.W.hits[i]; h.Executed-1 < cur {
			d.replayTo(h.Executed-1, "back to the watch hit", !d.hub.live())
			return
		}
	}
	if len(d.W.list) == 0 {
		d.Status = "no watchpoints: name a range in the watch field"
	} else {
		d.Status = "no watch hit before this point"
	}
}
