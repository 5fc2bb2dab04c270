# counter: adds 1 to the u64 at the start of accounts[0]'s data and logs
# the new value. accounts[0] must be writable, owned by the program (or the
# runtime rejects the change) and hold at least 8 bytes. Offsets are those
# of the aligned input layout (rbpf input counter.json shows them).
.rodata msg "counter incremented"
entrypoint:
    mov64 r6, r1
    ldxdw r2, [r6+0]          # number of accounts
    jeq r2, 0, no_accounts
    ldxb r2, [r6+10]          # accounts[0].is_writable
    jeq r2, 0, read_only
    ldxdw r3, [r6+0x58]       # accounts[0].data_len
    jlt r3, 8, too_small
    ldxdw r7, [r6+0x60]       # accounts[0].data[0..8]: the counter
    add64 r7, 1
    stxdw [r6+0x60], r7
    lddw r1, msg
    mov64 r2, 19
    call sol_log_
    mov64 r1, r7
    mov64 r2, 0
    mov64 r3, 0
    mov64 r4, 0
    mov64 r5, 0
    call sol_log_64_
    mov64 r0, 0
    exit
no_accounts:
    lddw r0, 0xb00000000      # NotEnoughAccountKeys
    exit
read_only:
    lddw r0, 0x400000000      # InvalidAccountData
    exit
too_small:
    lddw r0, 0x500000000      # AccountDataTooSmall
    exit
