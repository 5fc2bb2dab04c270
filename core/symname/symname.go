package symname

import (
	"strings"

	"github.com/rbpfgo/rbpfgo/core/symname/internal/rustdemangle"
)

// MaxLen is the longest name Display and Rustc try to demangle; longer
// names are returned unchanged. Real Rust symbols stay far below it (deep
// generic instantiations reach a few hundred bytes).
const MaxLen = 4 << 10

// maxOutPow bounds demangled text to 1<<maxOutPow bytes; a name whose
// demangling reaches that length is shown raw rather than cut short.
const maxOutPow = 14

// Display is the name to show for a symbol: Rust legacy and v0 names
// demangled (Rust's legacy hash and any `.llvm.…`-style suffix left out),
// anything else, C++ names included, unchanged.
func Display(name string) string {
	if s, ok := demangled(name); ok {
		return s
	}
	return name
}

// Demangled is Display(name) when that differs from name, else "": the
// value of an optional `demangled` field beside a raw name.
func Demangled(name string) string {
	if s, ok := demangled(name); ok && s != name {
		return s
	}
	return ""
}

// demangled runs the Rust demangler on names that may be Rust's (`_ZN…`,
// `_R…`) and not longer than MaxLen, and reports whether it produced a
// name.
func demangled(name string) (s string, ok bool) {
	if len(name) > MaxLen || !(strings.HasPrefix(name, "_ZN") || strings.HasPrefix(name, "_R")) {
		return "", false
	}
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	out, err := rustdemangle.ToString(name, rustdemangle.MaxLength(maxOutPow))
	if err != nil || out == "" || len(out) >= 1<<maxOutPow {
		return "", false
	}
	return out, true
}
