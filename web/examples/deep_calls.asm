# A recursive function 15 calls deep: every call takes a new stack frame
# and saves r6-r9. r0 = 15 + 14 + ... + 1 = 120.
entrypoint:
    mov64 r1, 15
    call down
    exit

down:
    mov64 r0, 0
    jeq r1, 0, done
    mov64 r6, r1
    sub64 r1, 1
    call down
    add64 r0, r6
done:
    exit
