# The smallest program: put 0 in r0 and exit.
entrypoint:
    mov64 r0, 0
    exit
