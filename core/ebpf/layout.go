package ebpf

// Sizes and register conventions.
const (
	// InsnSize is the size in bytes of one instruction slot.
	InsnSize = 8
	// ProgMaxInsns is the largest number of instruction slots a program may have.
	ProgMaxInsns = 65_536
	// ProgMaxSize is ProgMaxInsns in bytes.
	ProgMaxSize = ProgMaxInsns * InsnSize
	// StackReg is the frame pointer register, r10.
	StackReg = 10
	// FirstScratchReg is the first callee-saved register, r6.
	FirstScratchReg = 6
	// ScratchRegs is how many callee-saved registers a call frame keeps (r6-r9).
	ScratchRegs = 4
	// ElfInsnDumpOffset is added to every instruction index that rbpf reports in
	// an error message. It equals the offset that `objdump` style dumps of the
	// ELF fixtures used, and rbpf keeps it for compatibility.
	ElfInsnDumpOffset = 29
	// HostAlign is the alignment rbpf uses for host memory holding VM data.
	HostAlign = 16
)

// The virtual memory map. Each region starts at a multiple of 2^32.
const (
	MMProgramStart uint64 = 0x1_0000_0000
	MMStackStart   uint64 = 0x2_0000_0000
	MMHeapStart    uint64 = 0x3_0000_0000
	MMInputStart   uint64 = 0x4_0000_0000
)
