# ALU mix: 64- and 32-bit, immediate and register forms of add, sub, mul,
# and, or, xor, shifts, neg and mov, 20 instructions per iteration,
# 50 000 000 iterations: 1 000 000 005 instructions.
	mov64 r0, 0
	mov64 r1, 50000000
	mov64 r2, 7
	mov64 r3, 3
loop:
	add64 r0, r1
	mul64 r2, 13
	xor64 r0, r2
	sub32 r3, 5
	or64 r3, 0x10
	mov64 r4, r0
	and64 r4, 0xff
	lsh64 r4, 3
	add32 r3, r4
	arsh64 r3, 1
	mul32 r4, r3
	rsh32 r4, 2
	sub64 r0, r4
	neg64 r3
	mov32 r5, r3
	xor32 r5, 0x1234
	add64 r0, r5
	rsh64 r0, 1
	sub64 r1, 1
	jne r1, 0, loop
	exit
