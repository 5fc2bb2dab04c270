// Package tracefile keeps a run to share: the program's identity (file
// name, size, SHA-256), the run request (runspec.Spec: the instruction
// document or the input, the budget, syscalls and configuration), its
// result document (runspec.Result) and the instruction trace (r0-r10 and
// the pc before every executed instruction, vm.TraceEntry), in one
// compact file that reopens without running the program again.
//
// [New] makes a [File] from a finished run ([Run]); [File.WriteTo] writes
// it and [Decode] reads it back. A decoded File steps like the run did:
// [File.Len], [File.Entry] (random access), [File.Cursor] (in order), and
// [File.CheckProgram] tells whether a program file is the one the trace
// was recorded on. [Compare] finds where two traces part (interpreter
// against JIT, or one program on two inputs): the first step whose pc or
// registers differ, or that one is a prefix of the other, together with
// how the two results and the two run requests differ.
//
// # Format (version 1)
//
// The file is the 8-byte magic "RBPFTRC" 0x01 followed by a gzip stream
// (RFC 1952: its CRC-32 and length catch a damaged file). Decompressed, it
// holds a uvarint length, the JSON [Header] of that length, then one
// record per step. A record starts with the uvarint tag m<<1 | p, where
// bit k of m (k = 0..10) says register rk changed since the previous step
// and p says the pc is not the previous pc plus one; then, if p, the
// zigzag varint of pc - (previous pc + 1); then for each changed register
// in ascending order the zigzag varint of the wrapping difference new -
// old. The step before the first is all zeros with the pc one before 0.
// Most instructions change one register and fall through, so a step
// usually takes two or three bytes before compression.
//
// The program itself is kept in the file when it is assembly or raw
// instruction bytes (small, and needed to show the trace); an ELF file is
// named by its SHA-256 only, as testdata/realprograms names real programs.
//
// # Hostile input
//
// A dropped trace file is untrusted. [Decode] bounds the decompressed
// size and the step count ([Limits]) before it holds them, reads the
// header with runspec's and core/solana's own checks, decodes every
// record once (so that a File, once decoded, cannot fail to step), and
// never panics; FuzzDecode holds it to that.
//
// The format is documented for the page, which calls [Decode] on a
// dropped file, steps with [File.Entry], and checks a dropped program
// with [File.CheckProgram]; docs/cli.md (rbpf trace) shows the CLI side.
package tracefile
