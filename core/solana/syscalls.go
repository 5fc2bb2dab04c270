package solana

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/rbpfgo/rbpfgo/core/digest"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Budget is the compute budget of v1.6.9 (BpfComputeBudget::new in
// sdk/src/process_instruction.rs): the units an instruction may use and
// what each syscall costs.
type Budget struct {
	MaxUnits                  uint64
	LogUnits                  uint64
	Log64Units                uint64
	CreateProgramAddressUnits uint64
	InvokeUnits               uint64
	MaxInvokeDepth            int
	SHA256BaseCost            uint64
	SHA256ByteCost            uint64
	MaxCallDepth              int
	StackFrameSize            int
	LogPubkeyUnits            uint64
	MaxCPIInstructionSize     int
	CPIBytesPerUnit           uint64
	SysvarBaseCost            uint64
}

// DefaultBudget is the release's budget.
var DefaultBudget = Budget{
	MaxUnits:                  200_000,
	LogUnits:                  100,
	Log64Units:                100,
	CreateProgramAddressUnits: 1500,
	InvokeUnits:               1000,
	MaxInvokeDepth:            4,
	SHA256BaseCost:            85,
	SHA256ByteCost:            1,
	MaxCallDepth:              64,
	StackFrameSize:            4096,
	LogPubkeyUnits:            100,
	MaxCPIInstructionSize:     1280,
	CPIBytesPerUnit:           250,
	SysvarBaseCost:            100,
}

// DefaultHeapSize is the heap the loader gives every run
// (DEFAULT_HEAP_SIZE in programs/bpf_loader/src/lib.rs).
const DefaultHeapSize = 32 * 1024

// session is the state one run's syscalls share: the invoke context of
// the release, reduced to what a single program run needs.
type session struct {
	ix      *Instruction
	budget  Budget
	logs    *LogCollector
	heap    allocator
	aligned bool
	// sysvarsRead records which sysvars were read with default values.
	sysvarsDefaulted map[string]bool
	cpi              *CPIRequest
}

// syscallDef is one syscall of the loader: its name (hashed with murmur3
// for the registry) and its implementation over the session.
type syscallDef struct {
	name    string
	enabled func(Features) bool
	call    func(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error)
}

func always(Features) bool { return true }

// syscallDefs are register_syscalls in its order.
var syscallDefs = []syscallDef{
	{"abort", always, sysAbort},
	{"sol_panic_", always, sysPanic},
	{"sol_log_", always, sysLog},
	{"sol_log_64_", always, sysLog64},
	{"sol_log_compute_units_", always, sysLogComputeUnits},
	{"sol_log_pubkey", always, sysLogPubkey},
	{"sol_create_program_address", always, sysCreateProgramAddress},
	{"sol_try_find_program_address", always, sysTryFindProgramAddress},
	{"sol_sha256", always, sysSHA256},
	{"sol_keccak256", func(f Features) bool { return f.Keccak256Syscall }, sysKeccak256},
	{"sol_get_clock_sysvar", sysvarGate, sysvarGetter(sysvarClock)},
	{"sol_get_epoch_schedule_sysvar", sysvarGate, sysvarGetter(sysvarEpochSchedule)},
	{"sol_get_fees_sysvar", sysvarGate, sysvarGetter(sysvarFees)},
	{"sol_get_rent_sysvar", sysvarGate, sysvarGetter(sysvarRent)},
	{"sol_memcpy_", memOpsGate, sysMemcpy},
	{"sol_memmove_", memOpsGate, sysMemmove},
	{"sol_memcmp_", memOpsGate, sysMemcmp},
	{"sol_memset_", memOpsGate, sysMemset},
	{"sol_invoke_signed_c", always, sysInvokeSignedC},
	{"sol_invoke_signed_rust", always, sysInvokeSignedRust},
	{"sol_alloc_free_", always, sysAllocFree},
}

func sysvarGate(f Features) bool { return f.SysvarViaSyscall }

func memOpsGate(f Features) bool { return f.MemoryOpsSyscalls }

// SyscallNames lists the syscalls registered under f, in registration
// order.
func SyscallNames(f Features) []string {
	var out []string
	for _, d := range syscallDefs {
		if d.enabled(f) {
			out = append(out, d.name)
		}
	}
	return out
}

