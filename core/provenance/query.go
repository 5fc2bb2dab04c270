package provenance

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Location is a register or a range of VM memory.
type Location struct {
	// Reg is the register, 0-10, or -1 for memory.
	Reg int `json:"reg"`
	// Addr and Len are the memory range (Reg -1).
	Addr uint64 `json:"addr,omitempty"`
	Len  uint64 `json:"len,omitempty"`
}

// Reg is register n (0-10).
func Reg(n int) Location { return Location{Reg: n} }

// Mem is the n bytes of memory at addr.
func Mem(addr, n uint64) Location { return Location{Reg: -1, Addr: addr, Len: n} }

// IsReg reports whether the location is a register.
func (l Location) IsReg() bool { return l.Reg >= 0 }

// String is "r3" or "0x400000060+2".
func (l Location) String() string {
	if l.IsReg() {
		return fmt.Sprintf("r%d", l.Reg)
	}
	return fmt.Sprintf("%#x+%d", l.Addr, l.Len)
}

// Kind is how a link's value came about.
type Kind string

// The kinds of link. A chain's leaves are origins (constant, syscall,
// entry, input, rodata, stack, heap, memory, unrecorded, frame) or marks
// where it stops (seen, cut).
const (
	KindCompute    Kind = "compute"    // an ALU operation of the value's inputs
	KindCopy       Kind = "copy"       // mov from another register
	KindLoad       Kind = "load"       // loaded from memory
	KindStore      Kind = "store"      // stored from a register
	KindConstant   Kind = "constant"   // mov or st of an immediate, lddw, xor or sub of a register with itself
	KindSyscall    Kind = "syscall"    // a syscall's result in r0, or bytes a syscall wrote
	KindRestored   Kind = "restored"   // r6-r9 restored by exit to what the call saved
	KindFrame      Kind = "frame"      // r10: a frame pointer set by the entry, a call or an exit
	KindEntry      Kind = "entry"      // a register as the run started
	KindInput      Kind = "input"      // input region bytes as serialized, never written
	KindReadOnly   Kind = "rodata"     // read-only data of the program
	KindStack      Kind = "stack"      // stack bytes never written (zero)
	KindHeap       Kind = "heap"       // heap bytes never written (zero)
	KindMemory     Kind = "memory"     // other memory never written in the run
	KindUnrecorded Kind = "unrecorded" // set before the recording started
	KindSeen       Kind = "seen"       // explained by an earlier link (Ref)
	KindCut        Kind = "cut"        // not followed: the query's limits
)

// Link is one step of a chain: where the value at Loc came from.
type Link struct {
	// Parent is the index of the link whose input this one explains, -1
	// for the root; Depth is the root's 0 and grows by one per parent.
	Parent int `json:"parent"`
	Depth  int `json:"depth"`
	// Loc is what the link explains ("r3", "0x400000060+2"); Field names
	// bytes of a runtime run's input ("accounts[0].data[44..46]") or of
	// a stack frame, by the frame's depth and the offset from its r10
	// ("frame 2, r10-0xa8").
	Loc   string `json:"loc"`
	Field string `json:"field,omitempty"`
	Kind  Kind   `json:"kind"`
	// Step is the run's instruction (its VM.Executed() count before it:
	// 0 is the first instruction the run executed) that set the value, PC
	// its slot and Insn its text; Step and PC are -1 for origins that are
	// no instruction (entry, input, memory never written).
	Step int    `json:"step"`
	PC   int    `json:"pc"`
	Insn string `json:"insn,omitempty"`
	// Detail says what the instruction did with its inputs, or what the
	// origin is, in a sentence fragment.
	Detail string `json:"detail"`
	// Repeat counts the times the instruction ran in a row on its own
	// result (a loop's counter) that the link stands for, from FirstStep
	// up to Step; 0 when it ran once.
	Repeat    int `json:"repeat,omitempty"`
	FirstStep int `json:"first_step,omitempty"`
	// Ref is the earlier link a seen link refers to.
	Ref int `json:"ref,omitempty"`
}

// Chain answers a query: where the value of a location after At
// instructions came from, as a tree of links in depth-first order (each
// link after its parent, children in input order: dst before src).
type Chain struct {
	At    uint64 `json:"at"`
	Loc   string `json:"loc"`
	Field string `json:"field,omitempty"`
	Links []Link `json:"links"`
	// Truncated is set when the limits left inputs unexplained (their
	// links are of kind cut).
	Truncated bool `json:"truncated,omitempty"`
}

