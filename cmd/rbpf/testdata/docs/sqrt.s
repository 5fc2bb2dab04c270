    ldxdw r1, [r1]
    call 7
    exit
