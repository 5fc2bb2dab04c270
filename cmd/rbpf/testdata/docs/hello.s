# log "hi" with the default log syscall, then return 7
    mov r1, 0x6968
    stxh [r10-8], r1
    mov r1, r10
    sub r1, 8
    mov r2, 2
    call log
    mov r0, 7
    exit
