// Command rbpf is the command-line face of rbpfgo: a superset of the CLI that
// ships with Solana rbpf v0.2.8 (cli/src/main.rs), made scriptable.
//
// Subcommands:
//
//	rbpf run     run a program (assembly, raw instruction bytes or ELF) on the
//	             interpreter, the JIT or both, optionally with a trace,
//	             watchpoints on memory (--watch) or a compute-unit profile
//	             (--cu-profile)
//	rbpf disasm  disassemble a program, with function labels from ELF symbols
//	rbpf asm     assemble source into raw instruction bytes or an ELF file
//	rbpf verify  run rbpf's verifier over a program
//	rbpf hash    the murmur3 call hash of a symbol name or an instruction index
//	rbpf elf     the loader's view of an ELF file: headers, checks, relocations
//	rbpf cfg     the control-flow graph of a program as Graphviz dot
//	rbpf jit     each eBPF instruction with the x86-64 code it compiles to
//	rbpf version the reference version, the build and JIT availability
//
// Every subcommand accepts --help. Exit status 0 is success; 1 is a usage or
// input error, reported as a single line on standard error; 2 means the
// program ran (or was loaded) and failed, with the outcome on standard
// output. Output meant for other programs is available with --json. See
// docs/cli.md for examples and RATIONALE.md for the design decisions.
//
// Everything the command does is reachable in-process through run, which the
// tests drive directly.
package main
