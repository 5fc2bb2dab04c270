package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// watchSynopsis completes rbpf run's synopsis.
const watchSynopsis = " [--watch RANGE[:r|w|rw] ... [--watch-stop]]"

// arm resolves the --watch flags for a built run (field names against its
// input) and arms them.
func (f *runFlags) arm(b *runspec.Built) error {
	if len(f.watches) == 0 {
		if *f.watchStop {
			return fmt.Errorf("--watch-stop needs --watch")
		}
		return nil
	}
	if *f.rbpf {
		return fmt.Errorf("--rbpf prints what rbpf's CLI prints; it has no --watch")
	}
	var in *solana.Input
	if b.Invocation != nil {
		in = b.Invocation.Input
	}
	b.Watches = b.Watches[:0]
	for _, text := range f.watches {
		w, err := runspec.ParseWatch(text, in)
		if err != nil {
			return fmt.Errorf("--watch: %v", err)
		}
		b.Watches = append(b.Watches, w)
	}
	b.WatchStop = *f.watchStop
	return nil
}

// printWatchHits prints an engine's watch hits, one a line, and where a
// --watch-stop stopped, the registers; the JSON document has them already.
func printWatchHits(w io.Writer, r runspec.Result, asJSON bool) {
	if asJSON {
		return
	}
	for _, h := range r.WatchHits {
		fmt.Fprintf(w, "%s: %s\n", r.Engine, h.Line())
	}
	if r.WatchHitsDropped > 0 {
		fmt.Fprintf(w, "%s: %d more watch hits not shown\n", r.Engine, r.WatchHitsDropped)
	}
	if r.WatchStopped && len(r.WatchHits) > 0 {
		h := r.WatchHits[len(r.WatchHits)-1]
		var regs []string
		for i, v := range h.Regs {
			regs = append(regs, fmt.Sprintf("r%d=%#x", i, v))
		}
		fmt.Fprintf(w, "%s: stopped after pc %d, registers: %s\n", r.Engine, h.PC, strings.Join(regs, " "))
	}
}