// Limits bound the work of a query.
type Limits struct {
	// MaxLinks bounds the links of a chain (0: 256).
	MaxLinks int
	// MaxDepth bounds the depth of a chain (0: 128).
	MaxDepth int
}

// MaxQueryBytes bounds the memory range a query may ask about.
const MaxQueryBytes = 4096

// Why explains where the value of loc after at instructions of the run
// (at as VM.Executed() counts, Base() <= at <= Base()+Steps()) came from.
func (r *Recorder) Why(at uint64, loc Location, lim Limits) (*Chain, error) {
	if at < r.base || at-r.base > uint64(r.pcs.len()) {
		return nil, fmt.Errorf("the recording holds the state after %d to %d instructions, not after %d",
			r.base, r.base+uint64(r.pcs.len()), at)
	}
	switch {
	case loc.IsReg() && loc.Reg > ebpf.StackReg:
		return nil, fmt.Errorf("r%d is not a register: they are r0 to r10", loc.Reg)
	case !loc.IsReg() && (loc.Len == 0 || loc.Len > MaxQueryBytes):
		return nil, fmt.Errorf("a memory range of %d bytes: ask about 1 to %d", loc.Len, MaxQueryBytes)
	case !loc.IsReg() && loc.Addr+loc.Len < loc.Addr:
		return nil, fmt.Errorf("the range %s wraps around the address space", loc)
	}
	if lim.MaxLinks <= 0 {
		lim.MaxLinks = 256
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = 128
	}
	r.update()
	step := min(int(at-r.base), r.effective())
	w := &walker{r: r, lim: lim, seen: map[key]int{}}
	c := &Chain{At: at, Loc: loc.String(), Field: r.field(loc)}
	if loc.IsReg() {
		w.reg(-1, 0, step, loc.Reg)
	} else {
		w.mem(-1, 0, step, loc.Addr, loc.Len)
	}
	c.Links, c.Truncated = w.links, w.cut
	return c, nil
}

// key identifies a value: a register as the step that set it left it (-1:
// as the recording started), or bytes as the step that wrote them left
// them (-1: as they were).
type key struct {
	step      int
	reg       int
	addr, len uint64
}

type walker struct {
	r     *Recorder
	lim   Limits
	links []Link
	seen  map[key]int
	cut   bool
}

// add appends l under parent and returns its index, or -1 when the chain
// is full (the parent's remaining inputs are cut).
func (w *walker) add(parent, depth int, l Link) int {
	if len(w.links) >= w.lim.MaxLinks {
		w.cut = true
		return -1
	}
	l.Parent, l.Depth = parent, depth
	w.links = append(w.links, l)
	return len(w.links) - 1
}

// room reports whether the chain has room for a link explaining loc at
// depth: false when the chain is full or the depth limit is reached (a
// cut link says so, if it fits).
func (w *walker) room(parent, depth int, loc Location) bool {
	if len(w.links) >= w.lim.MaxLinks {
		w.cut = true
		return false
	}
	if depth > w.lim.MaxDepth {
		w.cut = true
		w.add(parent, depth, Link{Loc: loc.String(), Field: w.r.field(loc), Kind: KindCut, Step: -1, PC: -1,
			Detail: fmt.Sprintf("not followed: deeper than %d links", w.lim.MaxDepth+1)})
		return false
	}
	return true
}

// again adds a seen link and reports true when the value k is explained
// by an earlier link already.
func (w *walker) again(parent, depth int, k key) (int, bool) {
	i, ok := w.seen[k]
	if !ok {
		return -1, false
	}
	l := w.links[i]
	return w.add(parent, depth, Link{Loc: l.Loc, Field: l.Field, Kind: KindSeen, Step: l.Step, PC: l.PC, Insn: l.Insn,
		Detail: fmt.Sprintf("explained above (link %d)", i), Ref: i}), true
}

// mark notes that link i explains the value k.
func (w *walker) mark(k key, i int) {
	if i >= 0 {
		w.seen[k] = i
	}
}

// insnAt is the instruction of a recorded step: its decoded first slot,
// its text and its slot.
func (w *walker) insnAt(step int) (ebpf.Insn, asm.Line, int) {
	pc := int(w.r.pcs.at(step))
	l, _ := asm.DecodeAt(w.r.text, pc)
	return l.Insn, l, pc
}

