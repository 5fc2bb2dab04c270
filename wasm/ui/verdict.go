package ui

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/verifier"
)

// Two verifiers look at a program. rbpf v0.2.8's own (core/verifier's
// Check) runs when asked, as `rbpf run --verify` does. The BPF loader of
// Solana v1.6.9 runs its own copy (bpf_verifier.rs, verifier.CheckLoader)
// when it deploys a program and when it first executes it; a rejection
// fails the instruction with InvalidAccountData. Runtime runs do what the
// loader does, as `rbpf run --instruction` does, unless run anyway
// (--run-anyway).

// verdict is a verifier's judgement of the loaded program, made once.
type verdict struct {
	done bool
	err  error
	pc   int // the instruction it names, -1 when none
}

func (v *verdict) judge(check func() error) (error, int) {
	if !v.done {
		v.done, v.pc = true, -1
		func() {
			defer func() {
				if r := recover(); r != nil {
					v.err = fmt.Errorf("the verifier crashed: %v", r)
				}
			}()
			v.err = check()
		}()
		var ve *verifier.Error
		if errors.As(v.err, &ve) {
			v.err = ve
			if ve.HasPC() {
				v.pc = ve.PC
			}
		}
	}
	return v.err, v.pc
}

// Verdict is rbpf v0.2.8's verifier on the program: its error, nil when it
// accepts the program, and the instruction it names (-1 for none).
func (p *Loaded) Verdict() (err error, pc int) {
	if p == nil || p.Prog == nil {
		return nil, -1
	}
	return p.verdict.judge(func() error { return verifier.Check(p.Prog.Text) })
}

// LoaderVerdict is the Solana v1.6.9 loader's verifier on the program.
func (p *Loaded) LoaderVerdict() (err error, pc int) {
	if p == nil || p.Prog == nil {
		return nil, -1
	}
	return p.loaderVerdict.judge(func() error { return solana.VerifyProgram(p.Prog.Text) })
}

// VerifierRejects reports whether either verifier refuses the program.
func (p *Loaded) VerifierRejects() bool {
	err, _ := p.Verdict()
	lerr, _ := p.LoaderVerdict()
	return err != nil || lerr != nil
}

// VerifierText is rbpf v0.2.8's verdict in a sentence.
func (p *Loaded) VerifierText() string {
	err, _ := p.Verdict()
	if err == nil {
		return "rbpf v0.2.8's verifier accepts this program."
	}
	return "rbpf v0.2.8's verifier rejects this program: " + err.Error() + "."
}

// VerifierPC is the instruction a verifier names, -1 when none: rbpf's
// when it rejects the program, else the loader's.
func (p *Loaded) VerifierPC() int {
	if _, pc := p.Verdict(); pc >= 0 {
		return pc
	}
	_, pc := p.LoaderVerdict()
	return pc
}

// DeployText says what the loader of Solana v1.6.9 makes of the program,
// and what runs here do.
func (d *DebugState) DeployText() string {
	lerr, _ := d.hub.program().LoaderVerdict()
	s := "Solana v1.6.9's BPF loader runs its own copy of the verifier (bpf_verifier.rs) when it deploys a program and when it first executes it"
	if lerr == nil {
		s += ", and accepts this program."
	} else {
		s += ", and rejects this program (" + lerr.Error() + "): it could not have been deployed, and an instruction to it fails with InvalidAccountData, the loader's error in its log."
	}
	switch {
	case d.Runtime() && lerr != nil:
		s += " Runtime runs here do the same, as rbpf run --instruction does; \"run anyway\" executes it regardless (--run-anyway)."
	case d.Runtime():
		s += " Runtime runs here check it the same way."
	default:
		s += " Bare runs skip the loader's check."
	}
	if d.Verify {
		s += " rbpf's own verifier runs before each run (--verify)."
	} else {
		s += " rbpf's own verifier runs only when asked, as rbpf run does without --verify."
	}
	return s
}

// ShowVerifierPC puts the cursor on the instruction a verifier names.
func (d *DebugState) ShowVerifierPC() {
	defer d.hub.Recover("show instruction")
	if pc := d.hub.program().VerifierPC(); pc >= 0 {
		d.Cursor = pc
		d.hub.screen().ScrollTo = fmt.Sprintf("pc-%d", pc)
		d.hub.Show("debug")
	}
}

// VerifierRef names the instruction a verifier names.
func (p *Loaded) VerifierRef() string { return ebpf.PCRef(p.VerifierPC()) }
