package runspec

import (
	"encoding/hex"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// ParseWatch reads a watchpoint as the CLI writes it, RANGE[:r|w|rw]
// (default w: writes), where RANGE is 0xADDR+LEN, 0xSTART-0xEND (END
// excluded) or, given the input of a runtime run, a name of input bytes
// (solana.Input.FieldRange: "accounts[0].data", "accounts[1].data[0..8]").
func ParseWatch(text string, in *solana.Input) (vm.Watch, error) {
	rng, kind := text, vm.WatchWrite
	if i := strings.LastIndexByte(text, ':'); i >= 0 {
		switch text[i+1:] {
		case "r":
			kind = vm.WatchRead
		case "w":
			kind = vm.WatchWrite
		case "rw", "wr":
			kind = vm.WatchAny
		default:
			return vm.Watch{}, fmt.Errorf("watch %q: the kind %q is not r, w or rw", text, text[i+1:])
		}
		rng = text[:i]
	}
	w, err := ParseRange(rng, in)
	if err != nil {
		return vm.Watch{}, fmt.Errorf("watch %q: %v", text, err)
	}
	w.Kind = kind
	return w, w.Check()
}

// ParseRange reads a range of VM addresses as the CLI writes it:
// 0xADDR+LEN, 0xSTART-0xEND (END excluded) or, given the input of a
// runtime run, a name of input bytes. The Watch it returns has Addr and
// Len set and no Kind; it is not checked (Watch.Check).
func ParseRange(s string, in *solana.Input) (vm.Watch, error) {
	num := func(t string) (uint64, error) {
		v, err := strconv.ParseUint(strings.TrimSpace(t), 0, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", t)
		}
		return v, nil
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		if a, n, ok := strings.Cut(s, "+"); ok {
			addr, err := num(a)
			if err != nil {
				return vm.Watch{}, err
			}
			l, err := num(n)
			return vm.Watch{Addr: addr, Len: l}, err
		}
		if a, b, ok := strings.Cut(s, "-"); ok {
			start, err := num(a)
			if err != nil {
				return vm.Watch{}, err
			}
			end, err := num(b)
			if err != nil {
				return vm.Watch{}, err
			}
			if end <= start {
				return vm.Watch{}, fmt.Errorf("the end %#x is not above the start %#x", end, start)
			}
			return vm.Watch{Addr: start, Len: end - start}, nil
		}
		return vm.Watch{}, fmt.Errorf("%q is not 0xADDR+LEN or 0xSTART-0xEND", s)
	}
	if in == nil {
		return vm.Watch{}, fmt.Errorf("%q: input fields can be named only in a run with an instruction", s)
	}
	start, end, err := in.FieldRange(s)
	if err != nil {
		return vm.Watch{}, err
	}
	return vm.Watch{Addr: ebpf.MMInputStart + uint64(start), Len: uint64(end - start)}, nil
}

// WatchHit is a watch hit in the result document.
type WatchHit struct {
	// Watch is the index of the watch the access hit, in the order given.
	Watch int `json:"watch"`
	// PC is the instruction's index, Insn rbpf's number for it (PC + 29).
	PC   int `json:"pc"`
	Insn int `json:"insn"`
	// Executed counts the instructions executed, this one included.
	Executed uint64 `json:"executed"`
	// Access is "read" or "write"; Addr and Size are the access's.
	Access string `json:"access"`
	Addr   uint64 `json:"addr"`
	Size   int    `json:"size"`
	// Field names the bytes in a runtime run's input ("accounts[0].data[0..8]").
	Field string `json:"field,omitempty"`
	// Old is a write's bytes before it, New the bytes after the
	// instruction (what a write wrote, what a read read), in hex.
	Old string `json:"old,omitempty"`
	New string `json:"new"`
	// Regs are r0-r10 after the instruction.
	Regs [11]uint64 `json:"regs"`
}

// String is one line: "pc 5 (insn #34) wrote 8 bytes at 0x400000060
// (accounts[0].data[0..8]): 2900000000000000 -> 2a00000000000000".
func (h WatchHit) String() string {
	verb, unit := "read", "bytes"
	if h.Access == "write" {
		verb = "wrote"
	}
	if h.Size == 1 {
		unit = "byte"
	}
	s := fmt.Sprintf("%s %s %d %s at %#x", ebpf.PCRef(h.PC), verb, h.Size, unit, h.Addr)
	if h.Field != "" {
		s += " (" + h.Field + ")"
	}
	if h.Old != "" {
		return s + ": " + h.Old + " -> " + h.New
	}
	return s + ": " + h.New
}

// Line is the hit as the CLI prints it after the engine's name: "watch 0:
// after 12 instructions, pc 5 (insn #34) wrote ...".
func (h WatchHit) Line() string {
	return fmt.Sprintf("watch %d: after %d instructions, %s", h.Watch, h.Executed, h)
}

// watchHits makes the document's hits of a run; in names input bytes.
func watchHits(hits []vm.WatchHit, in *solana.Input) []WatchHit {
	if len(hits) == 0 {
		return nil
	}
	out := make([]WatchHit, len(hits))
	for i, h := range hits {
		out[i] = HitDocument(h, in)
	}
	return out
}

// HitDocument is the document of one hit; in (nil for a bare run) names
// the input bytes it touched.
func HitDocument(h vm.WatchHit, in *solana.Input) WatchHit {
	d := WatchHit{Watch: h.Watch, PC: h.PC, Insn: h.PC + ebpf.ElfInsnDumpOffset, Executed: h.Executed,
		Access: "read", Addr: h.Addr, Size: h.Size, New: hex.EncodeToString(h.New), Regs: h.Regs}
	if h.Access == vm.Store {
		d.Access, d.Old = "write", hex.EncodeToString(h.Old)
	}
	if off := h.Addr - ebpf.MMInputStart; in != nil && h.Addr >= ebpf.MMInputStart && off < uint64(len(in.Bytes)) {
		if end, carry := bits.Add64(off, uint64(h.Size), 0); carry == 0 && end <= uint64(len(in.Bytes)) {
			d.Field = in.RangeName(int(off), h.Size)
		}
	}
	return d
}
