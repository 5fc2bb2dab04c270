package benchprog

// Program is one benchmark program: assembly for core/asm, the size of the
// zeroed input it runs on, the functions to register (call hash -> slot)
// and the syscalls to bind (call hash -> name known to vm.LookupSyscallFunc).
type Program struct {
	Name      string
	Source    string
	InputLen  int
	Functions map[uint32]int
	Syscalls  map[uint32]string
}

// Programs are the benchmark programs, the first four being the workloads
// the project's documentation reports (ALU, load/store, calls, syscalls);
// the last two are rbpf's own benches/vm_execution.rs programs.
var Programs = []Program{
	{Name: "ALULoop", Source: `
		mov64 r0, 0
		mov64 r1, 1000000
		mov32 r2, 7
	loop:
		add64 r0, r1
		xor64 r0, 0x55
		mul32 r2, 3
		rsh64 r0, 1
		lsh64 r0, 1
		sub64 r1, 1
		jne r1, 0, loop
		exit`},
	{Name: "LoadStoreLoop", InputLen: 1024, Source: `
		mov64 r6, 1000
	outer:
		mov64 r2, r1
		mov64 r3, 128
	inner:
		ldxdw r4, [r2]
		add64 r0, r4
		stxdw [r2], r0
		add64 r2, 8
		sub64 r3, 1
		jne r3, 0, inner
		sub64 r6, 1
		jne r6, 0, outer
		exit`},
	{Name: "CallRecursion", Functions: map[uint32]int{1: 5}, Source: `
		mov64 r6, 20000
	outer:
		mov64 r1, 15
		call 1
		sub64 r6, 1
		jne r6, 0, outer
		exit
	fn:
		jeq r1, 0, +3
		sub64 r1, 1
		call 1
		add64 r0, 1
		exit`},
	{Name: "SyscallLoop", Syscalls: map[uint32]string{9: "bpf_gather_bytes"}, Source: `
		mov64 r6, 300000
	loop:
		mov64 r1, 1
		mov64 r2, 2
		call 9
		sub64 r6, 1
		jne r6, 0, loop
		exit`},
	{Name: "ByteLoadStoreLoop", InputLen: 1024, Source: `
		mov64 r6, 200000
	loop:
		mov64 r2, r6
		and64 r2, 1023
		add64 r2, r1
		ldxb r4, [r2]
		add64 r4, 1
		stxb [r2], r4
		sub64 r6, 1
		jne r6, 0, loop
		exit`},
	{Name: "StackLoop", Source: `
		mov64 r3, 300000
	loop:
		stxdw [r10-8], r3
		ldxdw r4, [r10-8]
		add64 r0, r4
		sub64 r3, 1
		jne r3, 0, loop
		exit`},
	{Name: "RbpfAddressTranslation", InputLen: 1024, Source: `
		mov r1, r2
		and r1, 1023
		ldindb r1, 0
		add r2, 1
		jlt r2, 0x10000, -5
		exit`},
	{Name: "RbpfEmptyForLoop", Source: `
		mov r1, r2
		and r1, 1023
		add r2, 1
		jlt r2, 0x10000, -4
		exit`},
}

// Get returns the program called name; it panics on an unknown name, which
// only a benchmark's own source can give.
func Get(name string) Program {
	for _, p := range Programs {
		if p.Name == name {
			return p
		}
	}
	panic("benchprog: no program " + name)
}