// boundSyscall is a syscallDef bound to one run's session.
type boundSyscall struct {
	s *session
	d *syscallDef
}

func (b *boundSyscall) Call(ctx *vm.SyscallContext, a1, a2, a3, a4, a5 uint64, mem *vm.MemoryMapping) (uint64, error) {
	if b.s == nil {
		return 0, errNoSession
	}
	return b.d.call(b.s, ctx, [5]uint64{a1, a2, a3, a4, a5}, mem)
}

// funcs holds one vm.SyscallFunc per definition, so that registries built
// for different runs name the same implementations.
var funcs = func() map[string]*vm.SyscallFunc {
	m := map[string]*vm.SyscallFunc{}
	for i := range syscallDefs {
		d := &syscallDefs[i]
		m[d.name] = &vm.SyscallFunc{Name: d.name, New: func() vm.Syscall {
			// A run binds its own objects (Bind); this one has no session
			// and reports that it was not set up.
			return &boundSyscall{d: d}
		}}
	}
	return m
}()

// Registry registers the loader's syscalls under f, as register_syscalls
// does.
func Registry(f Features) *vm.SyscallRegistry {
	r := vm.NewSyscallRegistry()
	for i, d := range syscallDefs {
		if d.enabled(f) {
			_ = r.RegisterByHash(defHashes[i], funcs[d.name])
		}
	}
	return r
}

// defHashes are the murmur3 hashes of syscallDefs' names, computed once
// rather than for every run's bindings.
var defHashes = func() []uint32 {
	h := make([]uint32, len(syscallDefs))
	for i, d := range syscallDefs {
		h[i] = ebpf.HashSymbolName([]byte(d.name))
	}
	return h
}()

// bind makes the run's syscall objects, keyed by hash, for
// vm.RunOptions.Bind.
func (s *session) bind() map[uint32]vm.Syscall {
	m := map[uint32]vm.Syscall{}
	for i := range syscallDefs {
		d := &syscallDefs[i]
		if d.enabled(s.ix.Features) {
			m[defHashes[i]] = &boundSyscall{s: s, d: d}
		}
	}
	return m
}

var errNoSession = fmt.Errorf("syscall called outside a runtime run")

// consume charges n units as the compute meter does: it takes what is
// left and fails with ComputationalBudgetExceeded when n is more than
// that.
func consume(ctx *vm.SyscallContext, n uint64) error {
	rem := ctx.MeterRemaining()
	ctx.ConsumeMeter(n)
	if n > rem {
		return instructionErr(ComputationalBudgetExceeded)
	}
	return nil
}

// translate maps n bytes at addr for access, first checking addr's
// alignment for the aligned loader (translate_slice_inner and
// translate_type_inner check the pointer's alignment for T before
// mapping).
func (s *session) translate(mem *vm.MemoryMapping, access vm.AccessType, addr, n, align uint64) ([]byte, error) {
	if s.aligned && align > 1 && addr%align != 0 {
		return nil, user(&SyscallError{Kind: UnalignedPointer})
	}
	return mem.Map(access, addr, n)
}

// slice maps count elements of size bytes each; an empty slice maps
// nothing.
func (s *session) slice(mem *vm.MemoryMapping, access vm.AccessType, addr, count, size, align uint64) ([]byte, error) {
	if s.aligned && align > 1 && addr%align != 0 {
		return nil, user(&SyscallError{Kind: UnalignedPointer})
	}
	if count == 0 {
		return nil, nil
	}
	n := count * size
	if size != 0 && n/size != count {
		n = math.MaxUint64
	}
	return mem.Map(access, addr, n)
}

// str maps a string argument as translate_string_and_do: the bytes up to
// the first NUL, which must be UTF-8.
func (s *session) str(mem *vm.MemoryMapping, addr, n uint64) (string, error) {
	b, err := s.slice(mem, vm.Load, addr, n, 1, 1)
	if err != nil {
		return "", err
	}
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	if msg := utf8Error(b); msg != "" {
		return "", user(&SyscallError{Kind: InvalidString, Text: msg + ": " + rustBytes(b)})
	}
	return string(b), nil
}

