// Package elfbuild writes eBPF programs as ELF64 little-endian ET_DYN
// EM_BPF shared objects in the layout of rbpf v0.2.8's test fixtures,
// which were linked by ld.lld (Debian's ld.lld refuses EM_BPF, so this
// project builds its fixtures itself).
//
// The input is plain data (Spec): instruction bytes, the functions they
// define, the call sites and lddw sites to relocate and the read-only data.
// Build decides, as clang and ld.lld did for the fixtures, how each site
// is linked:
//
//   - a call to a function of the program is relative: its imm is the
//     target's slot minus the caller's slot minus one, no relocation
//     (rbpf's loader turns these into hashed calls);
//   - a call to any other name (a syscall) gets imm -1 and an R_BPF_64_32
//     (type 10) relocation against an undefined global dynamic symbol, as
//     does a call to a global function marked Relocate (calls between
//     object files);
//   - every patched call gets src = 1, as clang writes calls;
//   - an lddw of read-only data gets the data's address in its immediates
//     and an R_BPF_64_RELATIVE (type 8) relocation.
//
// Dynamic relocations and symbols are reachable both from the section
// headers and from the PT_DYNAMIC segment (DT_REL, DT_RELSZ, DT_SYMTAB,
// DT_STRTAB, DT_HASH), which is where rbpf's parser looks. Every section's
// address equals its file offset.
//
// FromAssembly builds the Spec from assembly source written for core/asm.
package elfbuild
