package provenance

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// DefaultMaxSteps is the number of steps a Recorder records unless
// Options.MaxSteps says otherwise: 60 to 70 MB at the measured 14 to 16
// bytes a step (see the package documentation).
const DefaultMaxSteps = 4 << 20

// Options configure a Recorder.
type Options struct {
	// Step executes up to n instructions of the VM and returns how many
	// it executed, as vm.VM.Step does; nil steps the VM itself. It lets
	// another recorder that steps the same VM (core/profile's) run
	// underneath.
	Step func(n int) int
	// Input is the field map of a runtime run's input region, which names
	// the input bytes a chain ends at; nil for a bare run.
	Input *solana.Input
	// MaxSteps bounds the steps recorded (0: DefaultMaxSteps). The
	// Recorder goes on stepping beyond it without recording; queries
	// after the last recorded step fail.
	MaxSteps int
}

// slotKind is what the recorder must note when an instruction runs.
type slotKind uint8

const (
	slotPlain   slotKind = iota // an ALU operation, lddw or a jump: the pc says it all
	slotMem                     // a load or a store: its address is recorded
	slotSyscall                 // a call a syscall answers: its arguments and writes are recorded
	slotCall                    // a call of a function (call imm or callx): a frame is entered
	slotExit                    // exit: a frame is left, or the run ends
	slotBad                     // fails whenever it runs
)

// slot is what the recorder knows of an instruction slot before running.
type slot struct {
	kind slotKind
	// width is the slots the instruction takes (2 for lddw).
	width uint8
	// def is the register the instruction sets, -1 for none; no
	// instruction sets two but an exit, whose depend on the frames and are
	// left to the index.
	def int8
	// chunk is how many instructions from this slot on the recorder steps
	// at once: after the first, none that loads, stores or calls a
	// syscall (their registers are read before they run), and through
	// the first jump, call or exit at most.
	chunk int32
}

// syscallRec is one syscall the run called.
type syscallRec struct {
	step int32     // the step of the call instruction, from the recording's start
	args [5]uint64 // r1-r5 as it was called
	hash uint32
}

// span is a range of VM memory a syscall was granted for writing.
type span struct {
	addr, n uint64
	sys     int32 // the syscall's index in Recorder.sys
}

// Recorder records a run for provenance queries. It steps the VM through
// its step API (the interpreter) and keeps, per executed instruction, its
// slot index, and per load or store its address; syscalls add their
// arguments and the ranges they were granted for writing. The indexes a
// query needs (the steps that set each register, the writes into each
// 8-byte block or byte) are built from that log when a query needs them.
type Recorder struct {
	m        *vm.VM
	step     func(int) int
	in       *solana.Input
	text     []byte
	slots    []slot
	maxSteps int

	base   uint64         // VM.Executed() when recording started
	entry  [11]uint64     // the registers then
	frames int            // the call frame index then
	atRoot bool           // the recording started at the entrypoint (base 0)
	pcs    column[int32]  // the slot of each recorded step
	memAt  column[int32]  // the steps that loaded or stored, in order
	memAdr column[uint64] // their addresses
	sys    []syscallRec
	writes []span
	// curSys is the syscall the hook attributes writes to, -1 outside one.
	curSys int32
	// failed is set when the last recorded step failed: it had no effect.
	failed bool
	// full is set once MaxSteps steps are recorded.
	full bool

	idx index
}

