package profile

import (
	"errors"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// Recorder steps a VM and counts the units of every instruction, block,
// function and call stack. See the package documentation for what it
// charges where and what it costs.
type Recorder struct {
	m     *vm.VM
	g     *cfg.Graph
	slots int
	// chunk[pc] is how many instructions from slot pc run one after the
	// other: through the first jump, call, exit or instruction that
	// fails statically, at most.
	chunk []int32
	// width[pc] is the slots of the instruction in slot pc (2 for lddw).
	width []uint8
	// sysAt[pc] indexes sites when slot pc calls a syscall, else is -1.
	sysAt []int32
	sites []site

	counts, units []uint64 // per slot: executions, units charged
	entered       []int32  // per slot: the function a call there enters, -1 before the first
	fns           []fnInfo
	fnAt          map[fnKey]int32
	nodes         []node
	stack         []int32 // node of each frame, the root's first

	seen     uint64 // units consumed when last looked at
	executed uint64
}

// fnInfo is a function or a syscall as the recorder keys it.
type fnInfo struct {
	name    string
	start   int // first slot, -1 for a syscall
	syscall bool
}

// site is a syscall a call instruction names: its hash and its name.
type site struct {
	hash uint32
	name string
}

type fnKey struct {
	start   int    // function start slot
	hash    uint32 // syscall hash
	syscall bool
}

// node is one distinct call stack: its innermost function under the
// parent stack.
type node struct {
	parent int32 // -1 for a root
	fn     int32
	calls  uint64 // times this stack was entered
	self   uint64 // units charged with this stack innermost
	// children are the nodes of the functions called from this stack,
	// few enough to search in order.
	children []int32
}

// NewRecorder prepares to record m, which may already have run: its
// current call frames become the stack the recording starts from, named
// by the functions holding their pcs. g is the program's control-flow
// graph and names its functions; nil builds one from the executable's call
// map, naming functions "entrypoint" and "function_<pc>".
func NewRecorder(m *vm.VM, g *cfg.Graph) (*Recorder, error) {
	if m == nil {
		return nil, errors.New("profile: no VM")
	}
	text := m.Text()
	if g == nil {
		p := m.Executable().Program
		g = cfg.Build(text, cfg.Options{Entry: p.Entrypoint, CallTargets: p.Calls})
	}
	slots := len(text) / ebpf.InsnSize
	if g.Slots != slots {
		return nil, fmt.Errorf("profile: the graph has %d instruction slots, the VM's program %d", g.Slots, slots)
	}
	r := &Recorder{
		m: m, g: g, slots: slots,
		counts: make([]uint64, slots), units: make([]uint64, slots), entered: make([]int32, slots),
		fnAt: map[fnKey]int32{},
	}
	for pc := range r.entered {
		r.entered[pc] = -1
	}
	r.decode(text)
	r.startStack()
	r.seen = r.consumed()
	return r, nil
}

// decode fills chunk, width and sysAt from the text.
func (r *Recorder) decode(text []byte) {
	n := r.slots
	r.chunk, r.width, r.sysAt = make([]int32, n), make([]uint8, n), make([]int32, n)
	names := map[int]string{} // the graph's names of syscall calls
	for _, c := range r.g.Calls {
		if !c.Reg && c.Target < 0 {
			names[c.PC] = c.Name
		}
	}
	for pc := n - 1; pc >= 0; pc-- {
		in, _ := ebpf.GetInsn(text, pc)
		r.width[pc], r.sysAt[pc], r.chunk[pc] = 1, -1, 1
		if in.Opc == ebpf.LdDwImm {
			r.width[pc] = 2
		}
		f, _ := ebpf.StaticFailure(in, pc, n)
		if in.Opc == ebpf.CallImm && f == ebpf.NoFailure {
			if e, ok := r.m.Executable().Syscalls.Lookup(uint32(in.Imm)); ok {
				r.sysAt[pc] = int32(len(r.sites))
				r.sites = append(r.sites, site{e.Hash, syscallName(e, names[pc])})
			}
		}
		ends := f != ebpf.NoFailure || in.Opc.IsJump() || in.Opc == ebpf.CallImm || in.Opc == ebpf.CallReg || in.Opc == ebpf.Exit
		if next := pc + int(r.width[pc]); !ends && next < n {
			r.chunk[pc] = 1 + r.chunk[next]
		}
	}
}

// syscallName names a syscall as the program does (the graph's name for
// the call, graphName), else as the registry does.
func syscallName(e *vm.SyscallEntry, graphName string) string {
	switch {
	case graphName != "":
		return graphName
	case e.Func != nil && e.Func.Name != "":
		return e.Func.Name
	}
	return fmt.Sprintf("syscall_%#x", e.Hash)
}

// syscall is the function index of the syscall at a site, added when it
// is first called.
func (r *Recorder) syscall(s site) int32 {
	return r.function(fnKey{hash: s.hash, syscall: true}, fnInfo{name: s.name, start: -1, syscall: true})
}

// function returns the index of the function keyed k, adding it as f.
func (r *Recorder) function(k fnKey, f fnInfo) int32 {
	if i, ok := r.fnAt[k]; ok {
		return i
	}
	i := int32(len(r.fns))
	r.fns = append(r.fns, f)
	r.fnAt[k] = i
	return i
}

// codeFunction is the function a frame entered at slot pc runs: the
// graph's function starting there, else function_<pc>.
func (r *Recorder) codeFunction(pc int) int32 {
	if pc >= 0 && pc < r.slots && r.entered[pc] >= 0 {
		return r.entered[pc]
	}
	name := fmt.Sprintf("function_%d", pc)
	if b := r.g.BlockAt(pc); b >= 0 {
		if f := r.g.Functions[r.g.Blocks[b].Function]; f.Start == pc {
			name = f.Name
		}
	}
	i := r.function(fnKey{start: pc}, fnInfo{name: name, start: pc})
	if pc >= 0 && pc < r.slots {
		r.entered[pc] = i
	}
	return i
}

// containing is the function holding slot pc, for frames whose entry is
// not known (those of a VM that ran before recording).
func (r *Recorder) containing(pc int) int32 {
	if b := r.g.BlockAt(pc); b >= 0 {
		return r.codeFunction(r.g.Functions[r.g.Blocks[b].Function].Start)
	}
	return r.codeFunction(pc)
}

// startStack names the VM's current frames: each frame below the current
// one is at the call it made (the slot before its return pc).
func (r *Recorder) startStack() {
	frames := r.m.Frames()
	parent := int32(-1)
	for i := range frames {
		pc := r.m.PC()
		if i < len(frames)-1 {
			pc = frames[i].ReturnPC - 1
		}
		parent = r.enter(parent, r.containing(pc))
		r.stack = append(r.stack, parent)
	}
}

// enter returns the node of fn called from parent and counts the call.
func (r *Recorder) enter(parent, fn int32) int32 {
	id := int32(-1)
	if parent >= 0 {
		for _, c := range r.nodes[parent].children {
			if r.nodes[c].fn == fn {
				id = c
				break
			}
		}
	} else {
		for c := range r.nodes {
			if r.nodes[c].parent < 0 && r.nodes[c].fn == fn {
				id = int32(c)
			}
		}
	}
	if id < 0 {
		id = int32(len(r.nodes))
		r.nodes = append(r.nodes, node{parent: parent, fn: fn})
		if parent >= 0 {
			r.nodes[parent].children = append(r.nodes[parent].children, id)
		}
	}
	r.nodes[id].calls++
	return id
}

// consumed is what the run has consumed so far: the meter's units, or the
// instructions executed when the meter is off.
func (r *Recorder) consumed() uint64 {
	if ms := r.m.Meter(); ms.Enabled {
		return ms.Initial - ms.Remaining
	}
	return r.m.Executed()
}

// Step executes up to n instructions, recording them, and returns how many
// it executed; it stops early when the program ends or after an
// instruction that hit a watchpoint, as VM.Step does.
func (r *Recorder) Step(n int) int {
	done := 0
	for done < n && !r.m.Done() {
		pc := r.m.PC()
		k := 1
		if pc >= 0 && pc < r.slots {
			k = int(r.chunk[pc])
		}
		k = min(k, n-done)
		depth := r.m.CallFrames().Index()
		e := r.m.Step(k)
		r.account(pc, e, depth)
		done += e
		if _, hit := r.m.WatchHit(); e == 0 || hit {
			break // the run ended without executing anything (an overrun), or a watch stops it
		}
	}
	return done
}

// Run records the run to its end and returns its result.
func (r *Recorder) Run() vm.Result {
	for !r.m.Done() {
		r.Step(1 << 16)
	}
	return r.m.Result()
}

// account charges the e instructions executed from slot pc, with depth
// the frame index before them. Only the last of them may have called,
// returned or jumped.
func (r *Recorder) account(pc, e, depth int) {
	now := r.consumed()
	spent := now - r.seen
	r.seen = now
	r.executed += uint64(e)
	top := r.stack[len(r.stack)-1]
	last := -1
	for i := 0; i < e && pc >= 0 && pc < r.slots; i++ {
		r.counts[pc]++
		if spent > 0 {
			r.units[pc]++
			r.nodes[top].self++
			spent--
		}
		last = pc
		pc += int(r.width[pc])
	}
	if last >= 0 && r.sysAt[last] >= 0 {
		sys := r.enter(top, r.syscall(r.sites[r.sysAt[last]]))
		r.nodes[sys].self += spent
		r.units[last] += spent
		spent = 0
	}
	if spent > 0 { // not expected: the meter moved without an instruction
		r.nodes[top].self += spent
	}
	if r.m.Done() {
		return
	}
	switch d := r.m.CallFrames().Index(); {
	case d > depth:
		r.stack = append(r.stack, r.enter(top, r.codeFunction(r.m.PC())))
	case d < depth && len(r.stack) > 1:
		r.stack = r.stack[:len(r.stack)-1]
	}
}
