package elf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/elfs/" + name + ".so")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func wantKind(t *testing.T, err error, k Kind) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind != k {
		t.Fatalf("got error %v, want kind %v", err, k)
	}
}

// TestValidate is rbpf's test_validate: each header field is checked.
func TestValidate(t *testing.T) {
	f, perr := parseFile(readFixture(t, "noop"))
	if perr != nil {
		t.Fatal(perr)
	}
	steps := []struct {
		set  func()
		kind Kind // 0: validation passes
	}{
		{func() {}, 0},
		{func() { f.header.Ident[4] = elfClass32 }, WrongClass},
		{func() { f.header.Ident[4] = elfClass64 }, 0},
		{func() { f.header.Ident[5] = elfDataMSB }, WrongEndianess},
		{func() { f.header.Ident[5] = elfDataLSB }, 0},
		{func() { f.header.Ident[7] = 1 }, WrongAbi},
		{func() { f.header.Ident[7] = elfOSABINone }, 0},
		{func() { f.header.Machine = 164 }, WrongMachine}, // EM_QDSP6
		{func() { f.header.Machine = emBPF }, 0},
		{func() { f.header.Type = 1 }, WrongType}, // ET_REL
		{func() { f.header.Type = etDyn }, 0},
	}
	for i, s := range steps {
		s.set()
		_, err := validate(f, nil)
		if s.kind == 0 && err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if s.kind != 0 {
			if err == nil || err.Kind != s.kind {
				t.Fatalf("step %d: got %v, want %v", i, err, s.kind)
			}
		}
	}
}

// TestLoad is rbpf's test_load, plus what the noop fixture loads to.
func TestLoad(t *testing.T) {
	data := readFixture(t, "noop")
	orig := append([]byte(nil), data...)
	p, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, orig) {
		t.Fatal("Load modified its input")
	}
	if p.TextVaddr != ebpf.MMProgramStart+0x1000 || p.TextOffset != 0x1000 || len(p.Text) != 12*8 || p.Entrypoint != 0 {
		t.Fatalf("text %#x off %#x len %d entry %d", p.TextVaddr, p.TextOffset, len(p.Text), p.Entrypoint)
	}
	if len(p.Calls) != 0 {
		t.Fatalf("calls %v, want none (only syscalls)", p.Calls)
	}
	if len(p.ROSections) != 1 || p.ROSections[0].Name != ".rodata" || string(p.ROSections[0].Data) != "entrypoint\x00" {
		t.Fatalf("ro sections %+v", p.ROSections)
	}
	ro := p.ROSections[0]
	if ro.Vaddr != ebpf.MMProgramStart+ro.Offset {
		t.Fatalf(".rodata at %#x, offset %#x", ro.Vaddr, ro.Offset)
	}
	// The lddw now holds the .rodata address in the VM, split over its two
	// immediates; the calls hold the hashes of their symbols.
	lo, hi := binary.LittleEndian.Uint32(p.Text[4:]), binary.LittleEndian.Uint32(p.Text[12:])
	if uint64(hi)<<32|uint64(lo) != ro.Vaddr {
		t.Fatalf("lddw loads %#x, want %#x", uint64(hi)<<32|uint64(lo), ro.Vaddr)
	}
	for slot, name := range map[int]string{3: "log", 9: "log_64"} {
		if got := binary.LittleEndian.Uint32(p.Text[slot*8+4:]); got != ebpf.HashSymbolName([]byte(name)) {
			t.Errorf("slot %d imm %#x, want hash of %s", slot, got, name)
		}
	}
	if !bytes.Equal(p.Image()[p.TextOffset:p.TextOffset+uint64(len(p.Text))], p.Text) {
		t.Fatal("Text is not the image's .text")
	}
}

func setEntry(data []byte, v uint64) []byte {
	out := append([]byte(nil), data...)
	binary.LittleEndian.PutUint64(out[24:], v)
	return out
}

