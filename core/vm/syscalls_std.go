package vm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
	"unicode/utf8"
)

// syscallFn adapts a plain function to Syscall for stateless syscalls.
type syscallFn func(ctx *SyscallContext, a1, a2, a3, a4, a5 uint64, mem *MemoryMapping) (uint64, error)

// Call calls the function.
func (f syscallFn) Call(ctx *SyscallContext, a1, a2, a3, a4, a5 uint64, mem *MemoryMapping) (uint64, error) {
	return f(ctx, a1, a2, a3, a4, a5, mem)
}

func stateless(name string, f syscallFn) *SyscallFunc {
	return &SyscallFunc{Name: name, New: func() Syscall { return f }}
}

// The standard syscalls of rbpf's src/syscalls.rs and the test syscalls of
// its test_utils crate.
var (
	// BpfTimeGetNs returns a monotonic time in nanoseconds.
	BpfTimeGetNs = stateless("bpf_time_getns", timeGetNs)
	// BpfTracePrintf logs its last three arguments in hex and returns the
	// length of the line it printed.
	BpfTracePrintf = stateless("bpf_trace_printf", tracePrintf)
	// BpfGatherBytes packs its five arguments into one value.
	BpfGatherBytes = stateless("bpf_gather_bytes", gatherBytes)
	// BpfMemFrob XORs a1..a1+a2 with 42 in place.
	BpfMemFrob = stateless("bpf_mem_frob", memFrob)
	// BpfSqrtI is the integer square root of a1 computed in float64.
	BpfSqrtI = stateless("bpf_sqrti", sqrtI)
	// BpfStrCmp compares the NUL-terminated strings at a1 and a2.
	BpfStrCmp = stateless("bpf_str_cmp", strCmp)
	// BpfRand returns a random number, in [a1, a2] when a1 < a2.
	BpfRand = stateless("bpf_rand", randSyscall)
	// SyscallString is test_utils' BpfSyscallString: it logs a2 bytes at a1.
	SyscallString = stateless("log", logString)
	// SyscallU64 is test_utils' BpfSyscallU64: it logs its arguments.
	SyscallU64 = stateless("log_64", logU64)
	// TestTracePrintf is test_utils' BpfTracePrintf: it does nothing and
	// returns 0.
	TestTracePrintf = stateless("test_trace_printf", func(*SyscallContext, uint64, uint64, uint64, uint64, uint64, *MemoryMapping) (uint64, error) {
		return 0, nil
	})
	// SyscallWithContextFunc is test_utils' SyscallWithContext, whose
	// context object starts at 42 and becomes 84 when called.
	SyscallWithContextFunc = &SyscallFunc{Name: "syscall_with_context", New: func() Syscall {
		return &SyscallWithContext{Context: 42}
	}}
)

var syscallFuncs = map[string]*SyscallFunc{}

func init() {
	for _, f := range []*SyscallFunc{BpfTimeGetNs, BpfTracePrintf, BpfGatherBytes, BpfMemFrob,
		BpfSqrtI, BpfStrCmp, BpfRand, SyscallString, SyscallU64, TestTracePrintf, SyscallWithContextFunc} {
		syscallFuncs[f.Name] = f
	}
}

// LookupSyscallFunc finds a built-in syscall implementation by name (for
// example "log", "bpf_mem_frob"), as the CLI's --syscall KEY=NAME needs.
func LookupSyscallFunc(name string) (*SyscallFunc, bool) {
	f, ok := syscallFuncs[name]
	return f, ok
}

