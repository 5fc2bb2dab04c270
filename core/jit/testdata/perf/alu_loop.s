# ALU loop: benchprog's ALULoop scaled to 1 000 000 005 instructions
# (7 per iteration, 142 857 143 iterations, 3 before, 1 after).
	mov64 r0, 0
	mov64 r1, 142857143
	mov32 r2, 7
loop:
	add64 r0, r1
	xor64 r0, 0x55
	mul32 r2, 3
	rsh64 r0, 1
	lsh64 r0, 1
	sub64 r1, 1
	jne r1, 0, loop
	exit