// NewRecorder prepares to record m from its current state, usually right
// after vm.New. While it records, it installs a hook on m's memory
// mapping (MemoryMapping.SetHostStoreHook) to see what syscalls write;
// Close removes it.
func NewRecorder(m *vm.VM, opts Options) (*Recorder, error) {
	if m == nil {
		return nil, errors.New("provenance: no VM")
	}
	r := &Recorder{
		m: m, step: opts.Step, in: opts.Input, text: m.Text(), maxSteps: opts.MaxSteps,
		base: m.Executed(), entry: m.Registers(), frames: m.CallFrames().Index(), curSys: -1,
	}
	if r.step == nil {
		r.step = m.Step
	}
	if r.maxSteps <= 0 {
		r.maxSteps = DefaultMaxSteps
	}
	r.atRoot = r.base == 0
	r.decode()
	r.idx.reset(r.frames)
	if !m.Done() {
		m.Mapping().SetHostStoreHook(r.hostStore)
	}
	return r, nil
}

// decode fills slots from the text and the syscall registry.
func (r *Recorder) decode() {
	n := len(r.text) / ebpf.InsnSize
	r.slots = make([]slot, n)
	reg := r.m.Executable().Syscalls
	for pc := n - 1; pc >= 0; pc-- {
		in, _ := ebpf.GetInsn(r.text, pc)
		s := slot{width: 1, chunk: 1}
		if in.Opc == ebpf.LdDwImm {
			s.width = 2
		}
		ends := in.Opc.IsJump()
		switch f, _ := ebpf.StaticFailure(in, pc, n); {
		case f != ebpf.NoFailure:
			s.kind, ends = slotBad, true
		case in.Opc.Form() == ebpf.FormCall:
			// rbpf v0.2.8 looks a call's immediate up among the syscalls
			// first, then among the functions (src/vm.rs, CALL_IMM).
			s.kind, ends = slotCall, true
			if _, ok := reg.Lookup(uint32(in.Imm)); ok {
				s.kind, ends = slotSyscall, false
			}
		case in.Opc.Form() == ebpf.FormCallReg:
			s.kind, ends = slotCall, true
		case in.Opc == ebpf.Exit:
			s.kind, ends = slotExit, true
		default:
			if _, ok := ebpf.AccessAddr(in, &[11]uint64{}); ok {
				s.kind = slotMem
			}
		}
		s.def = defines(in, s.kind)
		if next := pc + int(s.width); !ends && next < n {
			if k := r.slots[next].kind; k != slotMem && k != slotSyscall {
				s.chunk = 1 + r.slots[next].chunk
			}
		}
		r.slots[pc] = s
	}
}

// defines is the register an instruction of kind k sets when it runs, as
// src/vm.rs executes it, or -1: an ALU operation, lddw and ldx set dst,
// ld_abs and ld_ind r0, a syscall r0 (its result), a call of a function
// r10 (the new frame's pointer). Stores and jumps set none.
func defines(in ebpf.Insn, k slotKind) int8 {
	switch k {
	case slotBad, slotExit:
		return -1
	case slotSyscall:
		return 0
	case slotCall:
		return ebpf.StackReg
	}
	switch in.Opc.Form() {
	case ebpf.FormAluImm, ebpf.FormAluReg, ebpf.FormUnary, ebpf.FormEndian, ebpf.FormLoadImm64, ebpf.FormLoadReg:
		return int8(in.Dst)
	case ebpf.FormLoadAbs, ebpf.FormLoadInd:
		return 0
	}
	return -1
}

// hostStore notes a range a syscall was granted for writing.
func (r *Recorder) hostStore(addr, n uint64) {
	if r.curSys < 0 {
		return
	}
	r.writes = append(r.writes, span{addr, n, r.curSys})
}

// Close removes the recorder's hook from the VM's memory mapping; the
// recording stays and can be queried.
func (r *Recorder) Close() {
	r.m.Mapping().SetHostStoreHook(nil)
	r.full = true
}

// Steps is the number of steps recorded.
func (r *Recorder) Steps() int { return r.pcs.len() }

// Base is the VM's count of executed instructions when the recording
// started: step i of the recording is the run's instruction Base()+i.
func (r *Recorder) Base() uint64 { return r.base }

