# sum 1..3 in r0
    mov r1, 0
    mov r0, 0
top:
    add r0, 1
    add r1, 1
    jlt r1, 3, top
    exit
