# rbpf's empty for loop (benches/vm_execution.rs), 4 instructions per
# iteration, 250 000 000 iterations: 1 000 000 001 instructions.
	mov r1, r2
	and r1, 1023
	add r2, 1
	jlt r2, 250000000, -4
	exit
