# Counterpart of rbpf v0.2.8's tests/elfs/scratch_registers.so
# (test_bpf_to_bpf_scratch_registers): r6 and r7 must survive the calls to
# echo, which clobbers r1-r5 for log_64 and uses r6 itself.
# With input 01: 1 + 1 + 110 = 112 (0x70) after 41 instructions.
.source scratch_registers.s
echo:
    mov64 r6, r1
    mov64 r1, 0
    mov64 r2, 0
    mov64 r3, 0
    mov64 r4, 0
    mov64 r5, r6
    call log_64
    mov64 r0, r6
    exit
sum:
    mov64 r6, r1
    call echo
    mov64 r7, r0
    mov64 r1, 100
    call echo
    mov64 r1, 10
    call echo
    add64 r6, r7
    add64 r6, 110
    mov64 r0, r6
    exit
entrypoint:
    ldxb r1, [r1]
    call sum
    exit
