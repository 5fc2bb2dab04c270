# Counterpart of rbpf v0.2.8's tests/elfs/multiple_file.so
# (test_bpf_to_bpf_depth, test_err_bpf_to_bpf_too_deep), which was linked
# from two object files: the calls between entrypoint_syscall_function and
# syscall_function go through R_BPF_64_32 relocations against their global
# symbols, so the loader registers them by name hash. The entrypoint counts
# the input byte down, bouncing between the two functions, which log their
# names (NUL included, like the C fixture's __func__): n levels deep it
# returns 0 after 3 + 10n instructions (4 for n = 0). The call in
# syscall_function is slot 26, reported as instruction #55.
.source multiple_file.s
.relocate entrypoint_syscall_function
.relocate syscall_function
.rodata sf_name "syscall_function\x00"
.rodata esf_name "entrypoint_syscall_function\x00"
entrypoint_syscall_function:
    mov64 r6, r1
    lddw r1, esf_name
    mov64 r2, 28
    call log
    mov64 r0, 0
    jeq r6, 0, entrypoint_syscall_function_done
    add64 r6, -1
    mov64 r1, r6
    call syscall_function
entrypoint_syscall_function_done:
    exit
entrypoint:
    mov64 r0, 0
    ldxb r1, [r1]
    jeq r1, 0, entry_done
    add64 r1, -1
    call syscall_function
entry_done:
    exit
syscall_function:
    mov64 r6, r1
    lddw r1, sf_name
    mov64 r2, 17
    call log
    mov64 r0, 0
    jeq r6, 0, syscall_function_done
    add64 r6, -1
    mov64 r1, r6
    call entrypoint_syscall_function
syscall_function_done:
    exit
