package main

import (
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/profile"
	"github.com/rbpfgo/rbpfgo/core/provenance"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// whySynopsis completes rbpf run's synopsis.
const whySynopsis = " [--why LOC[@STEP] ...]"

// why is `run --why`: the interpreter's run recorded by core/provenance
// and asked where each LOC's value came from once it has run.
type why struct {
	texts   []string
	queries []provenance.Query
	rec     *provenance.Recorder
}

// check rejects what --why cannot do with the other flags.
func (w *why) check(engs []vm.Engine, sequence, rbpf bool) error {
	switch {
	case sequence:
		return fmt.Errorf("--why records one program run, not a sequence of instructions")
	case rbpf:
		return fmt.Errorf("--rbpf prints what rbpf's CLI prints; it has no --why")
	}
	for _, e := range engs {
		if runspec.EngineName(e) == "interp" {
			return nil
		}
	}
	return fmt.Errorf("--why records the interpreter's run: use --engine interp or both")
}

// parse reads the queries against the built run's input fields.
func (w *why) parse(b *runspec.Built) error {
	var in *solana.Input
	if b.Invocation != nil {
		in = b.Invocation.Input
	}
	w.queries = w.queries[:0]
	for _, t := range w.texts {
		q, err := provenance.ParseQuery(t, in)
		if err != nil {
			return fmt.Errorf("--why: %v", err)
		}
		w.queries = append(w.queries, q)
	}
	return nil
}

// execute runs one engine's run. The interpreter's is stepped through
// the recorders --cu-profile and --why ask for (the profile's underneath,
// so that both see every instruction); other engines just run.
func (f *runFlags) execute(e vm.Engine, b *runspec.Built, p runspec.Prepared, stderr io.Writer) vm.Result {
	if runspec.EngineName(e) != "interp" || (f.cu == nil && f.why == nil) {
		return e.Run(b.Exe, p.Options)
	}
	m, err := vm.New(b.Exe, p.Options)
	if err != nil {
		return vm.Result{Err: err}
	}
	step := m.Step
	var prof *profile.Recorder
	if f.cu != nil {
		if prof, err = profile.NewRecorder(m, f.cu.graphOf(b.Exe)); err != nil {
			fmt.Fprintf(stderr, "rbpf run: note: no compute-unit profile: %v\n", err)
		} else {
			step = prof.Step
		}
	}
	if f.why != nil {
		var in *solana.Input
		if b.Invocation != nil {
			in = b.Invocation.Input
		}
		if f.why.rec, err = provenance.NewRecorder(m, provenance.Options{Step: step, Input: in}); err != nil {
			fmt.Fprintf(stderr, "rbpf run: note: no --why: %v\n", err)
		} else {
			step = f.why.rec.Step
		}
	}
	for !m.Done() {
		n := step(1 << 16)
		if _, hit := m.WatchHit(); hit && p.Options.WatchStop {
			m.Run() // ends the run at the hit, as a single Run does
		} else if n == 0 && !m.Done() {
			break
		}
	}
	if prof != nil {
		f.cu.result = prof.Profile()
	}
	if f.why != nil && f.why.rec != nil {
		f.why.rec.Close()
	}
	return m.Result()
}

// print answers the queries about the recorded run: each chain as text,
// or one JSON line {"engine", "why": [chains]}. A query the recording
// cannot answer (a step past its end) is an error.
func (w *why) print(out io.Writer, engine string, asJSON bool) error {
	if w == nil || w.rec == nil {
		return nil
	}
	chains := make([]*provenance.Chain, 0, len(w.queries))
	for i, q := range w.queries {
		c, err := w.rec.Ask(q, provenance.Limits{})
		if err != nil {
			return fmt.Errorf("--why %s: %v", w.texts[i], err)
		}
		chains = append(chains, c)
	}
	if asJSON {
		return writeJSON(out, struct {
			Engine string              `json:"engine"`
			Why    []*provenance.Chain `json:"why"`
		}{engine, chains})
	}
	for _, c := range chains {
		fmt.Fprintf(out, "%s: why %s", engine, c.Text())
	}
	return nil
}
