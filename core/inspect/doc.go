// Package inspect builds the document `rbpf elf` shows for an ELF file: what
// rbpf v0.2.8's loader sees in it and what it does with it. The CLI prints
// it (as JSON with --json, else with [Document.WriteText]) and the server
// answers POST /api/elf with it. The playground does not build a Document:
// it shows core/elf's loader log itself and takes from here only the names
// of header, section, segment and symbol values ([MachineName] and the
// like), so that the page and `rbpf elf` name them alike.
//
// A [Document] holds the ELF header, the program and section headers, the
// symbol tables and dynamic relocations (core/elf's Info), the loader's
// validation checklist with each check's outcome, the relocation log (every
// change the relocator made to the image, byte for byte), the call map
// (hash -> instruction index, with the function's name), the syscalls the
// file imports, the entrypoint, the read-only sections, and the relocated
// .text disassembled with labels and call names.
//
// Names: the document keeps every symbol name raw, as the file has it (the
// bytes call hashes are computed from). Functions, calls and syscalls carry
// a `demangled` field beside `name` when the name is a mangled Rust or C++
// one; text notes, meant for people, use the demangled form. WriteText
// shows names demangled (see core/symname) except in the relocation log.
//
// A file the loader rejects still gets a Document: the error as rbpf
// displays it ("ELF error: ..."), and the checklist and relocation log up to
// the failing step. Build never fails and never panics on hostile input;
// everything it shows comes from core/elf's bounded parser.
package inspect
