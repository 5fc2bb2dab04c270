package vm

import (
	"fmt"
	"sort"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Syscall is a syscall's context object, rbpf's SyscallObject: each VM gets
// its own (see SyscallFunc.New and RunOptions.Bind), so a syscall may keep
// state across the calls of one run.
type Syscall interface {
	// Call runs the syscall with r1-r5. The returned value goes to r0; an
	// error ends the program with that error, unchanged (memory errors made
	// by mem carry instruction number 0, as in rbpf).
	Call(ctx *SyscallContext, a1, a2, a3, a4, a5 uint64, mem *MemoryMapping) (uint64, error)
}

// SyscallFunc identifies a syscall implementation, as a function pointer
// does in rbpf: registering the same SyscallFunc twice is an error even
// under different hashes.
type SyscallFunc struct {
	// Name is how the CLI and the playground refer to the implementation.
	Name string
	// New makes a fresh context object for one VM.
	New func() Syscall
}

// SyscallEntry is one registration: the hash a `call imm` names, the
// implementation and its context-object slot (the registration order).
type SyscallEntry struct {
	Hash uint32
	Func *SyscallFunc
	Slot int
}

// SyscallRegistry maps call hashes to syscalls, as rbpf's SyscallRegistry.
// The zero value is an empty registry.
type SyscallRegistry struct {
	entries map[uint32]*SyscallEntry
	slots   map[*SyscallFunc]int
}

// NewSyscallRegistry returns an empty registry.
func NewSyscallRegistry() *SyscallRegistry { return &SyscallRegistry{} }

// RegisterByHash registers fn under hash. A hash already in use, or an fn
// already registered, is rejected with SycallAlreadyRegistered(hash); as in
// rbpf, a repeated hash still replaces the earlier entry.
func (r *SyscallRegistry) RegisterByHash(hash uint32, fn *SyscallFunc) error {
	if r.entries == nil {
		r.entries = map[uint32]*SyscallEntry{}
		r.slots = map[*SyscallFunc]int{}
	}
	slot := len(r.entries)
	e := &SyscallEntry{Hash: hash, Func: fn, Slot: slot}
	_, dupHash := r.entries[hash]
	r.entries[hash] = e
	if dupHash {
		return &Error{Kind: SyscallAlreadyRegistered, Num: uint64(hash)}
	}
	if _, dupFn := r.slots[fn]; dupFn {
		r.slots[fn] = slot
		return &Error{Kind: SyscallAlreadyRegistered, Num: uint64(hash)}
	}
	r.slots[fn] = slot
	return nil
}

// RegisterByName registers fn under the murmur3 hash of name.
func (r *SyscallRegistry) RegisterByName(name string, fn *SyscallFunc) error {
	return r.RegisterByHash(ebpf.HashSymbolName([]byte(name)), fn)
}

// Lookup returns the entry registered under hash.
func (r *SyscallRegistry) Lookup(hash uint32) (*SyscallEntry, bool) {
	if r == nil {
		return nil, false
	}
	e, ok := r.entries[hash]
	return e, ok
}

// Len is the number of registered hashes.
func (r *SyscallRegistry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.entries)
}

// Entries returns the current entries sorted by hash.
func (r *SyscallRegistry) Entries() []SyscallEntry {
	if r == nil {
		return nil
	}
	out := make([]SyscallEntry, 0, len(r.entries))
	for _, e := range r.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Hash < out[j].Hash })
	return out
}

// SyscallContext is what a syscall sees of the running VM besides its
// arguments: the log of the run and the instruction meter.
type SyscallContext struct {
	log *runLog
	vm  *VM
}

// MeterRemaining is the instruction meter's remaining count as the syscall
// runs (rbpf's InstructionMeter::get_remaining): the engines settle the
// meter before every syscall. It is 0 when the meter is disabled.
func (c *SyscallContext) MeterRemaining() uint64 {
	if c == nil || c.vm == nil || !c.vm.meterOn {
		return 0
	}
	return c.vm.meterRemaining
}

// ConsumeMeter takes n off the instruction meter, saturating at 0, as a
// runtime whose compute meter is the instruction meter charges a syscall's
// cost (Solana's ThisInstructionMeter shares one counter between the two).
// Both engines continue from the remaining count after the syscall, so a
// meter consumed to 0 stops the program at its next instruction. It does
// nothing when the meter is disabled.
func (c *SyscallContext) ConsumeMeter(n uint64) {
	if c == nil || c.vm == nil || !c.vm.meterOn {
		return
	}
	c.vm.meterRemaining = satSub(c.vm.meterRemaining, n)
}

// Log appends one line to the run's log (Result.Log, and RunOptions.Log
// when set).
func (c *SyscallContext) Log(line string) {
	if c != nil && c.log != nil {
		c.log.add(line)
	}
}

// discards reports whether Log would drop a line: there is no log, or it
// is full and has no writer. Such a line is only marked as truncated.
func (c *SyscallContext) discards() bool {
	if c == nil || c.log == nil {
		return true
	}
	if c.log.w == nil && c.log.full() {
		c.log.truncated = true
		return true
	}
	return false
}

// Logf formats and appends one line to the run's log.
func (c *SyscallContext) Logf(format string, args ...any) {
	if c.discards() {
		return
	}
	c.log.add(fmt.Sprintf(format, args...))
}
