package symname

import (
	"math/bits"
	"strings"
)

// Rustc is the name as rbpf v0.2.8's CLI labels a function: what
// rustc-demangle 0.1's `demangle(name).to_string()` prints. Unlike Display
// it keeps a legacy name's hash as the last path element
// (`solana_program::log::sol_log::h4d8401486258f67d`), keeps a `.suffix`
// (dropping only a ThinLTO `.llvm.<hex>` one), and leaves C++ names alone.
//
// Where it falls short of rustc-demangle, on names no Solana toolchain of
// v0.2.8's time emits: a v0 name reads as Display shows it (rustc-demangle
// also prints each crate's disambiguator, `log[d2e5f1a3b8c7e6f4]::logger`),
// and a `_ZN…E` name whose last element is not a hash as the demangler
// knows one (`h` and 16 lowercase hex digits, at least five of them
// different) stays raw, where rustc-demangle would read it as a Rust path.
func Rustc(name string) string {
	if len(name) > MaxLen {
		return name
	}
	name = stripLLVMSuffix(name)
	switch {
	case strings.HasPrefix(name, "_R"):
		body, suffix := name, ""
		if i := strings.IndexByte(name, '.'); i >= 0 {
			body, suffix = name[:i], name[i:]
		}
		if s, ok := demangled(body); ok && symbolLike(suffix) {
			return s + suffix
		}
	case strings.HasPrefix(name, "_ZN"):
		body, suffix := name, ""
		if i := strings.LastIndex(name, "E."); i >= 0 {
			body, suffix = name[:i+1], name[i+1:]
		}
		if hash, ok := legacyHash(body); ok && symbolLike(suffix) {
			if s, ok := demangled(body); ok {
				return s + "::" + hash + suffix
			}
		}
	}
	return name
}

// legacyHash returns the `h<16 hex digits>` element that ends a legacy
// Rust name (`…17h4d8401486258f67dE`).
func legacyHash(body string) (string, bool) {
	const n = len("17h0123456789abcdefE")
	if len(body) <= len("_ZN")+n || !strings.HasSuffix(body, "E") || body[len(body)-n:len(body)-n+3] != "17h" {
		return "", false
	}
	hash := body[len(body)-n+2 : len(body)-1]
	var seen uint16
	for _, c := range hash[1:] {
		switch {
		case '0' <= c && c <= '9':
			seen |= 1 << (c - '0')
		case 'a' <= c && c <= 'f':
			seen |= 1 << (c - 'a' + 10)
		default:
			return "", false
		}
	}
	// The demangler takes a name for Rust's only with five different
	// digits in its hash (else the library parses it as C++, and
	// rustdemangle rejects it); require the same.
	return hash, bits.OnesCount16(seen) >= 5
}

// stripLLVMSuffix drops the `.llvm.<digits>` ThinLTO adds to renamed
// internal symbols, as rustc-demangle does first of all.
func stripLLVMSuffix(name string) string {
	i := strings.Index(name, ".llvm.")
	if i < 0 {
		return name
	}
	for _, c := range name[i+len(".llvm."):] {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'F' || c == '@') {
			return name
		}
	}
	return name[:i]
}

// symbolLike reports whether a suffix after a mangled name is one
// rustc-demangle keeps (empty, or a '.' followed by printable ASCII);
// with any other suffix it shows the whole name raw.
func symbolLike(suffix string) bool {
	if suffix == "" {
		return true
	}
	if suffix[0] != '.' {
		return false
	}
	for i := 0; i < len(suffix); i++ {
		if suffix[i] <= ' ' || suffix[i] > '~' {
			return false
		}
	}
	return true
}