// SyscallFuncNames lists the names LookupSyscallFunc knows, sorted.
func SyscallFuncNames() []string {
	names := make([]string, 0, len(syscallFuncs))
	for n := range syscallFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var clockStart = time.Now()

func timeGetNs(*SyscallContext, uint64, uint64, uint64, uint64, uint64, *MemoryMapping) (uint64, error) {
	return uint64(time.Since(clockStart).Nanoseconds()), nil
}

func tracePrintf(ctx *SyscallContext, _, _, a3, a4, a5 uint64, _ *MemoryMapping) (uint64, error) {
	ctx.Logf("BpfTracePrintf: %#x, %#x, %#x", a3, a4, a5)
	return uint64(len("BpfTracePrintf: 0x, 0x, 0x\n")) + hexDigitsF64(a3) + hexDigitsF64(a4) + hexDigitsF64(a5), nil
}

// hexDigitsF64 counts hex digits the way rbpf does, through a float64
// logarithm (which can be off by one near powers of 16).
func hexDigitsF64(x uint64) uint64 {
	if x == 0 {
		return 1
	}
	return uint64(math.Floor(math.Log(float64(x))/math.Log(16))) + 1
}

func gatherBytes(_ *SyscallContext, a1, a2, a3, a4, a5 uint64, _ *MemoryMapping) (uint64, error) {
	return a1<<32 | a2<<24 | a3<<16 | a4<<8 | a5, nil
}

func memFrob(_ *SyscallContext, addr, n, _, _, _ uint64, mem *MemoryMapping) (uint64, error) {
	b, err := mem.Map(Store, addr, n)
	if err != nil {
		return 0, err
	}
	for i := range b {
		b[i] ^= 0b101010
	}
	return 0, nil
}

func sqrtI(_ *SyscallContext, a1, _, _, _, _ uint64, _ *MemoryMapping) (uint64, error) {
	return uint64(math.Sqrt(float64(a1))), nil
}

// strCmp walks both strings through the mapping one byte at a time, so a
// string running off its region ends in an access violation where rbpf
// would read host memory past the region.
func strCmp(_ *SyscallContext, a1, a2, _, _, _ uint64, mem *MemoryMapping) (uint64, error) {
	if a1 == 0 || a2 == 0 {
		return math.MaxUint64, nil
	}
	for i := uint64(0); ; i++ {
		a, err := mem.Load(a1+i, 1)
		if err != nil {
			return 0, err
		}
		b, err := mem.Load(a2+i, 1)
		if err != nil {
			return 0, err
		}
		if a != b || a == 0 {
			if a >= b {
				return a - b, nil
			}
			return b - a, nil
		}
	}
}

// randSyscall draws two 31-bit numbers as libc's rand() would. Where rbpf
// would divide by zero (a1 == 0, a2 == MaxUint64) the value is returned
// unreduced, which is in range anyway.
func randSyscall(_ *SyscallContext, lo, hi, _, _, _ uint64, _ *MemoryMapping) (uint64, error) {
	n := uint64(rand.Uint32()>>1)<<32 + uint64(rand.Uint32()>>1)
	if lo < hi {
		if span := hi + 1 - lo; span != 0 {
			n = n%span + lo
		}
	}
	return n, nil
}

func logString(ctx *SyscallContext, addr, n, _, _, _ uint64, mem *MemoryMapping) (uint64, error) {
	b, err := mem.Map(Load, addr, n)
	if err != nil {
		return 0, err
	}
	if ctx.discards() {
		return 0, nil // the line would be dropped: skip copying it
	}
	msg := "Invalid UTF-8 String"
	if utf8.Valid(b) {
		msg = string(b)
	}
	ctx.Log("log: " + msg)
	return 0, nil
}

// logU64 prints rbpf's dump_64 line; the host address of the memory
// mapping that rbpf appends is replaced by a fixed placeholder so that logs
// are reproducible.
func logU64(ctx *SyscallContext, a1, a2, a3, a4, a5 uint64, _ *MemoryMapping) (uint64, error) {
	ctx.Logf("dump_64: %#x, %#x, %#x, %#x, %#x, <memory mapping>", a1, a2, a3, a4, a5)
	return 0, nil
}

// SyscallWithContext is test_utils' syscall with a context object: it
// expects Context to be 42 and sets it to 84.
type SyscallWithContext struct {
	Context uint64
}

// Call checks and updates the context. Where rbpf's assertion would
// panic, it returns an error.
func (s *SyscallWithContext) Call(ctx *SyscallContext, a1, a2, a3, a4, a5 uint64, _ *MemoryMapping) (uint64, error) {
	ctx.Logf("SyscallWithContext: %#x, %#x, %#x, %#x, %#x", a1, a2, a3, a4, a5)
	if s.Context != 42 {
		return 0, WrapUser(fmt.Errorf("SyscallWithContext: context is %d, expected 42", s.Context))
	}
	s.Context = 84
	return 0, nil
}
