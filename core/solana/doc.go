// Package solana is the program runtime around the VM, as the Solana
// release that shipped rbpf v0.2.8 (v1.6.9) runs a BPF program's
// entrypoint for one instruction:
//
//   - Instruction is the instruction as data (program id, loader,
//     accounts, instruction data, sysvar values, budget, features), read
//     from the JSON document the CLI, the API and the playground share by
//     Parse, which names a bad field by its JSON path;
//   - Serialize lays the accounts and data out in the input region as
//     programs/bpf_loader/src/serialization.rs does (aligned for
//     BPFLoader2, unaligned for the deprecated loader), with a Field for
//     every byte range (Input.FieldRange resolves a name such as
//     "accounts[0].data[0..8]" to a range, Input.RangeName names one);
//     Input.Deserialize reads them back;
//   - Registry and the session's syscalls are the loader's sol_* syscalls
//     with their compute costs and errors (SyscallError), charged to the
//     instruction meter, which is the compute meter here as it was there;
//   - Invocation, Run and Outcome do what the loader and the message
//     processor do around execution: the heap, the budget, the log in the
//     runtime's format, r0 or the VM's error as an InstructionError, and
//     the checks of every account's change (verify.go).
//
// What needs a bank is not invented: sysvars the document leaves out have
// their default values and the outcome says so, and a cross-program
// invocation is translated and checked, then stops the run with the
// request (CPIRequest). RATIONALE.md says which sources the behaviour
// comes from and where rbpfgo differs.
package solana
