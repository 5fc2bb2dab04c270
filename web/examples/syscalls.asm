# Syscalls are calls to names the program does not define. The linker
# leaves imm = -1 and an R_BPF_64_32 relocation; the loader writes the
# name's hash. The strings live in .rodata: each lddw gets an
# R_BPF_64_RELATIVE relocation that moves its address into the program region.
.rodata hello "Hello from rbpf in the browser!"
.rodata bye "Goodbye."
entrypoint:
    lddw r1, hello
    mov64 r2, 31
    call log
    lddw r1, bye
    mov64 r2, 8
    call log
    mov64 r1, 1
    mov64 r2, 2
    mov64 r3, 3
    mov64 r4, 4
    mov64 r5, 5
    call log_64
    mov64 r0, 0
    exit