func sysAbort(*session, *vm.SyscallContext, [5]uint64, *vm.MemoryMapping) (uint64, error) {
	return 0, user(&SyscallError{Kind: Abort})
}

func sysPanic(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	if err := consume(ctx, a[1]); err != nil {
		return 0, err
	}
	file, err := s.str(mem, a[0], a[1])
	if err != nil {
		return 0, err
	}
	return 0, user(&SyscallError{Kind: Panic, Text: fmt.Sprintf("%s at %d:%d", file, a[2], a[3])})
}

func sysLog(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	if err := consume(ctx, a[1]); err != nil {
		return 0, err
	}
	msg, err := s.str(mem, a[0], a[1])
	if err != nil {
		return 0, err
	}
	s.programLog(ctx, msg)
	return 0, nil
}

func sysLog64(s *session, ctx *vm.SyscallContext, a [5]uint64, _ *vm.MemoryMapping) (uint64, error) {
	if err := consume(ctx, s.budget.Log64Units); err != nil {
		return 0, err
	}
	s.programLog(ctx, fmt.Sprintf("%#x, %#x, %#x, %#x, %#x", a[0], a[1], a[2], a[3], a[4]))
	return 0, nil
}

func sysLogComputeUnits(s *session, ctx *vm.SyscallContext, _ [5]uint64, _ *vm.MemoryMapping) (uint64, error) {
	// Its cost is 0 in the release.
	s.log(ctx, fmt.Sprintf("Program consumption: %d units remaining", ctx.MeterRemaining()))
	return 0, nil
}

func sysLogPubkey(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	if err := consume(ctx, s.budget.LogPubkeyUnits); err != nil {
		return 0, err
	}
	b, err := s.translate(mem, vm.Load, a[0], 32, 1)
	if err != nil {
		return 0, err
	}
	s.programLog(ctx, pubkey.Pubkey(b).String())
	return 0, nil
}

// sysAllocFree is the bump allocator of allocator_bump.rs: the alignment
// of u128 (8, see alignOfU128) for the aligned loader, 1 for the
// deprecated one; free does nothing; a failed allocation returns 0.
func sysAllocFree(s *session, _ *vm.SyscallContext, a [5]uint64, _ *vm.MemoryMapping) (uint64, error) {
	align := uint64(1)
	if s.aligned {
		align = alignOfU128
	}
	size, free := a[0], a[1]
	if size > math.MaxInt64-(align-1) { // Layout::from_size_align fails
		return 0, nil
	}
	if free != 0 {
		return 0, nil
	}
	return s.heap.alloc(size, align), nil
}

// allocator is BpfAllocator: a bump pointer over the heap region.
type allocator struct {
	start, len, pos uint64
}

