// Package ebpf describes the instruction set of Solana's eBPF virtual machine
// as rbpf v0.2.8 defines it: the 8-byte instruction layout, every opcode, the
// virtual memory map, the +29 instruction-number offset used in error
// messages, and the murmur3 hash that turns symbol names and instruction
// indexes into `call` immediates.
//
// The package has no dependencies inside the project; the assembler, the ELF
// loader, the virtual machine and the JIT all build on it.
package ebpf
