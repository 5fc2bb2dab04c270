package examples

import (
	"embed"
)

//go:embed *.asm
var sources embed.FS

// Example is one built-in program.
type Example struct {
	ID, Title, Blurb string
	// Reject is set for the example that shows a rejected file: after
	// building, the playground adds a relocation of an unknown type.
	Reject bool
}

// List is the examples in the order the page offers them.
var List = []Example{
	{ID: "noop", Title: "No-op", Blurb: "two instructions, no relocations"},
	{ID: "relative_calls", Title: "Relative calls", Blurb: "local functions: relative calls become hashes"},
	{ID: "syscalls", Title: "Syscalls and strings", Blurb: "log and log_64 with .rodata strings"},
	{ID: "deep_calls", Title: "Deep call chain", Blurb: "recursion 15 frames deep"},
	{ID: "loop", Title: "Long loop", Blurb: "900 003 instructions, run in slices"},
	{ID: "byte_loop", Title: "Byte loop", Blurb: "800 005 instructions of byte loads and stores"},
	{ID: "unresolved", Title: "Unresolved symbol", Blurb: "loads, then fails at the call"},
	{ID: "rejected", Title: "Rejected file", Blurb: "two good relocations, then one of unknown type", Reject: true},
}

// Source returns the assembly of example id. The rejected example is the
// relative-calls program, made invalid after building.
func Source(id string) (string, bool) {
	if id == "rejected" {
		id = "relative_calls"
	}
	b, err := sources.ReadFile(id + ".asm")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// Find returns the example with id.
func Find(id string) (Example, bool) {
	for _, e := range List {
		if e.ID == id {
			return e, true
		}
	}
	return Example{}, false
}
