# A call to a symbol nobody provides: the loader accepts it (rbpf v0.2.8
# resolves syscalls at run time), and the VM fails when the call executes.
entrypoint:
    mov64 r0, 1
    call sol_missing_helper
    exit
