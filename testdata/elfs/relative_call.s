# Counterpart of rbpf v0.2.8's tests/elfs/relative_call.so
# (test_relative_call): the entrypoint reads the first input byte, logs, and
# calls `syscall` with a relative call (imm = -15, which the loader turns into
# the hash of the caller's slot, 14). syscall logs and returns its argument + 1.
# With input 01 the result is 2 after 14 instructions. Each function logs
# its own name with the NUL, as the C fixture's log(__func__, sizeof(__func__)).
.source relative_call.s
.rodata syscall_says "syscall\x00"
.rodata entry_says "entrypoint\x00"
syscall:
    mov64 r6, r1
    lddw r1, syscall_says
    mov64 r2, 8
    call log
    add64 r6, 1
    mov64 r0, r6
    exit
entrypoint:
    ldxb r6, [r1]
    lddw r1, entry_says
    mov64 r2, 11
    call log
    mov64 r1, r6
    call syscall
    exit
