package symname

import "testing"

// BenchmarkDisplay measures a typical legacy Rust name, the kind a symbol
// table of a real program holds by the thousand.
func BenchmarkDisplay(b *testing.B) {
	const name = "_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h7d592cf20fbd3ec4E"
	for b.Loop() {
		Display(name)
	}
}

// BenchmarkDisplayPlain measures a name that is not mangled.
func BenchmarkDisplayPlain(b *testing.B) {
	for b.Loop() {
		Display("entrypoint")
	}
}
