# Counterpart of rbpf v0.2.8's tests/elfs/noop.so (test_load_elf): log a
# string from .rodata (the C fixture logged its __func__, NUL included), log
# five numbers, return 0. 11 instructions.
# The lddw is relocated with R_BPF_64_RELATIVE, both calls with R_BPF_64_32.
.source noop.s
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
