# Counterpart of rbpf v0.2.8's tests/elfs/unresolved_syscall.so: the same
# program as noop.s. Its tests register only `log`, so the `call log_64` at
# slot 9 (file offset 0x1048, reported as instruction #550) is unresolved;
# test_custom_entrypoint moves e_entry to 0x1050 (slot 10) to skip it.
.source unresolved_syscall.s
.rodata banner "entrypoint\x00"
entrypoint:
    lddw r1, banner
    mov64 r2, 11
    call log
    mov64 r1, 1
    mov64 r2, 2
    mov64 r3, 3
    mov64 r4, 4
    mov64 r5, 5
    call log_64
    mov64 r0, 0
    exit