// Bytes is the memory the recording and its indexes hold.
func (r *Recorder) Bytes() int {
	return r.pcs.bytes(4) + r.memAt.bytes(4) + r.memAdr.bytes(8) + cap(r.sys)*64 + cap(r.writes)*24 +
		len(r.slots)*12 + r.idx.size()
}

// Step executes up to n instructions, recording them, and returns how many
// it executed; it stops early as VM.Step does: when the run ends, or after
// an instruction that hit a watchpoint.
func (r *Recorder) Step(n int) int {
	done := 0
	for done < n && !r.m.Done() {
		if r.full || r.pcs.len() >= r.maxSteps {
			r.Close()
			e := r.step(n - done)
			done += e
			if _, hit := r.m.WatchHit(); e == 0 || hit {
				break
			}
			continue
		}
		e := r.stepChunk(min(n-done, r.maxSteps-r.pcs.len()))
		done += e
		if _, hit := r.m.WatchHit(); e == 0 || hit {
			break // the run ended without executing anything, or a watch stops it
		}
	}
	return done
}

// Run records the run to its end and returns its result.
func (r *Recorder) Run() vm.Result {
	for !r.m.Done() {
		if r.Step(1<<16) == 0 && !r.m.Done() {
			break
		}
	}
	r.Close()
	return r.m.Result()
}

// stepChunk steps the chunk that starts at the VM's pc, at most n
// instructions, and records it.
func (r *Recorder) stepChunk(n int) int {
	pc := r.m.PC()
	if pc < 0 || pc >= len(r.slots) {
		e := r.step(1) // the run fails there without executing anything
		for range e {
			r.pcs.add(int32(pc))
		}
		r.ended()
		return e
	}
	s := r.slots[pc]
	k := min(int(s.chunk), n)
	step := int32(r.pcs.len())
	var addr uint64
	mem := false
	switch s.kind {
	case slotMem:
		regs := r.m.Registers()
		in, _ := ebpf.GetInsn(r.text, pc)
		addr, mem = ebpf.AccessAddr(in, &regs)
	case slotSyscall:
		regs := r.m.Registers()
		in, _ := ebpf.GetInsn(r.text, pc)
		r.curSys = int32(len(r.sys))
		r.sys = append(r.sys, syscallRec{step: step, args: [5]uint64(regs[1:6]), hash: uint32(in.Imm)})
	}
	e := r.step(k)
	r.curSys = -1
	if e == 0 && s.kind == slotSyscall {
		r.sys = r.sys[:len(r.sys)-1]
	}
	if e > 0 && mem {
		r.memAt.add(step)
		r.memAdr.add(addr)
	}
	for i := 0; i < e; i++ {
		r.pcs.add(int32(pc))
		if pc >= 0 && pc < len(r.slots) {
			pc += int(r.slots[pc].width)
		}
	}
	r.ended()
	return e
}

// ended notes whether the last step failed, once the run is over: an
// instruction that fails has no effect, except one that only exhausted
// the meter after it ran (src/vm.rs checks the meter after each
// instruction) or hit a watch that ended the run after it.
func (r *Recorder) ended() {
	if !r.m.Done() || r.pcs.len() == 0 {
		return
	}
	err := r.m.Result().Err
	var e *vm.Error
	r.failed = err != nil && !errors.Is(err, vm.ErrWatchStop) && !(errors.As(err, &e) && e.Kind == vm.ExceededMaxInstructions)
	r.m.Mapping().SetHostStoreHook(nil)
}

// effective is the number of recorded steps that had an effect.
func (r *Recorder) effective() int {
	if r.failed {
		return r.pcs.len() - 1
	}
	return r.pcs.len()
}

// syscallName names the syscall registered under hash.
func (r *Recorder) syscallName(hash uint32) string {
	if e, ok := r.m.Executable().Syscalls.Lookup(hash); ok && e.Func != nil && e.Func.Name != "" {
		return e.Func.Name
	}
	return fmt.Sprintf("syscall %#x", hash)
}
