// Package rustdemangle demangles Rust symbol names, legacy
// (`_ZN…17h<hash>E`) and v0 (`_R…`): it is the Rust demangler of
// github.com/ianlancetaylor/demangle, vendored without the rest of that
// library.
//
// # Where it comes from
//
// Module github.com/ianlancetaylor/demangle at
// v0.0.0-20260724033716-83e58baca724, the version in rbpfgo's go.mod,
// BSD-3-Clause (LICENSE, copied from the module).
//
//   - rust.go is the module's rust.go with only its package clause changed
//     (`package demangle` → `package rustdemangle`).
//   - demangle.go is what rust.go uses from the module's demangle.go,
//     copied: ErrNotMangledName (its text now says "Rust"), Option with
//     MaxLength and the two options rust.go reads, NoTemplateParams and
//     LLVMStyle (with the module's values, so an Option converts to the
//     module's), demangleErr and isDigit; and ToString cut down to its Rust
//     cases. Where the module's ToString goes on to its C++ demangler (a
//     name that is neither `_R…` nor a `_ZN…` name its legacy Rust parser
//     accepts) this one returns ErrNotMangledName.
//
// # Why
//
// Size. The module's API always links its C++ demangler: in the
// playground's main.wasm the whole module cost 1.26 MB (284 KB gzip),
// this package costs 161 KB (44 KB gzip), measured with `make wasm`
// 2026-12. Solana programs are Rust or C, so symname has no use for C++.
//
// # Updating
//
//  1. Move go.mod to the new version: `go get
//     github.com/ianlancetaylor/demangle@<version>` (the module stays a
//     test dependency of core/symname, whose tests compare with it).
//  2. Copy rust.go and LICENSE from `go list -m -f '{{.Dir}}'
//     github.com/ianlancetaylor/demangle`, make them writable, and change
//     rust.go's package clause to `package rustdemangle`.
//  3. Diff the module's demangle.go against the old version for changes to
//     the parts copied into demangle.go here (ToString's Rust cases,
//     Option, MaxLength, demangleErr) and to anything new rust.go uses;
//     carry them over, keeping option values the module's.
//  4. Update the version above and run `go test ./core/symname/...`:
//     TestVendoredRustGo checks rust.go is the module's, TestAgainstLibrary
//     compares with the module on its own Rust and C++ test names. Fuzz
//     FuzzAgainstLibrary for a few minutes (`make fuzz` or `go test -run
//     '^$' -fuzz FuzzAgainstLibrary ./core/symname`), then `make wasm` to
//     see the size.
package rustdemangle
