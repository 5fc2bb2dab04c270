# Counterpart of rbpf v0.2.8's tests/elfs/multiple_file.so
# (test_bpf_to_bpf_depth, test_err_bpf_to_bpf_too_deep), which was linked
# from two object files: the calls between ping and pong go through
# R_BPF_64_32 relocations against their global symbols, so the loader
# registers them by name hash. The entrypoint counts the input byte down,
# bouncing between ping and pong: n levels deep it returns 0 after 3 + 10n
# instructions (4 for n = 0). The call in pong is slot 26, instruction #55.
.source multiple_file.s
.relocate ping
.relocate pong
.rodata pong_says "pong"
.rodata ping_says "ping"
ping:
    mov64 r6, r1
    lddw r1, ping_says
    mov64 r2, 4
    call log
    mov64 r0, 0
    jeq r6, 0, ping_done
    add64 r6, -1
    mov64 r1, r6
    call pong
ping_done:
    exit
entrypoint:
    mov64 r0, 0
    ldxb r1, [r1]
    jeq r1, 0, entry_done
    add64 r1, -1
    call pong
entry_done:
    exit
pong:
    mov64 r6, r1
    lddw r1, pong_says
    mov64 r2, 4
    call log
    mov64 r0, 0
    jeq r6, 0, pong_done
    add64 r6, -1
    mov64 r1, r6
    call ping
pong_done:
    exit
