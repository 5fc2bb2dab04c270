// Package asm assembles and disassembles eBPF programs in the text syntax of
// rbpf v0.2.8 (src/asm_parser.rs, src/assembler.rs, src/disassembler.rs).
//
// # Assembling
//
// Assemble accepts every program rbpf v0.2.8's `assemble` accepts and produces
// the same bytes. A program is a sequence of instructions, each a mnemonic
// followed by comma-separated operands: registers (`r0`..`r15`), integers
// (`42`, `-7`, `+0x1f`) and memory references (`[r1+12]`, `[r3-0x1f]`).
// Whitespace separates instructions; newlines are not required. Where v0.2.8
// rejects a program, Assemble rejects it too and the error's Msg field holds
// v0.2.8's text (see Error), including the wording of its parser library's
// syntax errors ("unexpected '^', expected letter or digit, ...").
//
// On top of that syntax Assemble understands a few things people need when
// writing programs by hand. None of them changes the meaning of a program
// v0.2.8 accepts, because v0.2.8 rejects every text that uses them:
//
//   - Comments: `#`, `;` and `//` start a comment that runs to the end of the
//     line.
//   - Labels: `name:` at the start of a line (or before an instruction on the
//     same line) names the instruction slot that follows. A name is a letter,
//     `_` or `.` followed by letters, digits, `_` and `.`; it must not look
//     like a register (`r7`).
//   - Jump targets: `ja name` and `jeq r1, 0, name` (any conditional jump)
//     jump to a label; the assembler computes the offset.
//   - Named calls: `call name` emits `call` with imm = ebpf.HashSymbolName(name),
//     the immediate rbpf's ELF loader writes for a call relocated against the
//     symbol `name`. The name may be a label of this program (a local
//     function) or an external syscall such as `sol_log_`.
//   - Data references: `lddw r1, name` emits an lddw whose constant is left 0
//     for an ELF relocation to fill in. Only AssembleProgram accepts it, and it
//     reports the site in Program.Loads.
//
// The operand written with a name must be on the same line as its mnemonic.
//
// # Disassembling
//
// DisassembleInsns is rbpf's `to_insn_vec`: one Line per instruction with
// the mnemonic and the exact description text rbpf prints (the tracer uses
// it). Disassemble is the text rbpf's `disassemble` writes to standard output.
// Listing adds raw bytes, labels and named call targets for people to read.
//
// Where v0.2.8 would panic (a program whose last slot is an lddw, a length
// that is not a multiple of 8) these functions return text instead; their doc
// comments say what.
package asm