// reg explains register reg before step.
func (w *walker) reg(parent, depth, step, reg int) {
	r := w.r
	loc := Reg(reg)
	if !w.room(parent, depth, loc) {
		return
	}
	name := loc.String()
	d, pos := r.lastDef(reg, step)
	// The value is the register as step d set it (-1: as the recording
	// started).
	k := key{step: d, reg: reg}
	if _, ok := w.again(parent, depth, k); ok {
		return
	}
	if d < 0 {
		w.mark(k, w.add(parent, depth, r.entryLink(reg)))
		return
	}
	in, line, pc := w.insnAt(d)
	l := Link{Loc: name, Step: int(r.base) + d, PC: pc, Insn: line.Desc}
	var inputs []int // registers before step d to explain
	var memIn *Location
	switch s := r.slots[pc]; {
	case s.kind == slotSyscall:
		l.Kind = KindSyscall
		l.Detail = "returned by " + r.syscallCall(d)
	case s.kind == slotCall:
		l.Kind, l.Detail = KindFrame, "the frame pointer of the frame this call entered"
	case s.kind == slotExit && reg == ebpf.StackReg:
		l.Kind, l.Detail = KindFrame, "the caller's frame pointer, restored on return"
	case s.kind == slotExit:
		l.Kind = KindRestored
		call := r.callOf(d)
		if call < 0 {
			l.Detail = "restored on return, as saved by a call before the recording started"
			w.mark(k, w.add(parent, depth, l))
			return
		}
		l.Detail = fmt.Sprintf("restored on return, as saved by the call at step %d", int(r.base)+call)
		i := w.add(parent, depth, l)
		w.mark(k, i)
		if i >= 0 {
			w.reg(i, depth+1, call, reg)
		}
		return
	case s.kind == slotMem:
		addr := r.memAdr.at(r.memIndex(d))
		n := in.Opc.AccessSize()
		m := Mem(addr, n)
		memIn = &m
		l.Kind = KindLoad
		l.Detail = fmt.Sprintf("loaded %s at %#x%s", bytesText(n), addr, paren(r.field(m)))
	case in.Opc == ebpf.LdDwImm:
		l.Kind, l.Detail = KindConstant, fmt.Sprintf("the constant %#x", uint64(line.Imm))
	default:
		l.Kind, l.Detail, inputs = aluOrigin(in)
	}
	for _, in := range inputs {
		if in > ebpf.StackReg { // not expected: such instructions fail without effect
			l.Kind, l.Detail, inputs = KindCut, "set by this instruction; not followed", nil
			break
		}
	}
	// A loop's instruction that updates the register from itself alone
	// (add64 r1, 1) is one link for all its runs in a row.
	if len(inputs) == 1 && inputs[0] == reg && memIn == nil {
		first, defs := d, &r.idx.defs[reg]
		for p := pos - 1; p >= 0 && r.pcs.at(int(defs.at(p))) == int32(pc); p-- {
			first = int(defs.at(p))
			l.Repeat++
		}
		if l.Repeat > 0 {
			l.Repeat++
			l.FirstStep = int(r.base) + first
			l.Detail += fmt.Sprintf("; ran %d times in a row on its own result, from step %d", l.Repeat, l.FirstStep)
			d = first
		}
	}
	i := w.add(parent, depth, l)
	w.mark(k, i)
	if i < 0 {
		return
	}
	if memIn != nil {
		w.mem(i, depth+1, d, memIn.Addr, memIn.Len)
	}
	for _, in := range inputs {
		w.reg(i, depth+1, d, in)
	}
}

// aluOrigin describes an ALU operation's result and lists the registers
// it is computed from.
func aluOrigin(in ebpf.Insn) (Kind, string, []int) {
	dst, src := int(in.Dst), int(in.Src)
	op := in.Opc.Operation()
	switch in.Opc.Form() {
	case ebpf.FormAluImm:
		if op == ebpf.OpMov {
			v := uint64(int64(in.Imm)) // mov64 sign-extends the immediate
			if in.Opc.Class() == ebpf.ClassAlu {
				v = uint64(uint32(in.Imm)) // mov32 zero-extends it
			}
			return KindConstant, fmt.Sprintf("the constant %#x", v), nil
		}
		return KindCompute, fmt.Sprintf("computed from r%d and the constant %#x", dst, in.Imm), []int{dst}
	case ebpf.FormAluReg:
		switch {
		case op == ebpf.OpMov && in.Opc.Class() == ebpf.ClassAlu:
			return KindCopy, fmt.Sprintf("the low 32 bits of r%d", src), []int{src}
		case op == ebpf.OpMov:
			return KindCopy, fmt.Sprintf("copied from r%d", src), []int{src}
		case dst == src && (op == ebpf.OpXor || op == ebpf.OpSub):
			return KindConstant, fmt.Sprintf("the constant 0 (r%d with itself)", dst), nil
		case dst == src:
			return KindCompute, fmt.Sprintf("computed from r%d", dst), []int{dst}
		}
		return KindCompute, fmt.Sprintf("computed from r%d and r%d", dst, src), []int{dst, src}
	case ebpf.FormUnary, ebpf.FormEndian: // neg, le, be
		return KindCompute, fmt.Sprintf("computed from r%d", dst), []int{dst}
	}
	return KindCut, "set by this instruction; not followed", nil
}

