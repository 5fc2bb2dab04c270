# Counterpart of rbpf v0.2.8's tests/elfs/pass_stack_reference.so
# (test_bpf_to_bpf_pass_stack_reference): each function passes a pointer
# into its own stack frame to the next; the innermost stores 42 there and
# each level copies the value into its caller's frame. All calls are
# relative. Returns 42 (0x2a) after 29 instructions.
.source pass_stack_reference.s
store:
    mov64 r2, 42
    stxdw [r1], r2
    exit
level3:
    mov64 r6, r1
    mov64 r1, r10
    add64 r1, -1024
    call store
    ldxdw r1, [r10-1024]
    stxdw [r6], r1
    exit
level2:
    mov64 r6, r1
    mov64 r1, r10
    add64 r1, -1024
    call level3
    ldxdw r1, [r10-1024]
    stxdw [r6], r1
    exit
level1:
    mov64 r6, r1
    mov64 r1, r10
    add64 r1, -1024
    call level2
    ldxdw r1, [r10-1024]
    stxdw [r6], r1
    exit
entrypoint:
    mov64 r1, r10
    add64 r1, -1024
    call level1
    ldxdw r0, [r10-1024]
    exit
