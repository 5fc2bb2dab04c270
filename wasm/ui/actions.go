package ui

import (
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
	if a.formClick(verb, arg) {
		return
	}
	switch verb {
	case "mode":
		a.SetMode(arg)
	case "run":
		a.RunInstruction()
	case "carry":
		a.CarryAccounts()
	case "debug":
		a.DebugInstruction()
	case "stop":
		a.DebugStop()
	case "anyway":
		a.RunAnyway()
	case "show-verifier":
		a.ShowVerifierPC()
	case "show":
		a.Show(arg)
	case "reset":
		a.DebugReset()
	case "back":
		a.DebugBack()
	case "step":
		a.DebugStep()
	case "over":
		a.DebugStepOver()
	case "cursor":
		a.DebugRunToCursor()
	case "drun":
		a.DebugRun()
	case "region":
		a.SetMemRegion(arg)
	case "mem":
		if arg == "prev" {
			a.MemPage(-1)
		} else {
			a.MemPage(1)
		}
	}
}

// ActChange takes the change of an input, checkbox or list.
func (a *App) ActChange(name, value string, checked bool, kind string) {
	defer a.Recover("change " + name)
	switch name {
	case "verify":
		a.SetVerify(checked)
	case "input":
		a.SetInput(value)
	case "budget":
		a.SetBudget(value)
	case "mem-field":
		a.GoToField(value)
	default:
		a.formChange(name, value, checked, kind)
	}
}
