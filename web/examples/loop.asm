# A long loop: 900 003 instructions. The debugger runs it in slices so the
# page stays responsive; r0 = 0 + 1 + ... + 299999 = 44999850000.
entrypoint:
    mov64 r0, 0
    mov64 r1, 0
loop:
    add64 r0, r1
    add64 r1, 1
    jlt r1, 300000, loop
    exit
