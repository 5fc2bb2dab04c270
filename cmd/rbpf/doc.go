// Command rbpf is the command-line face of rbpfgo: a superset of the CLI that
// ships with Solana rbpf v0.2.8 (cli/src/main.rs), made scriptable.
//
// Subcommands:
//
//	rbpf run     run a program (assembly, raw instruction bytes or ELF) on the
//	             interpreter, the JIT or both, optionally with a trace
//	rbpf disasm  disassemble a program, with function labels from ELF symbols
//	rbpf asm     assemble source into raw instruction bytes or an ELF file
//	rbpf verify  run rbpf's verifier over a program
//	rbpf hash    the murmur3 call hash of a symbol name or an instruction index
//	rbpf elf     the loader's view of an ELF file: headers, checks, relocations
//	rbpf cfg     the control-flow graph of a program as Graphviz dot
//	rbpf jit     each eBPF instruction with the x86-64 code it compiles to
//
// Every subcommand accepts --help. Errors are reported as a single line on
// standard error and exit status 1; output meant for other programs is
// available with --json. See docs/cli.md for examples.
//
// Everything the command does is reachable in-process through run, which the
// tests drive directly.
package main
