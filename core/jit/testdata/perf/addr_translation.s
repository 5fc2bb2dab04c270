# rbpf's address translation bench (benches/vm_execution.rs): an ldindb
# from the 1 KiB input every 5 instructions, 200 000 000 iterations:
# 1 000 000 001 instructions. Run with a 1024-byte input.
	mov r1, r2
	and r1, 1023
	ldindb r1, 0
	add r2, 1
	jlt r2, 200000000, -5
	exit
