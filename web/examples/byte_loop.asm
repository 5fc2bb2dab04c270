# A byte load/store loop: 800 005 instructions. Each round reads a byte of
# a 1 KiB buffer on the stack, adds one and writes it back; the Speed view
# times it on every engine. r0 = the last byte, written 97 times.
entrypoint:
    mov64 r6, 100000
    mov64 r7, r10
    sub64 r7, 1024
loop:
    mov64 r2, r6
    and64 r2, 1023
    add64 r2, r7
    ldxb r4, [r2+0]
    add64 r4, 1
    stxb [r2+0], r4
    sub64 r6, 1
    jne r6, 0, loop
    ldxb r0, [r10-1]
    exit
