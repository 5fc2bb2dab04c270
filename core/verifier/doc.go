// Package verifier is rbpf v0.2.8's load-time verifier: a single linear
// pass over the instruction bytes that rejects programs the virtual machine
// must never be asked to run (bad length, no trailing exit, unknown opcodes,
// division by an immediate zero, out-of-range shifts, jumps out of the code
// or into the middle of an lddw, writes to r10, bad register numbers).
//
// It does not follow control flow and does not modify the program.
//
// [CheckLoader] is the same pass with the rules of the Solana release that
// ran v0.2.8 (its BPF loader's own bpf_verifier.rs), which reports the
// VM's instruction numbers (index + 29) and differs in a few rules.
//
// # Errors
//
// Check reports failures the way rbpf's `verifier::check` does, as a
// [*UserError] wrapping a [*Error]:
//
//   - (*Error).Error() is the text of rbpf's VerifierError, for example
//     "division by 0 (insn #1)". Instruction numbers here are plain
//     instruction indexes: unlike the VM, the verifier does not add
//     ebpf.ElfInsnDumpOffset.
//   - (*UserError).Error() is the text of rbpf's UserError, which is the
//     constant "VerifierError". This is what rbpf prints for a rejected
//     program once the error has become an EbpfError (EbpfError::UserError
//     displays its inner error, and UserError::VerifierError displays only
//     its name), so the VM can return the value unchanged and still print
//     exactly what rbpf prints. Use errors.As to reach the detailed *Error.
//   - Debug() on either gives rbpf's `{:?}` text, e.g.
//     "VerifierError(DivisionByZero(1))", which is what upstream's tests
//     match against.
package verifier