func (h *allocator) alloc(size, align uint64) uint64 {
	pad := (align - h.pos%align) % align
	end := satAdd(satAdd(h.pos, size), pad)
	if end > h.len {
		return 0
	}
	h.pos += pad
	addr := h.start + h.pos
	h.pos += size
	return addr
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

// pair reads the i-th (pointer, length) pair of a translated slice of
// Rust slices (&[u8], 16 bytes each); C's SolSignerSeed has the same
// layout.
func pair(raw []byte, i uint64) (ptr, n uint64) {
	return binary.LittleEndian.Uint64(raw[16*i:]), binary.LittleEndian.Uint64(raw[16*i+8:])
}

// byteSlices translates every (pointer, length) pair of raw into the
// bytes it names, in order.
func (s *session) byteSlices(mem *vm.MemoryMapping, raw []byte, n uint64) ([][]byte, error) {
	out := make([][]byte, 0, n)
	for i := uint64(0); i < n; i++ {
		p, l := pair(raw, i)
		b, err := s.slice(mem, vm.Load, p, l, 1, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// seeds translates a seed list: a slice of (pointer, length) pairs, each
// naming a byte slice.
func (s *session) seeds(mem *vm.MemoryMapping, addr, n uint64) ([][]byte, error) {
	raw, err := s.slice(mem, vm.Load, addr, n, 16, 8)
	if err != nil {
		return nil, err
	}
	if n > pubkey.MaxSeeds {
		return nil, user(&SyscallError{Kind: BadSeeds, Text: pubkey.MaxSeedLengthExceeded.Error()})
	}
	return s.byteSlices(mem, raw, n)
}

func (s *session) programAddressInputs(mem *vm.MemoryMapping, a [5]uint64) ([][]byte, pubkey.Pubkey, error) {
	var program pubkey.Pubkey
	seeds, err := s.seeds(mem, a[0], a[1])
	if err != nil {
		return nil, program, err
	}
	b, err := s.translate(mem, vm.Load, a[2], 32, 1)
	if err != nil {
		return nil, program, err
	}
	copy(program[:], b)
	return seeds, program, nil
}

func sysCreateProgramAddress(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	seeds, program, err := s.programAddressInputs(mem, a)
	if err != nil {
		return 0, err
	}
	if err := consume(ctx, s.budget.CreateProgramAddressUnits); err != nil {
		return 0, err
	}
	addr, err := pubkey.CreateProgramAddress(seeds, program)
	if err != nil {
		return 1, nil
	}
	out, err := s.translate(mem, vm.Store, a[3], 32, 1)
	if err != nil {
		return 0, err
	}
	copy(out, addr[:])
	return 0, nil
}

func sysTryFindProgramAddress(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	seeds, program, err := s.programAddressInputs(mem, a)
	if err != nil {
		return 0, err
	}
	bump := []byte{math.MaxUint8}
	withBump := append(append([][]byte(nil), seeds...), bump)
	for i := 0; i < math.MaxUint8; i++ {
		if err := consume(ctx, s.budget.CreateProgramAddressUnits); err != nil {
			return 0, err
		}
		if addr, err := pubkey.CreateProgramAddress(withBump, program); err == nil {
			bumpOut, err := s.translate(mem, vm.Store, a[4], 1, 1)
			if err != nil {
				return 0, err
			}
			out, err := s.translate(mem, vm.Store, a[3], 32, 1)
			if err != nil {
				return 0, err
			}
			bumpOut[0] = bump[0]
			copy(out, addr[:])
			return 0, nil
		}
		bump[0]--
	}
	return 1, nil
}

// hashSyscall is sol_sha256 and sol_keccak256: base cost, then for each
// input slice its bytes at byte_cost per two bytes.
func (s *session) hashSyscall(ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping, h interface {
	Write([]byte) (int, error)
	Sum([]byte) []byte
}) (uint64, error) {
	if err := consume(ctx, s.budget.SHA256BaseCost); err != nil {
		return 0, err
	}
	out, err := s.slice(mem, vm.Store, a[2], 32, 1, 1)
	if err != nil {
		return 0, err
	}
	if a[1] > 0 {
		vals, err := s.slice(mem, vm.Load, a[0], a[1], 16, 8)
		if err != nil {
			return 0, err
		}
		for i := uint64(0); i < a[1]; i++ {
			p, l := pair(vals, i)
			b, err := s.slice(mem, vm.Load, p, l, 1, 1)
			if err != nil {
				return 0, err
			}
			if err := consume(ctx, s.budget.SHA256ByteCost*(l/2)); err != nil {
				return 0, err
			}
			h.Write(b)
		}
	}
	copy(out, h.Sum(nil))
	return 0, nil
}

func sysSHA256(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.hashSyscall(ctx, a, mem, digest.NewSHA256())
}

func sysKeccak256(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.hashSyscall(ctx, a, mem, digest.NewKeccak256())
}

// sysvarGetter is get_sysvar for one sysvar: it charges the base cost plus
// the sysvar's size, then writes it at var_addr (8-byte aligned).
func sysvarGetter(k sysvarKind) func(*session, *vm.SyscallContext, [5]uint64, *vm.MemoryMapping) (uint64, error) {
	return func(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
		if err := consume(ctx, s.budget.SysvarBaseCost+k.size); err != nil {
			return 0, err
		}
		b, err := s.translate(mem, vm.Store, a[0], k.size, 8)
		if err != nil {
			return 0, err
		}
		if k.put(&s.ix.Sysvars, b) {
			if s.sysvarsDefaulted == nil {
				s.sysvarsDefaulted = map[string]bool{}
			}
			s.sysvarsDefaulted[k.name] = true
		}
		return 0, nil
	}
}