// memIndex is the memAt index of a recorded load or store step.
func (r *Recorder) memIndex(step int) int {
	return r.memAt.search(func(s int32) bool { return int(s) < step })
}

// mem explains the n bytes at addr before step: one link per run of
// bytes with the same writer.
func (w *walker) mem(parent, depth, step int, addr, n uint64) {
	r := w.r
	if !w.room(parent, depth, Mem(addr, n)) {
		return
	}
	ws := make([]writer, n)
	for i := range ws {
		ws[i] = r.lastWrite(addr+uint64(i), step)
	}
	for start := uint64(0); start < n; {
		end := start + 1
		for end < n && ws[end] == ws[start] {
			end++
		}
		if w.written(parent, depth, Mem(addr+start, end-start), ws[start]) < 0 && len(w.links) >= w.lim.MaxLinks {
			w.cut = true
			break
		}
		start = end
	}
}

// written adds the link of bytes loc that wr wrote (or nothing did) and
// explains its inputs.
func (w *walker) written(parent, depth int, loc Location, wr writer) int {
	k := key{step: wr.step, reg: -1, addr: loc.Addr, len: loc.Len}
	if i, ok := w.again(parent, depth, k); ok {
		return i
	}
	i := w.writtenLink(parent, depth, loc, wr)
	w.mark(k, i)
	return i
}

// writtenLink is written's link and its inputs' links.
func (w *walker) writtenLink(parent, depth int, loc Location, wr writer) int {
	r := w.r
	l := Link{Loc: loc.String(), Field: r.field(loc), Step: -1, PC: -1}
	switch {
	case wr.mem >= 0:
		in, line, pc := w.insnAt(wr.step)
		l.Step, l.PC, l.Insn = int(r.base)+wr.step, pc, line.Desc
		if in.Opc.Form() == ebpf.FormStoreImm {
			l.Kind, l.Detail = KindConstant, fmt.Sprintf("stored the constant %#x", in.Imm)
			return w.add(parent, depth, l)
		}
		l.Kind, l.Detail = KindStore, fmt.Sprintf("stored from r%d", in.Src)
		if off := loc.Addr - r.memAdr.at(wr.mem); off > 0 || loc.Len < in.Opc.AccessSize() {
			l.Detail += fmt.Sprintf(" (bytes %d..%d of the %s stored)", off, off+loc.Len, bytesText(in.Opc.AccessSize()))
		}
		i := w.add(parent, depth, l)
		if i >= 0 {
			w.reg(i, depth+1, wr.step, int(in.Src))
		}
		return i
	case wr.write >= 0:
		sw := r.writes[wr.write]
		s := r.sys[sw.sys]
		_, line, pc := w.insnAt(wr.step)
		l.Step, l.PC, l.Insn, l.Kind = int(r.base)+wr.step, pc, line.Desc, KindSyscall
		name := r.syscallName(s.hash)
		if name == "sol_memcpy_" || name == "sol_memmove_" {
			// dst = r1, src = r2, n = r3 (programs/bpf_loader/src/syscalls.rs)
			src := s.args[1] + (loc.Addr - s.args[0])
			if loc.Addr-s.args[0] < s.args[2] {
				l.Detail = fmt.Sprintf("copied by %s from %#x%s", name, src, paren(r.field(Mem(src, loc.Len))))
				i := w.add(parent, depth, l)
				if i >= 0 {
					w.mem(i, depth+1, wr.step, src, loc.Len)
				}
				return i
			}
		}
		l.Detail = "written by " + r.syscallCall(wr.step)
		return w.add(parent, depth, l)
	}
	l.Kind, l.Detail = r.initial(loc)
	return w.add(parent, depth, l)
}

