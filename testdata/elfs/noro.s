# Counterpart of rbpf v0.2.8's tests/elfs/noro.so (test_load_elf_empty_noro),
# which was linked with tests/elfs/elf.ld: .text at 0xe8 and an empty
# SHT_NOBITS .rodata. Logs five numbers and returns 0: 8 instructions.
.source noro.s
.layout compact
.empty_rodata
entrypoint:
    mov64 r1, 1
    mov64 r2, 2
    mov64 r3, 3
    mov64 r4, 4
    mov64 r5, 5
    call log_64
    mov64 r0, 0
    exit
