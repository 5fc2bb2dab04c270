package progen

import (
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ByteSource hands out fuzz input bytes, then zeros.
type ByteSource struct {
	Data []byte
	pos  int
}

func (s *ByteSource) byte() byte {
	if s.pos >= len(s.Data) {
		return 0
	}
	b := s.Data[s.pos]
	s.pos++
	return b
}

func (s *ByteSource) u16() uint16 { return uint16(s.byte()) | uint16(s.byte())<<8 }
func (s *ByteSource) u32() uint32 { return uint32(s.u16()) | uint32(s.u16())<<16 }
func (s *ByteSource) pick(n int) int {
	if n <= 1 {
		return 0
	}
	return int(s.u16()) % n
}

// Case is a generated program and the set-up to run it with.
type Case struct {
	Text      []byte
	Config    vm.Config
	Budget    uint64
	InputLen  int
	Heap      int // bytes of a heap region at MMHeapStart (0: none)
	Extra     bool
	Functions map[uint32]int
	Blind     bool
	MaxTrace  int // RunOptions.MaxTraceEntries
}

// Syscalls the generated programs may call, by hash: all deterministic.
var Syscalls = []struct {
	Hash uint32
	Fn   *vm.SyscallFunc
}{
	{0x11, vm.BpfGatherBytes},
	{0x12, vm.BpfMemFrob},
	{0x13, vm.SyscallU64},
	{0x14, vm.BpfStrCmp},
	{0x15, vm.SyscallWithContextFunc},
	{0x16, vm.SyscallString},
}

var genImms = []int32{0, 1, -1, 2, 7, 8, 16, 31, 32, 33, 63, 64, 65, 0x7fffffff, -0x80000000, 0x10000, 4095, 4096}

var genOffs = []int16{0, 1, -1, -8, 8, -4096, 4095, 4096, -4097, 0x7fff, -0x8000, 63, 1023, 1024}

// Generate builds a program from fuzz bytes. Every opcode can appear,
// including invalid ones; addresses gravitate to region edges; jumps are
// forward-only when the meter is off so that every program ends.
func Generate(data []byte) Case {
	s := &ByteSource{Data: data}
	h := s.byte()
	g := Case{Config: vm.DefaultConfig(), Functions: map[uint32]int{}}
	g.Config.EnableInstructionTracing = h&1 != 0
	g.Config.EnableInstructionMeter = h&2 == 0
	g.Blind = h&4 != 0
	g.Extra = h&8 != 0
	if h&16 != 0 {
		g.Config.MaxCallDepth = 1 + s.pick(5)
	}
	if h&32 != 0 {
		g.Config.StackFrameSize = []int{64, 512, 4096, 100}[s.pick(4)]
	}
	g.Budget = uint64(s.pick(60))
	if h&64 != 0 {
		g.Budget = 1 << 20
		if g.Config.EnableInstructionTracing {
			g.Budget = 1 << 12 // a trace entry is 96 bytes per engine
		}
	}
	g.InputLen = []int{0, 1, 7, 64, 300}[s.pick(5)]
	if h&128 != 0 {
		g.Heap = []int{0, 8, 64, 4096}[s.pick(4)]
	}
	n := 2 + s.pick(48)
	var insns []ebpf.Insn
	for r := uint8(2); r <= 5; r++ {
		if s.byte()%8 != 0 {
			v := Address(s, &g)
			insns = append(insns, ebpf.Insn{Opc: ebpf.LdDwImm, Dst: r, Imm: int32(uint32(v))}, ebpf.Insn{Imm: int32(uint32(v >> 32))})
		}
	}
	// Jumps are generated relative to the slot they land in; the final slot
	// count is about n plus the prologue and the second halves of lddw.
	approx := n + len(insns) + n/16
	for i := 0; i < n; i++ {
		insns = append(insns, genInsn(s, &g, len(insns), approx)...)
	}
	insns = append(insns, ebpf.Insn{Opc: ebpf.Exit})
	for i := 0; i < 3; i++ {
		g.Functions[0x100+uint32(i)] = s.pick(len(insns) + 2)
	}
	g.Text = ebpf.Encode(insns)
	return g
}

// genInsn makes one instruction (two for lddw) for slot pc of about n.
func genInsn(s *ByteSource, g *Case, pc, n int) []ebpf.Insn {
	reg := func() uint8 {
		if s.byte() == 0xff {
			return 11 + s.byte()%5
		}
		return s.byte() % 11
	}
	imm := func() int32 {
		if b := s.byte(); b < 128 {
			return genImms[int(b)%len(genImms)]
		}
		return int32(s.u32())
	}
	base := func() uint8 {
		if b := s.byte(); b < 200 {
			return []uint8{1, 10, 2, 3, 4, 5}[b%6]
		}
		return reg()
	}
	off := func() int16 {
		if b := s.byte(); b < 128 {
			return int16(s.byte()%64) &^ 3
		} else if b < 200 {
			return genOffs[int(b)%len(genOffs)]
		}
		return int16(s.u16())
	}
	meter := g.Config.EnableInstructionMeter
	k := s.byte() % 16
	if k == 15 && s.byte()%4 != 0 {
		k = s.byte() % 4
	}
	switch k {
	case 0, 1, 2, 3: // ALU, 32 or 64 bit, any operation
		op := ebpf.OpCode(s.byte()) & ebpf.AluOpMask
		if op >= 0xd0 && s.byte()%8 != 0 {
			op = ebpf.OpMov
		}
		opc := []ebpf.OpCode{ebpf.ClassAlu, ebpf.ClassAlu64}[s.byte()%2] | op | ebpf.OpCode(s.byte())&ebpf.SrcX
		dst := reg()
		if dst >= 2 && dst <= 5 && s.byte()%4 != 0 {
			dst = []uint8{0, 6, 7, 8, 9}[s.byte()%5]
		}
		return []ebpf.Insn{{Opc: opc, Dst: dst, Src: reg(), Imm: imm()}}
	case 4: // lddw of an interesting address
		v := Address(s, g)
		return []ebpf.Insn{{Opc: ebpf.LdDwImm, Dst: reg(), Imm: int32(uint32(v))}, {Imm: int32(uint32(v >> 32))}}
	case 5, 6: // loads
		opc := ebpf.ClassLdx | ebpf.ModeMem | []ebpf.OpCode{ebpf.SizeB, ebpf.SizeH, ebpf.SizeW, ebpf.SizeDW}[s.byte()%4]
		b := base()
		return []ebpf.Insn{{Opc: opc, Dst: reg(), Src: b, Off: stackSide(b, off())}}
	case 7, 8: // stores
		class := []ebpf.OpCode{ebpf.ClassSt, ebpf.ClassStx}[s.byte()%2]
		opc := class | ebpf.ModeMem | []ebpf.OpCode{ebpf.SizeB, ebpf.SizeH, ebpf.SizeW, ebpf.SizeDW}[s.byte()%4]
		b := base()
		return []ebpf.Insn{{Opc: opc, Dst: b, Src: reg(), Off: stackSide(b, off()), Imm: imm()}}
	case 9, 10: // branches
		opc := ebpf.ClassJmp | ebpf.OpCode(s.byte())&0xf0 | ebpf.OpCode(s.byte())&ebpf.SrcX
		if op := opc & 0xf0; op == ebpf.OpCall || op == ebpf.OpExit {
			opc = ebpf.Ja
		}
		target := s.pick(n+3) - 1
		if !meter && target <= pc {
			target = pc + 1 + s.pick(3)
		}
		return []ebpf.Insn{{Opc: opc, Dst: reg(), Src: reg(), Off: int16(target - pc - 1), Imm: imm()}}
	case 11: // calls: syscalls, functions, nothing
		hashes := []uint32{0x100, 0x101, 0x102, 0xdead}
		if !meter {
			// Without a meter, recursion could take exponential time.
			hashes = hashes[3:]
		}
		for _, sc := range Syscalls {
			hashes = append(hashes, sc.Hash)
		}
		return []ebpf.Insn{{Opc: ebpf.CallImm, Imm: int32(hashes[s.pick(len(hashes))])}}
	case 12:
		if !meter {
			return []ebpf.Insn{{Opc: ebpf.Exit}}
		}
		r := s.byte() % 12
		return []ebpf.Insn{{Opc: ebpf.CallReg, Imm: int32(r)}}
	case 13: // exit, endianness
		if s.byte()%2 == 0 {
			return []ebpf.Insn{{Opc: ebpf.Exit}}
		}
		w := []int32{16, 32, 64, 8, 0}[s.pick(5)]
		return []ebpf.Insn{{Opc: []ebpf.OpCode{ebpf.Le, ebpf.Be}[s.byte()%2], Dst: reg(), Imm: w}}
	case 14: // legacy packet loads
		opc := ebpf.ClassLd | []ebpf.OpCode{ebpf.ModeAbs, ebpf.ModeInd}[s.byte()%2] | []ebpf.OpCode{ebpf.SizeB, ebpf.SizeH, ebpf.SizeW, ebpf.SizeDW}[s.byte()%4]
		return []ebpf.Insn{{Opc: opc, Src: reg(), Imm: imm() % 400}}
	}
	// raw bytes: unknown opcodes, odd registers, xadd, ...
	in := ebpf.DecodeSlot([]byte{s.byte(), s.byte(), s.byte(), s.byte(), s.byte(), s.byte(), s.byte(), s.byte()})
	if !meter && (in.Opc.IsJump() || in.Opc == ebpf.CallReg || in.Opc == ebpf.CallImm) {
		in.Opc = ebpf.Exit
	}
	return []ebpf.Insn{in}
}

// stackSide turns a small positive offset from r10 into a negative one,
// since r10 points at the end of its frame.
func stackSide(base uint8, off int16) int16 {
	if base == 10 && off >= 0 && off < 64 {
		return -off - 8
	}
	return off
}

// Address returns a VM address near the edge of some region.
func Address(s *ByteSource, g *Case) uint64 {
	fs := uint64(g.Config.StackFrameSize)
	delta := uint64(int64(int8(s.byte())))
	if b := s.byte(); b < 160 {
		// Inside a region, with room for an 8-byte access.
		in := uint64(s.byte() % 64)
		switch {
		case b < 60:
			return ebpf.MMStackStart + uint64(s.pick(g.Config.MaxCallDepth))*2*fs + fs - 64 + in&^7
		case b < 110 && g.InputLen >= 8:
			return ebpf.MMInputStart + in%uint64(g.InputLen-7)
		case b < 140 && g.Heap >= 8:
			return ebpf.MMHeapStart + in%uint64(g.Heap-7)
		default:
			return ebpf.MMProgramStart + in&^7
		}
	}
	switch s.byte() % 9 {
	case 0:
		return ebpf.MMStackStart + uint64(s.pick(g.Config.MaxCallDepth+1))*fs + delta
	case 7:
		return ebpf.MMStackStart + uint64(s.pick(g.Config.MaxCallDepth))*2*fs + delta&63
	case 8:
		return ebpf.MMInputStart + delta&63
	case 1:
		return ebpf.MMInputStart + uint64(g.InputLen) + delta
	case 2:
		return ebpf.MMInputStart + delta
	case 3:
		return ebpf.MMProgramStart + uint64(s.pick(60))*8 + delta%8
	case 4:
		return ebpf.MMHeapStart + uint64(g.Heap) + delta
	case 5:
		return ebpf.MMProgramStart + 0x10000 + delta
	}
	return uint64(s.u32())<<16 | uint64(s.u16())
}

// Executable builds the case's executable, with Syscalls registered and
// its functions.
func (g *Case) Executable() (*vm.Executable, error) {
	exe, err := vm.FromText(g.Text, g.Config, nil)
	if err != nil {
		return nil, err
	}
	for _, sc := range Syscalls {
		if err := exe.Syscalls.RegisterByHash(sc.Hash, sc.Fn); err != nil {
			return nil, err
		}
	}
	for h, pc := range g.Functions {
		exe.RegisterFunction(h, pc)
	}
	return exe, nil
}

// Options are fresh run options of the case: its input, budget and regions.
func (g *Case) Options() vm.RunOptions {
	input := make([]byte, g.InputLen)
	for i := range input {
		input[i] = byte(i*7 + 1)
	}
	o := vm.RunOptions{Input: input, Budget: g.Budget, MaxTraceEntries: g.MaxTrace}
	if g.Heap > 0 {
		o.Regions = append(o.Regions, vm.NewRegion(make([]byte, g.Heap), ebpf.MMHeapStart, 0, true))
	}
	if g.Extra {
		// A second region in the text's bucket (forcing the search path)
		// and one beyond the bucket table.
		o.Regions = append(o.Regions,
			vm.NewRegion(make([]byte, 64), ebpf.MMProgramStart+0x10000, 0, true),
			vm.NewRegion(make([]byte, 32), 40<<32, 0, false))
	}
	return o
}
