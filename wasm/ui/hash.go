package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// HashRow is one line of the written-out murmur3 computation.
type HashRow struct {
	Group string // "block 0", "tail", "finalization"
	Op    string // the operation, e.g. "k * c1"
	Value string // its result in hex
}

// HashState is the call-hashing panel: a symbol name or an instruction
// index goes in, every murmur3 step comes out.
type HashState struct {
	hub hub

	Mode  string // "name" or "pc"
	Input string
	Err   string

	Key    string // the hashed bytes, in hex
	Rows   []HashRow
	Hash   uint32
	Imm    int32
	Lookup string // what a `call` with this immediate reaches
	Done   bool
}

// Compute recomputes the panel from Mode and Input.
func (h *HashState) Compute() {
	*h = HashState{hub: h.hub, Mode: h.Mode, Input: h.Input}
	var key []byte
	switch h.Mode {
	case "pc":
		pc, err := strconv.ParseUint(strings.TrimSpace(h.Input), 0, 64)
		if err != nil {
			h.Err = fmt.Sprintf("%q is not an instruction index (try 3 or 0x10)", h.Input)
			return
		}
		key = ebpf.PCKey(pc)
	default:
		h.Mode = "name"
		key = []byte(h.Input)
	}
	s := ebpf.HashSymbolNameSteps(key)
	h.Key = hexBytes(key)
	h.Rows = hashRows(s)
	h.Hash, h.Imm, h.Done = s.Hash, s.Imm, true
	h.Lookup = h.hub.program().LookupCall(s.Hash)
}

func hashRows(s ebpf.HashSteps) []HashRow {
	x := func(v uint32) string { return fmt.Sprintf("0x%08x", v) }
	var rows []HashRow
	add := func(g, op string, v uint32) { rows = append(rows, HashRow{g, op, x(v)}) }
	for i, b := range s.Blocks {
		g := fmt.Sprintf("block %d  [%s]", i, hexBytes(b.Bytes))
		add(g, "k = bytes as little-endian u32", b.K)
		add(g, "k *= 0xcc9e2d51", b.KMul1)
		add(g, "k = rotl(k, 15)", b.KRot)
		add(g, "k *= 0x1b873593", b.KMul2)
		add(g, "h ^= k   (h was "+x(b.HIn)+")", b.HXor)
		add(g, "h = rotl(h, 13)", b.HRot)
		add(g, "h = h * 5 + 0xe6546b64", b.HOut)
	}
	if t := s.Tail; t != nil {
		g := fmt.Sprintf("tail  [%s]", hexBytes(t.Bytes))
		add(g, "k = tail bytes, little-endian", t.K)
		add(g, "k *= 0xcc9e2d51", t.KMul1)
		add(g, "k = rotl(k, 15)", t.KRot)
		add(g, "k *= 0x1b873593", t.KMul2)
		add(g, "h ^= k   (h was "+x(t.HIn)+")", t.HOut)
	}
	f := s.Final
	g := "finalization"
	add(g, fmt.Sprintf("h ^= length (%d)", f.Length), f.XorLen)
	add(g, "h ^= h >> 16", f.Shr16a)
	add(g, "h *= 0x85ebca6b", f.Mul1)
	add(g, "h ^= h >> 13", f.Shr13)
	add(g, "h *= 0xc2b2ae35", f.Mul2)
	add(g, "h ^= h >> 16", f.Shr16b)
	return rows
}

// newGroup reports whether row i starts a new group.
func (h *HashState) newGroup(i int) bool {
	return i == 0 || h.Rows[i-1].Group != h.Rows[i].Group
}

// GroupLabel is the group heading shown beside the first row of a group.
func (h *HashState) GroupLabel(i int) string {
	if h.newGroup(i) {
		return h.Rows[i].Group
	}
	return ""
}

// RowClass marks the first row of each group so the table can rule it off.
func (h *HashState) RowClass(i int) string {
	if h.newGroup(i) {
		return "first"
	}
	return ""
}

// LookupCall says what the VM finds under a call immediate, given the
// program (nil when none is loaded) and the syscalls the playground
// registers.
func (p *Loaded) LookupCall(hash uint32) string {
	if p != nil && p.Prog != nil {
		if pc, ok := p.Prog.Calls[hash]; ok {
			return "function: the calls map sends it to " + ebpf.PCRef(pc)
		}
	}
	if n, ok := syscallNames()[hash]; ok {
		return "syscall " + n + " (registered by the playground)"
	}
	if p != nil && p.Prog != nil {
		return "unresolved: neither a function of this program nor a syscall; executing it fails"
	}
	return "unresolved: no syscall has this hash (load a program to look up its functions)"
}

// SetInput is the handler for typing in the hashing panel.
func (h *HashState) SetInput(v string) {
	defer h.hub.Recover("hash input")
	h.Input = v
	h.Compute()
}

// SetMode switches between hashing a name and a pc.
func (h *HashState) SetMode(mode string) {
	defer h.hub.Recover("hash mode")
	h.Mode = mode
	h.Compute()
}

// OpenCall shows how the immediate of a `call` came about in the hashing
// panel: whichever key hashes to it, an instruction index (relative calls
// are named after their call site) or a function or syscall name.
func (h *HashState) OpenCall(l DisLine) {
	defer h.hub.Recover("open call")
	imm := uint32(l.Imm)
	h.Mode, h.Input = "name", ""
	if ebpf.HashPC(uint64(l.PC)) == imm {
		h.Mode, h.Input = "pc", fmt.Sprint(l.PC)
	} else if l.Target >= 0 && ebpf.HashPC(uint64(l.Target)) == imm {
		h.Mode, h.Input = "pc", fmt.Sprint(l.Target)
	} else if l.Callee != "" && ebpf.HashSymbolName([]byte(l.Callee)) == imm {
		h.Input = l.Callee // the raw name: the note shows it demangled
	}
	h.Compute()
	h.hub.screen().View = "hash"
}

// ModeClass is the CSS class of the mode button for mode.
func (h *HashState) ModeClass(mode string) string {
	if h.Mode == mode {
		return "seg active"
	}
	return "seg"
}

// ImmText is the call immediate in the forms people look for.
func (h *HashState) ImmText() string {
	return fmt.Sprintf("call %d   (imm 0x%08x)", h.Imm, uint32(h.Imm))
}
