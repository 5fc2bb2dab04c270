package progen

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// deepGen writes a long program as assembly, for FuzzDeepDifferential:
// where Generate (gen.go) throws every opcode at the engines and most
// runs end within a few instructions, this one builds programs that run
// long and deep, so that the engines are compared on what real programs
// do: backward loops (nested, under the meter), calls and callx into
// functions, loads and stores that stay inside the stack, the input and
// the heap, and syscalls reading and writing memory. Failures still happen
// (the meter runs out mid-loop, a call goes too deep, a syscall refuses
// its arguments) but late.
type deepGen struct {
	s      *ByteSource
	g      *Case
	b      strings.Builder
	labels int
	fns    int // functions fn1..fns, defined after main
	fn     int // the function being written (0: main)
	depth  int // loop nesting
}

// GenerateDeep builds a deep program from fuzz bytes.
func GenerateDeep(data []byte) Case {
	s := &ByteSource{Data: data}
	h := s.byte()
	g := Case{Config: vm.DefaultConfig(), Functions: map[uint32]int{}}
	g.Blind = h&1 != 0
	g.Config.EnableInstructionMeter = h&2 == 0 || h&4 == 0 // off in a quarter (see blocks: bounded anyway)
	// Enough for thousands of loop iterations; more would make a jitguard
	// run (which copies every region at each syscall) take seconds.
	g.Budget = 1 << 17
	switch {
	case h&8 != 0 && h&16 != 0:
		g.Config.EnableInstructionTracing = true
		g.Budget = 4096
		g.MaxTrace = []int{0, 1, 300, 1024, 1025, 3000}[s.pick(6)]
	case h&32 != 0:
		g.Budget = uint64(50 + s.pick(3000)) // the meter runs out somewhere inside
	}
	if h&64 != 0 {
		g.Config.MaxCallDepth = 2 + s.pick(4)
	}
	g.InputLen = 64 + 8*s.pick(32)
	if h&128 != 0 {
		g.Heap = 256
	}
	d := &deepGen{s: s, g: &g, fns: 1 + s.pick(4)}
	d.line("mov64 r8, r1")
	if g.Heap > 0 {
		d.line("lddw r9, %#x", ebpf.MMHeapStart)
	} else {
		d.line("mov64 r9, r10")
		d.line("sub64 r9, 512") // a second pointer into the stack frame
	}
	for r := 0; r <= 5; r++ {
		if r != 1 {
			d.line("mov64 r%d, %d", r, int32(s.u32())>>s.pick(32))
		}
	}
	d.blocks(8 + s.pick(16))
	d.line("exit")
	for d.fn = 1; d.fn <= d.fns; d.fn++ {
		// Not an `r...` mnemonic first: v0.2.8's grammar would read it as
		// an operand of the exit before.
		fmt.Fprintf(&d.b, "fn%d:\n", d.fn)
		d.line("add64 r0, 1")
		d.blocks(1 + s.pick(6))
		d.line("exit")
	}
	g.Text = d.assemble()
	return g
}

func (d *deepGen) line(format string, args ...any) {
	fmt.Fprintf(&d.b, "  "+format+"\n", args...)
}

func (d *deepGen) label() string {
	d.labels++
	return fmt.Sprintf("l%d", d.labels)
}

// blocks writes n blocks of straight code, loops, calls or syscalls.
func (d *deepGen) blocks(n int) {
	for range n {
		switch k := d.s.byte() % 16; {
		case k < 4:
			d.alu()
		case k < 7:
			d.access()
		case k < 10 && d.depth < 2 && (d.fn == 0 || d.g.Config.EnableInstructionMeter):
			// Without the meter only main loops, so that loops around
			// calls of looping functions cannot multiply without bound.
			d.loop()
		case k < 11 && d.fn < d.fns:
			d.line("call fn%d", d.fn+1+d.s.pick(d.fns-d.fn))
		case k < 12 && d.fn < d.fns:
			d.line("lddw r5, @fn%d", d.fn+1+d.s.pick(d.fns-d.fn))
			d.line("callx 5")
		case k < 14:
			d.syscall()
		case k < 15:
			skip := d.label()
			d.line("%s r%d, %d, %s", []string{"jeq", "jgt", "jsgt", "jset", "jne", "jle"}[d.s.pick(6)], d.s.pick(6), int8(d.s.byte()), skip)
			d.alu()
			d.access()
			fmt.Fprintf(&d.b, "%s:\n", skip)
		default:
			d.alu()
		}
	}
}