// syscallCall is the syscall a step called, with its arguments:
// "sol_log_(r1=0x100000010, r2=0x5, r3=0x0, r4=0x0, r5=0x0)".
func (r *Recorder) syscallCall(step int) string {
	i := sortSearchSys(r.sys, step)
	if i >= len(r.sys) || int(r.sys[i].step) != step {
		return "a syscall"
	}
	s := r.sys[i]
	a := make([]string, 5)
	for j, v := range s.args {
		a[j] = fmt.Sprintf("r%d=%#x", j+1, v)
	}
	return r.syscallName(s.hash) + "(" + strings.Join(a, ", ") + ")"
}

func sortSearchSys(sys []syscallRec, step int) int {
	lo, hi := 0, len(sys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(sys[m].step) < step {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// entryLink is the origin of a register nothing set since the recording
// started.
func (r *Recorder) entryLink(reg int) Link {
	l := Link{Loc: Reg(reg).String(), Step: -1, PC: -1, Kind: KindEntry}
	v := r.entry[reg]
	switch {
	case !r.atRoot:
		l.Kind, l.Detail = KindUnrecorded, fmt.Sprintf("%#x when the recording started, after %d instructions", v, r.base)
	case reg == ebpf.StackReg:
		l.Kind, l.Detail = KindFrame, fmt.Sprintf("the root frame's pointer %#x, set at the entrypoint", v)
	case reg == 1 && v == ebpf.MMInputStart:
		l.Detail = fmt.Sprintf("the input region's address %#x, set at the entrypoint", v)
	default:
		l.Detail = fmt.Sprintf("%#x at the entrypoint", v)
	}
	return l
}

// initial is the origin of memory nothing wrote since the recording
// started, by the region it is in.
func (r *Recorder) initial(loc Location) (Kind, string) {
	if !r.atRoot {
		return KindUnrecorded, fmt.Sprintf("as it was when the recording started, after %d instructions", r.base)
	}
	switch loc.Addr &^ (ebpf.MMProgramStart - 1) {
	case ebpf.MMInputStart:
		if r.field(loc) != "" { // the link's Field names it
			return KindInput, "the input as serialized, never written"
		}
		return KindInput, fmt.Sprintf("the input at offset %#x, never written", loc.Addr-ebpf.MMInputStart)
	case ebpf.MMProgramStart:
		for _, s := range r.m.Executable().Program.ROSections {
			if loc.Addr-s.Vaddr < uint64(len(s.Data)) {
				return KindReadOnly, fmt.Sprintf("read-only data at %s+%#x", s.Name, loc.Addr-s.Vaddr)
			}
		}
		return KindReadOnly, "the program region"
	case ebpf.MMStackStart:
		return KindStack, "the stack, never written (zero)"
	case ebpf.MMHeapStart:
		return KindHeap, "the heap, never written (zero)"
	}
	return KindMemory, "never written in the run"
}

// field names the bytes of loc: a runtime run's input field
// ("accounts[0].data[44..46]"), or bytes of a stack frame by the frame's
// depth and their offset from its r10 ("frame 2, r10-0xa8"); "" for
// registers and other memory.
func (r *Recorder) field(loc Location) string {
	if loc.IsReg() {
		return ""
	}
	if loc.Addr&^(ebpf.MMProgramStart-1) == ebpf.MMStackStart {
		return r.stackName(loc.Addr)
	}
	if r.in == nil || loc.Addr < ebpf.MMInputStart {
		return ""
	}
	off := loc.Addr - ebpf.MMInputStart
	if off >= uint64(len(r.in.Bytes)) || loc.Len > uint64(len(r.in.Bytes))-off {
		return ""
	}
	return r.in.RangeName(int(off), int(loc.Len))
}

// stackName names a stack address by its frame and offset from the
// frame's r10: frame i's stack starts at MMStackStart + 2i frame sizes and
// its r10 is its start plus the gap (vm.CallFrames).
func (r *Recorder) stackName(addr uint64) string {
	size := uint64(r.m.Executable().Config.StackFrameSize)
	shift := r.m.CallFrames().Region().GapShift
	if size == 0 || shift >= 63 {
		return ""
	}
	off := addr - ebpf.MMStackStart
	frame := off / (2 * size)
	top := frame*2*size + 1<<shift
	if off-frame*2*size >= 1<<shift || frame >= uint64(r.m.CallFrames().Depth()) {
		return ""
	}
	return fmt.Sprintf("frame %d, r10-%#x", frame, top-off)
}

func bytesText(n uint64) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
