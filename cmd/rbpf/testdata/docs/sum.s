# sum: adds up the instruction data bytes, one call of add_byte per byte,
# then log_sum logs the sum with sol_log_ and sol_log_64_. With no
# accounts the input region holds the account count (0) at 0, the data
# length at 8 and the data from 16.
entrypoint:
    mov64 r6, r1
    ldxdw r7, [r6+8]          # data length
    mov64 r8, 0               # index
    mov64 r9, 0               # sum
loop:
    jge r8, r7, done
    mov64 r1, r6
    add64 r1, r8
    ldxb r1, [r1+16]          # data[index]
    mov64 r2, r9
    call add_byte
    mov64 r9, r0
    add64 r8, 1
    ja loop
done:
    mov64 r1, r9
    call log_sum
    mov64 r0, 0
    exit
add_byte:
    mov64 r0, r2
    add64 r0, r1
    exit
log_sum:
    mov64 r6, r1
    mov64 r1, 0x6d7573        # "sum"
    stxw [r10-8], r1
    mov64 r1, r10
    sub64 r1, 8
    mov64 r2, 3
    call sol_log_
    mov64 r1, r6
    mov64 r2, 0
    mov64 r3, 0
    mov64 r4, 0
    mov64 r5, 0
    call sol_log_64_
    exit
