// Package ui holds the playground's vugu components and the state they show.
//
// The state (App) is plain Go and knows nothing about the browser: the
// program in wasm/ supplies a Host for the few things only a browser can do
// (the URL fragment, HTTP, the clock, yielding to the event loop). That keeps
// this package buildable and testable natively.
//
// App is a hub: it routes events (Act, ActChange, ListAct, Key, Show) and
// hosts what the features share (the host, goroutines, the error banner,
// the permalink, loading a program). Each feature keeps its behaviour on
// its own state type: DebugState (the debugger and the runs), RelocState
// (the relocation replay), IxForm (the instruction), HashState (call
// hashing), SpeedState (the speed comparison), TourState (the guided tour)
// and listState (the listing's window); what is made from the loaded
// program alone is Loaded's. A feature sees the page through the small hub
// interface App implements, and a feature that drives another holds a
// pointer to that one's state, handed to it by NewApp.
//
// Views that change often are drawn from HTML strings into <rbpf-html>
// regions (htmlregion.go) rather than as vugu nodes. A debugger step
// changes nothing else, so the host carries it out straight from the
// browser's event (Quick) and redraws only the debugger's regions
// (PaintDebug), without a vugu render; a full render follows once the page
// is idle.
//
// Every event handler starts with `defer a.Recover("what")`, or on a
// feature's state `defer d.hub.Recover("what")`: a panic in a WebAssembly
// callback would end the Go program and leave a dead page, so handlers turn
// panics into an error banner instead.
//
// The *_gen.go files are vugugen's output, gofmt'ed (make check verifies that
// regenerating changes nothing).
//
//go:generate go tool vugugen -skip-go-mod -skip-main .
//go:generate gofmt -w .
package ui
