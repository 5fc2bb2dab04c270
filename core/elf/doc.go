// Package elf loads, validates and relocates eBPF programs in ELF shared
// objects exactly as rbpf v0.2.8's loader does, and records every step it
// takes so that relocations can be replayed byte by byte.
package elf
