# Calls between functions of one file are relative: the linker writes
# "target - pc - 1" into the call's immediate, and the loader replaces it
# with the hash of the target's instruction index.
entrypoint:
    mov64 r1, 2
    call double        # r0 = 4
    mov64 r1, r0
    call add_three     # r0 = 7
    exit

double:
    mov64 r0, r1
    lsh64 r0, 1
    exit

add_three:
    mov64 r0, r1
    add64 r0, 3
    exit