// TestEntrypoint is rbpf's test_entrypoint.
func TestEntrypoint(t *testing.T) {
	data := readFixture(t, "noop")
	initial := binary.LittleEndian.Uint64(data[24:])
	for _, c := range []struct {
		entry uint64
		want  int
		kind  Kind
	}{
		{initial, 0, 0},
		{initial + 8, 1, 0},
		{1, 0, EntrypointOutOfBounds},
		{^uint64(0), 0, EntrypointOutOfBounds},
		{initial + ebpf.InsnSize + 1, 0, InvalidEntrypoint},
		{initial, 0, 0},
	} {
		p, err := Load(setEntry(data, c.entry))
		if c.kind != 0 {
			wantKind(t, err, c.kind)
			continue
		}
		if err != nil || p.Entrypoint != c.want {
			t.Fatalf("entry %#x: %v, entrypoint %v, want %d", c.entry, err, p, c.want)
		}
	}
}

func movs(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		b = append(b, 0xb7, 0x01, 0, 0, 0, 0, 0, 0)
	}
	return b
}

func callInsn(imm int32) []byte {
	return ebpf.Insn{Opc: 0x85, Src: 1, Imm: imm}.Append(nil)
}

func TestFixupRelativeCallsBack(t *testing.T) {
	for _, c := range []struct {
		imm  int32
		want int
	}{{-2, 4}, {-6, 0}} {
		prog := append(movs(5), callInsn(c.imm)...)
		calls := map[uint32]int{}
		if err := fixupRelativeCalls(calls, prog, 0, nil); err != nil {
			t.Fatal(err)
		}
		key := ebpf.HashSymbolName([]byte{5, 0, 0, 0, 0, 0, 0, 0})
		if want := callInsn(int32(key)); !bytes.Equal(prog[40:], want) {
			t.Fatalf("call -%d: % x, want % x", -c.imm, prog[40:], want)
		}
		if !reflect.DeepEqual(calls, map[uint32]int{key: c.want}) {
			t.Fatalf("calls %v, want %#x -> %d", calls, key, c.want)
		}
	}
}

func TestFixupRelativeCallsForward(t *testing.T) {
	for _, c := range []struct {
		imm  int32
		want int
	}{{0, 1}, {4, 5}} {
		prog := append(callInsn(c.imm), movs(5)...)
		calls := map[uint32]int{}
		if err := fixupRelativeCalls(calls, prog, 0, nil); err != nil {
			t.Fatal(err)
		}
		key := ebpf.HashSymbolName(make([]byte, 8))
		if want := callInsn(int32(key)); !bytes.Equal(prog[:8], want) {
			t.Fatalf("call +%d: % x, want % x", c.imm, prog[:8], want)
		}
		if !reflect.DeepEqual(calls, map[uint32]int{key: c.want}) {
			t.Fatalf("calls %v", calls)
		}
	}
}

func TestFixupRelativeCallsOutOfBounds(t *testing.T) {
	forward := append(callInsn(5), movs(5)...)
	err := fixupRelativeCalls(map[uint32]int{}, forward, 0, nil)
	if err == nil || err.Error() != "Relative jump out of bounds at instruction #29" {
		t.Fatalf("forward: %v", err)
	}
	back := append(movs(5), callInsn(-7)...)
	err = fixupRelativeCalls(map[uint32]int{}, back, 0, nil)
	if err == nil || err.Error() != "Relative jump out of bounds at instruction #34" {
		t.Fatalf("back: %v", err)
	}
	// call -1 is a syscall placeholder, never a relative call.
	skip := append(movs(1), callInsn(-1)...)
	if err := fixupRelativeCalls(map[uint32]int{}, skip, 0, nil); err != nil || !bytes.Equal(skip[8:], callInsn(-1)) {
		t.Fatalf("call -1 was touched: %v % x", err, skip[8:])
	}
}