// alu writes one ALU operation on r0-r5; divisors are never zero.
func (d *deepGen) alu() {
	s := d.s
	ops := []string{"add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "mod", "xor", "mov", "arsh", "neg"}
	op := ops[s.pick(len(ops))]
	w := []string{"64", "32"}[s.pick(2)]
	dst := s.pick(6)
	if op == "neg" {
		d.line("neg%s r%d", w, dst)
		return
	}
	if s.byte()%2 == 0 {
		src := s.pick(6)
		if op == "div" || op == "mod" {
			d.line("or64 r%d, 1", src)
		}
		d.line("%s%s r%d, r%d", op, w, dst, src)
		return
	}
	imm := genImms[s.pick(len(genImms))]
	if (op == "div" || op == "mod") && imm == 0 {
		imm = 7
	}
	d.line("%s%s r%d, %d", op, w, dst, imm)
}

// access writes a load or store that stays inside a region: the input
// (r8), the heap or the frame's upper half (r9), or the stack frame (r10).
func (d *deepGen) access() {
	s := d.s
	size := 1 << s.pick(4)
	suffix := map[int]string{1: "b", 2: "h", 4: "w", 8: "dw"}[size]
	var base string
	var off int
	switch s.pick(3) {
	case 0:
		base, off = "r8", s.pick(d.g.InputLen-size+1)
	case 1:
		if d.g.Heap > 0 {
			base, off = "r9", s.pick(d.g.Heap-size+1)
		} else {
			base, off = "r9", s.pick(512-size+1)
		}
	default:
		base, off = "r10", -size-s.pick(d.g.Config.StackFrameSize-size+1)
	}
	mem := fmt.Sprintf("[%s%+d]", base, off)
	switch s.pick(3) {
	case 0:
		d.line("ldx%s r%d, %s", suffix, s.pick(6), mem)
	case 1:
		d.line("stx%s %s, r%d", suffix, mem, s.pick(6))
	default:
		d.line("st%s %s, %d", suffix, mem, int32(s.u32()))
	}
}

// loop writes a counted backward loop (r6 outside, r7 inside) of 2-33
// iterations around more blocks.
func (d *deepGen) loop() {
	counter := 6 + d.depth
	top := d.label()
	d.line("mov64 r%d, %d", counter, 2+d.s.pick(32))
	fmt.Fprintf(&d.b, "%s:\n", top)
	d.depth++
	d.blocks(1 + d.s.pick(4))
	d.depth--
	d.line("sub64 r%d, 1", counter)
	d.line("jne r%d, 0, %s", counter, top)
}

// syscall calls one of Syscalls with arguments inside the input.
func (d *deepGen) syscall() {
	s := d.s
	switch s.pick(4) {
	case 0: // bpf_mem_frob(input + off, len)
		d.line("mov64 r1, r8")
		d.line("add64 r1, %d", s.pick(32))
		d.line("mov64 r2, %d", s.pick(32))
		d.line("call 0x12")
	case 1: // bpf_gather_bytes(r1..r5)
		d.line("mov64 r1, r%d", s.pick(6))
		d.line("call 0x11")
	case 2: // log_64
		d.line("call 0x13")
	default: // bpf_str_cmp(input, input + off)
		d.line("mov64 r1, r8")
		d.line("mov64 r2, r8")
		d.line("add64 r2, %d", s.pick(32))
		d.line("call 0x14")
	}
}

// assemble turns the text into bytes, resolving `@fnN` (a function's
// address, for callx) in a second pass, and registers the functions.
func (d *deepGen) assemble() []byte {
	src := d.b.String()
	first, err := asm.AssembleProgram(resolveAt(src, nil))
	if err != nil {
		panic(fmt.Sprintf("generated program does not assemble: %v\n%s", err, src))
	}
	p, err := asm.AssembleProgram(resolveAt(src, first.Labels))
	if err != nil {
		panic(fmt.Sprintf("generated program does not assemble: %v\n%s", err, src))
	}
	for name, pc := range p.Functions {
		d.g.Functions[ebpf.HashSymbolName([]byte(name))] = pc
	}
	return p.Bytes
}

// resolveAt replaces every `@name` by the address of label name (0 when
// labels is nil).
func resolveAt(src string, labels map[string]int) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(src, '@')
		if i < 0 {
			b.WriteString(src)
			return b.String()
		}
		b.WriteString(src[:i])
		j := i + 1
		for j < len(src) && src[j] != '\n' {
			j++
		}
		addr := uint64(0)
		if labels != nil {
			addr = ebpf.MMProgramStart + uint64(labels[src[i+1:j]])*ebpf.InsnSize
		}
		fmt.Fprintf(&b, "%#x", addr)
		src = src[j:]
	}
}
