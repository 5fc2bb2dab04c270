// Package ebpf describes the instruction set of Solana's eBPF virtual machine
// as rbpf v0.2.8 defines it: the 8-byte instruction layout, every opcode and
// what it means, the virtual memory map, the +29 instruction-number offset
// used in error messages, and the murmur3 hash that turns symbol names and
// instruction indexes into `call` immediates.
//
// The package has no dependencies inside the project; the assembler, the ELF
// loader, the verifier, the virtual machine and the JIT all build on it.
//
// # Opcodes
//
// An [OpCode] is an instruction's first byte; its methods read the bit
// fields (Class, Operation, IsReg, AccessSize, ...). What each opcode means
// is written once, in the table of table.go: the mnemonic rbpf's
// disassembler prints, the operand [Form] (which also gives the registers
// it indexes, [RegUse]) and whether v0.2.8 executes it. Everything else is
// built from that table:
//
//   - [StaticFailure], the one ordered classifier of the failures an
//     instruction has before it runs (unsupported opcode, bad register,
//     bad byte-swap width, truncated lddw, division by an immediate zero),
//     in the order rbpf v0.2.8 checks them. The interpreter's decoder
//     (core/vm) and the JIT's classifier (core/jit) both use it.
//   - the verifier's rules (core/verifier), which read the opcode's form and
//     fields;
//   - the assembler's mnemonics and the disassembler's descriptions
//     (core/asm);
//   - [OpCode.IsJump] and [JumpTarget], which every tool that follows jumps
//     uses (the control-flow graph, listings, the playground).
//
// # Adding an opcode
//
// Name it in opcodes.go and give it a row in table.go. If its operands fit
// none of the forms, add a Form to form.go with its register use, and a
// case for it in core/asm (encode.go to assemble it, describe.go and
// source.go to print it). If the verifier has a rule for it beyond the
// register checks, add it to ruleOf in core/verifier. Then give it one case
// in each executor: the interpreter (a dispatch code in core/vm/dispatch.go
// and its case in exec, core/vm/interp.go) and the JIT (its emitter,
// reached from emitInsn in core/jit/emit_alu.go). The decoder, the JIT's
// static checks, the verifier's opcode set, the assembler and the
// disassembler need no other change.
package ebpf
