# Counterpart of rbpf v0.2.8's tests/elfs/empty_rodata.so
# (test_load_elf_empty_rodata): no .rodata section at all. Logs five numbers
# and returns 0: 8 instructions.
.source empty_rodata.s
entrypoint:
    mov64 r1, 1
    mov64 r2, 2
    mov64 r3, 3
    mov64 r4, 4
    mov64 r5, 5
    call log_64
    mov64 r0, 0
    exit
