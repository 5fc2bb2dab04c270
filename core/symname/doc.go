// Package symname decides how a function's symbol name is shown to people.
// It is the one place that knows about name mangling: every view that
// displays a function name (the CLI's disassembly, control-flow graph and
// ELF document, the playground's listing, graph, debugger frames and
// symbol tables) asks [Display]; rbpf v0.2.8's own CLI output, which the
// `--rbpf` and profile modes reproduce, asks [Rustc].
//
// Rust programs are full of mangled names. The legacy scheme wraps the path
// in `_ZN…E` with a 16-digit hash as the last element
// (`_ZN14solana_program3log7sol_log17h4d8401486258f67dE`); the v0 scheme
// starts with `_R` (`_RNvCsaljjC7ZTCQu_3log6logger`). [Display] turns both
// into the path people wrote (`solana_program::log::sol_log`,
// `log::logger`), without the hash. Solana programs are Rust or C, so C++
// names (`_Z3fooi`, and `_ZN…E` without a Rust hash) are not demangled. A
// name that is not mangled, is C++'s, or does not demangle, is shown as it
// is.
//
// The raw name stays the data. Hashes (call immediates) are computed from
// the raw bytes, JSON documents keep it in `name` (adding a `demangled`
// field where they list functions), listings that show a demangled label
// give the raw name beside it, and the relocation log and the hashing panel,
// which show the bytes a hash is computed from, keep it.
//
// Demangling uses the Rust demangler of github.com/ianlancetaylor/demangle:
// it is well kept, it is the demangler Go's own tools use (vendored in the
// Go tree for pprof's symbolizer), it handles both Rust schemes in pure Go
// (so the playground runs it in the browser), and it reports failures
// instead of guessing. The library's API always links its C++ demangler
// too, which cost the playground's main.wasm 1.1 MB (240 KB gzip, measured
// 2026-12), so its Rust part is vendored in internal/rustdemangle (which
// says how to update it; 161 KB, 44 KB gzip); symname's tests compare it
// with the whole library, which stays in go.mod for them.
//
// Hostile input: Display, Demangled and Rustc never panic, return names
// longer than [MaxLen] unchanged without parsing them, and show a name raw
// when its demangled form would exceed 16 KiB (v0 back-references can make
// a short name demangle to a very long one).
package symname
