package ui

import (
	"strconv"
	"strings"
)

// Views drawn as HTML strings (vg-html) take their clicks and changes in
// one handler on their container: a control's name says what it does, a
// field path for inputs ("accounts.0.pubkey") and "do:VERB[:ARG]" for
// buttons. A template element costs the page about 2 KB of WebAssembly;
// a string of HTML costs nothing per element, and the page then sets one
// innerHTML instead of comparing every element on every render.

// Act runs the command of the clicked control, if it has one.
func (a *App) Act(name string) {
	defer a.Recover("action " + name)
	cmd, ok := strings.CutPrefix(name, "do:")
	if !ok {
		return
	}
	verb, arg, _ := strings.Cut(cmd, ":")
	if a.Ix.click(verb, arg) || a.Debug.Prof.click(verb, arg) || a.Trace.click(verb, arg) {
		return
	}
	switch verb {
	case "mode":
		a.Debug.SetMode(arg)
	case "run":
		a.Debug.RunInstruction()
	case "carry":
		a.Ix.CarryAccounts()
	case "debug":
		a.Debug.FromEntrypoint()
	case "stop":
		a.Debug.Stop()
	case "anyway":
		a.Debug.RunAnyway()
	case "show-verifier":
		a.Debug.ShowVerifierPC()
	case "show":
		a.Show(arg)
	case "insn":
		if pc, err := strconv.Atoi(arg); err == nil {
			a.List.ShowInsn(pc)
		}
	case "speed-run":
		a.Speed.Compare()
	case "tour":
		a.Tour.Start()
	case "example":
		a.OpenExample(arg)
	case "download-elf":
		a.DownloadELF()
	case "reset":
		a.Debug.Reset()
	case "prev-hit":
		a.Debug.PrevHit()
	case "why-reg":
		a.Debug.Why(arg)
	case "why-go":
		a.Debug.WhyGo(arg)
	case "save-trace":
		a.Debug.SaveTrace()
	case "export-case":
		a.Debug.ExportCase()
	case "compare-tiers":
		a.Debug.CompareTiers()
	case "back":
		a.Debug.Back()
	case "step":
		a.Debug.Step()
	case "over":
		a.Debug.StepOver()
	case "cursor":
		a.Debug.RunToCursor()
	case "drun":
		a.Debug.Run()
	case "region":
		a.Debug.SetMemRegion(arg)
	case "mem":
		if arg == "prev" {
			a.Debug.MemPage(-1)
		} else {
			a.Debug.MemPage(1)
		}
	}
}

// ActChange takes the change of an input, checkbox or list.
func (a *App) ActChange(name, value string, checked bool, kind string) {
	defer a.Recover("change " + name)
	switch name {
	case "verify":
		a.Debug.SetVerify(checked)
	case "input":
		a.Debug.SetInput(value)
	case "budget":
		a.Debug.SetBudget(value)
	case "watch":
		a.Debug.SetWatch(value)
	case "why":
		a.Debug.Why(value)
	case "tr-step":
		if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil {
			a.Trace.Go(n)
		}
	case "mem-field":
		a.Debug.GoToField(value)
	default:
		a.Ix.change(name, value, checked, kind)
	}
}
