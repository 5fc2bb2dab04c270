// Package elf loads, validates and relocates eBPF programs in ELF shared
// objects exactly as rbpf v0.2.8's loader (src/elf.rs) does, and records
// every step it takes so that relocations can be replayed byte by byte.
//
// # Loading
//
// Load(data) returns a *Program: the relocated .text, its address in the VM
// (MM_PROGRAM_START + sh_addr), the entrypoint's instruction index, the
// read-only sections (.rodata, .data.rel.ro and .eh_frame) and the call map
// from call hashes to instruction indexes. FromText makes a Program of raw
// instruction bytes. LoadWithLog does the same load and also returns a Log:
//
//   - Info: the parsed ELF header, program and section headers, PT_DYNAMIC
//     entries, dynamic and static symbols and dynamic relocations (also
//     available alone from Inspect);
//   - Checks: the checklist of CheckNames in order, each with what was
//     wanted, what the file has and pass, fail or skipped;
//   - Steps: every change to the file image in order (relative-call fixups,
//     R_BPF_64_RELATIVE in .text or in data, R_BPF_64_32 symbol calls, and
//     the step that was rejected), with file offset, instruction index,
//     bytes before and after, addresses, symbol, hash and the key it was
//     computed from, and the call map entry added.
//
// Load and LoadWithLog run the same code; the log never changes the result.
//
// # Errors
//
// Every failure is an *Error whose Kind names rbpf's ElfError variant and
// whose Error() text is rbpf's message (the VM adds "ELF error: "). rbpf
// parsed files with goblin 0.3.0 (scroll 0.10); this package reproduces
// that parser's checks in its order and with its messages, so a malformed
// file fails with the same "Failed to parse ELF file: ..." text. As in
// goblin, the dynamic relocations, dynamic symbols and dynamic string table
// come from the PT_DYNAMIC segment's DT_REL, DT_RELSZ, DT_SYMTAB, DT_STRTAB,
// DT_STRSZ and DT_HASH/DT_GNU_HASH entries, never from section headers;
// ELF32 and big-endian files are parsed before validation rejects them.
//
// # Where this package differs from rbpf
//
// Only where rbpf would crash or take unbounded time:
//
//   - Symbols skips a symbol whose name cannot be read, where rbpf's
//     get_symbols unwraps and panics.
//   - Names are found through an index built once per string table, and only
//     the last PT_DYNAMIC entry of each tag is translated to a file offset,
//     so that a crafted file cannot make a load quadratic in its size;
//     results are the same.
//   - Every size read from the file is checked against the file before
//     anything is allocated for it.
//
// RelocationHashCollision is reported as rbpf does, but cannot happen: the
// hash of an instruction index below 2^32 is a bijection of the index.
package elf
