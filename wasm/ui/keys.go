package ui

import "strings"

// debugKeys binds keys to the debugger's buttons while the debugger is
// shown. The host passes every key press that is not typed into a field
// and has no Ctrl, Alt or Meta.
var debugKeys = []struct {
	key, label string
	do         func(*DebugState)
}{
	{"s", "step", (*DebugState).Step},
	{"b", "back", (*DebugState).Back},
	{"p", "previous watch hit", (*DebugState).PrevHit},
	{"o", "step over", (*DebugState).StepOver},
	{"c", "run to cursor", (*DebugState).RunToCursor},
	{"r", "run", (*DebugState).Run},
	{"Escape", "stop", (*DebugState).Stop},
}

// WantsKey reports whether Key would act on key. It changes nothing, so
// the host can call it inside the browser's event callback to decide
// whether to cancel the key's default action.
func (a *App) WantsKey(key string) bool { return a.keyAction(key) != nil }

// Key runs the debugger command bound to key, when WantsKey(key).
func (a *App) Key(key string) {
	if do := a.keyAction(key); do != nil {
		do()
	}
}

// listKeys move the listing's cursor wherever a listing is shown (the
// machine-code view follows it).
var listKeys = []struct {
	key   string
	delta int
}{{"j", 1}, {"k", -1}}

// keyAction is the command key runs now: nil outside the debugger, without
// a loaded program, or for a key with no binding.
func (a *App) keyAction(key string) func() {
	if a.Prog == nil || a.Prog.Prog == nil {
		return nil
	}
	for _, k := range listKeys {
		if k.key == key && listingView(a.View) {
			return func() { a.List.MoveCursor(k.delta) }
		}
	}
	if a.View != "debug" {
		return nil
	}
	for _, k := range debugKeys {
		if k.key == key {
			return func() { k.do(&a.Debug) }
		}
	}
	return nil
}

// keysHint lists the debugger's keys for the panel.
func keysHint() string {
	parts := make([]string, len(debugKeys))
	for i, k := range debugKeys {
		name := k.key
		if name == "Escape" {
			name = "Esc"
		}
		parts[i] = name + " " + k.label
	}
	return "Keys: " + strings.Join(parts, " · ") + " · j/k move the cursor"
}
