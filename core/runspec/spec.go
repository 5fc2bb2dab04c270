package runspec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Kind says how a Spec's program is given.
type Kind string

// The kinds of program a Spec can carry.
const (
	KindAsm   Kind = "asm"   // Spec.Source is assembly text
	KindBytes Kind = "bytes" // Spec.Program is raw instruction bytes
	KindELF   Kind = "elf"   // Spec.Program is an ELF shared object
)

// DefaultBudget is the instruction budget when a Spec sets none: i64::MAX,
// the default of rbpf's CLI (--lim).
const DefaultBudget uint64 = math.MaxInt64

// Spec is one run request. The zero value of every optional field means
// rbpf's default.
type Spec struct {
	Kind    Kind   `json:"kind"`
	Source  string `json:"source,omitempty"`  // assembly, for KindAsm
	Program []byte `json:"program,omitempty"` // instruction bytes or ELF file
	Input   []byte `json:"input,omitempty"`   // the input region's bytes
	Heap    int    `json:"heap,omitempty"`    // heap size in bytes (rbpf's --mem)

	// Budget is the instruction meter's budget; nil means DefaultBudget.
	Budget *uint64 `json:"budget,omitempty"`
	// NoMeter turns Config.enable_instruction_meter off.
	NoMeter bool `json:"no_meter,omitempty"`
	// Trace turns Config.enable_instruction_tracing on.
	Trace bool `json:"trace,omitempty"`
	// Verify runs rbpf's verifier when the executable is built.
	Verify bool `json:"verify,omitempty"`
	// Verifier, when set, is run in place of rbpf's verifier (Verify is
	// then ignored), as rbpf's own tests build executables with verifiers
	// of their own. It has no JSON form: the CLI, the server and the page
	// never set it; core/conformance does.
	Verifier vm.Verifier `json:"-"`
	// MaxCallDepth and StackFrameSize override the Config defaults when non-zero.
	MaxCallDepth   int `json:"max_call_depth,omitempty"`
	StackFrameSize int `json:"stack_frame_size,omitempty"`

	// NoDefaultSyscalls leaves out DefaultSyscalls.
	NoDefaultSyscalls bool `json:"no_default_syscalls,omitempty"`
	// Syscalls are bound after the defaults; a later binding of the same key wins.
	Syscalls []Binding `json:"syscalls,omitempty"`
	// Functions register extra call targets: Key hashes to the function at PC.
	Functions []Function `json:"functions,omitempty"`

	// Instruction runs the program as the Solana runtime runs a program's
	// entrypoint (core/solana): the input region is the serialized
	// instruction, the syscalls are the loader's, the budget is the
	// compute budget, and the result adds the runtime's outcome. It cannot
	// be combined with Input, Heap, Budget, NoMeter, Syscalls or
	// NoDefaultSyscalls, which the runtime decides.
	Instruction *solana.Instruction `json:"instruction,omitempty"`
	// RunAnyway runs a runtime run's program even when the loader's
	// verifier (solana.VerifyProgram) rejects it; without it, Build fails
	// with a *Rejected error as the release's loader does.
	RunAnyway bool `json:"run_anyway,omitempty"`
}

// BudgetOrDefault returns the instruction budget the run uses.
func (s *Spec) BudgetOrDefault() uint64 {
	if s.Budget == nil {
		return DefaultBudget
	}
	return *s.Budget
}

// Binding binds a built-in syscall to a call immediate. Key is a number
// (decimal or 0x hex) used as the hash itself, or a symbol name whose murmur3
// hash is the key. Name is one of vm.SyscallFuncNames(): the syscalls of
// rbpf's src/syscalls.rs (bpf_trace_printf, bpf_time_getns, bpf_gather_bytes,
// bpf_mem_frob, bpf_str_cmp, bpf_sqrti, bpf_rand) and of its test_utils
// (log, log_64, ...).
type Binding struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Function registers the function starting at instruction index PC under
// Key, a number or a symbol name as in Binding.
type Function struct {
	Key string `json:"key"`
	PC  int    `json:"pc"`
}

// DefaultSyscalls are bound unless Spec.NoDefaultSyscalls is set: log and
// log_64 under the hashes of their names, and the two syscalls rbpf numbers
// itself, bpf_time_getns at BPF_KTIME_GETNS_IDX (5) and bpf_trace_printf at
// BPF_TRACE_PRINTK_IDX (6).
var DefaultSyscalls = []Binding{
	{Key: "log", Name: "log"},
	{Key: "log_64", Name: "log_64"},
	{Key: "5", Name: "bpf_time_getns"},
	{Key: "6", Name: "bpf_trace_printf"},
}

// KeyHash resolves a Binding or Function key: a number (decimal, or hex with
// 0x) is the hash itself, anything else is hashed as a symbol name.
func KeyHash(key string) (uint32, error) {
	if key == "" {
		return 0, fmt.Errorf("empty key")
	}
	if c := key[0]; c >= '0' && c <= '9' {
		v, err := strconv.ParseUint(key, 0, 32)
		if err != nil {
			return 0, fmt.Errorf("key %q is not a 32-bit number", key)
		}
		return uint32(v), nil
	}
	return ebpf.HashSymbolName([]byte(key)), nil
}

// ParseBinding reads "KEY=NAME", the command-line form of a Binding.
func ParseBinding(s string) (Binding, error) {
	key, name, ok := strings.Cut(s, "=")
	if !ok || key == "" || name == "" {
		return Binding{}, fmt.Errorf("syscall binding %q is not KEY=NAME", s)
	}
	b := Binding{Key: key, Name: name}
	return b, b.check()
}

func (b Binding) check() error {
	if _, err := KeyHash(b.Key); err != nil {
		return fmt.Errorf("syscall %s: %v", b.Name, err)
	}
	if _, ok := vm.LookupSyscallFunc(b.Name); !ok {
		return fmt.Errorf("unknown syscall %q (known: %s)", b.Name, strings.Join(vm.SyscallFuncNames(), ", "))
	}
	return nil
}

// ParseFunction reads "KEY=PC", the command-line form of a Function.
func ParseFunction(s string) (Function, error) {
	key, pcText, ok := strings.Cut(s, "=")
	if !ok || key == "" || pcText == "" {
		return Function{}, fmt.Errorf("function %q is not KEY=PC", s)
	}
	pc, err := strconv.ParseUint(pcText, 0, 31)
	if err != nil {
		return Function{}, fmt.Errorf("function %q: pc %q is not an instruction index", s, pcText)
	}
	f := Function{Key: key, PC: int(pc)}
	if _, err := KeyHash(key); err != nil {
		return Function{}, fmt.Errorf("function %q: %v", s, err)
	}
	return f, nil
}
