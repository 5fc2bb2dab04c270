package elf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

var fixtureNames = []string{"noop", "noro", "empty_rodata", "multiple_file", "relative_call", "scratch_registers", "pass_stack_reference", "unresolved_syscall"}

// TestLogDoesNotChangeTheProgram loads every fixture with and without the
// log and requires identical programs.
func TestLogDoesNotChangeTheProgram(t *testing.T) {
	for _, name := range fixtureNames {
		data := readFixture(t, name)
		p1, err := Load(data)
		if err != nil {
			t.Fatal(name, err)
		}
		p2, l, err := LoadWithLog(data)
		if err != nil {
			t.Fatal(name, err)
		}
		if !reflect.DeepEqual(p1, p2) {
			t.Errorf("%s: Load and LoadWithLog differ", name)
		}
		if l.Error != nil || l.Info == nil || len(l.Checks) != len(CheckNames) {
			t.Errorf("%s: log error %v, info %v, %d checks", name, l.Error, l.Info != nil, len(l.Checks))
		}
		for i, c := range l.Checks {
			if c.Name != CheckNames[i] || c.Status != CheckPass {
				t.Errorf("%s: check %d is %s %s", name, i, c.Name, c.Status)
			}
		}
	}
}

// TestLogRelativeCall follows relative_call's relocation step by step.
func TestLogRelativeCall(t *testing.T) {
	p, l, err := LoadWithLog(readFixture(t, "relative_call"))
	if err != nil {
		t.Fatal(err)
	}
	type brief struct {
		Kind   StepKind
		Insn   int
		Reloc  int
		Symbol string
	}
	var got []brief
	for _, s := range l.Steps {
		got = append(got, brief{s.Kind, s.Insn, s.Reloc, s.Symbol})
	}
	want := []brief{
		{StepRelativeCall, 14, -1, ""},
		{StepRelativeText, 1, 0, ""},
		{StepRelativeText, 9, 1, ""},
		{StepSymbolCall, 4, 2, "log"},
		{StepSymbolCall, 12, 3, "log"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("steps\n got %+v\nwant %+v", got, want)
	}
	rc := l.Steps[0]
	hash := ebpf.HashPC(14)
	if rc.Imm != -15 || rc.TargetPC != 0 || !bytes.Equal(rc.Key, ebpf.PCKey(14)) || rc.Hash != hash ||
		rc.CallAdded == nil || *rc.CallAdded != (CallEntry{Hash: hash, PC: 0}) || rc.FileOffset != 0x1000+14*8 {
		t.Fatalf("relative call step %+v", rc)
	}
	if !bytes.Equal(rc.Before, callInsn(-15)) || !bytes.Equal(rc.After, callInsn(int32(hash))) {
		t.Fatalf("before % x after % x", rc.Before, rc.After)
	}
	if !bytes.Equal(rc.After, p.Text[14*8:15*8]) {
		t.Fatal("the logged bytes are not the program's")
	}
	lt := l.Steps[1]
	ro := p.ROSections[0]
	if lt.VirtAddr != ro.Offset || lt.PhysAddr != ro.Vaddr || len(lt.Before) != 16 || !bytes.Equal(lt.After, p.Text[8:24]) {
		t.Fatalf("lddw step %+v, .rodata at %#x", lt, ro.Vaddr)
	}
	sc := l.Steps[3]
	if string(sc.Key) != "log" || sc.Hash != ebpf.HashSymbolName([]byte("log")) || sc.CallAdded != nil || sc.SymIndex != 1 {
		t.Fatalf("symbol step %+v", sc)
	}
	js, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"before":"85100000f1ffffff"`) || !strings.Contains(string(js), `"kind":"relative-call"`) {
		t.Fatalf("JSON lacks hex bytes or kinds: %.300s", js)
	}
}

// TestLogFunctionSymbols checks the calls registered through symbols.
func TestLogFunctionSymbols(t *testing.T) {
	_, l, err := LoadWithLog(readFixture(t, "multiple_file"))
	if err != nil {
		t.Fatal(err)
	}
	added := map[string]int{}
	for _, s := range l.Steps {
		if s.CallAdded != nil {
			added[s.Symbol] = s.CallAdded.PC
		}
	}
	if !reflect.DeepEqual(added, map[string]int{"entrypoint_syscall_function": 0, "syscall_function": 17}) {
		t.Fatalf("calls added %v", added)
	}
}

// TestLogRejectedCheck shows the checklist of a file with the wrong machine.
func TestLogRejectedCheck(t *testing.T) {
	data := readFixture(t, "noop")
	binary.LittleEndian.PutUint16(data[18:], 62)
	_, l, err := LoadWithLog(data)
	wantKind(t, err, WrongMachine)
	var status []string
	for _, c := range l.Checks {
		status = append(status, c.Name+":"+string(c.Status))
	}
	want := []string{"parse:pass", "class:pass", "data:pass", "osabi:pass", "machine:fail"}
	for _, n := range CheckNames[5:] {
		want = append(want, n+":skipped")
	}
	if !reflect.DeepEqual(status, want) {
		t.Fatalf("checks %v", status)
	}
	m := l.Checks[4]
	if m.Want != "EM_BPF (247)" || m.Got != "EM_X86_64 (62)" || m.Error == nil || m.Error.Kind != WrongMachine || l.Error != m.Error {
		t.Fatalf("machine check %+v", m)
	}
	if len(l.Steps) != 0 || l.Info == nil || l.Info.Header.Machine != 62 {
		t.Fatalf("steps %d info %v", len(l.Steps), l.Info)
	}
}

// TestLogRejectedStep shows the step that fails on a type 1 relocation.
func TestLogRejectedStep(t *testing.T) {
	f := buildWith(t, func(s *elfbuild.Spec) {
		s.ExtraRelocs = []elfbuild.RawReloc{{Offset: 0x1000 + 4*8, Info: 1}}
	})
	_, l, err := LoadWithLog(f.Bytes)
	if err == nil || err.Error() != "Relocation failed, unknown type 1" {
		t.Fatal(err)
	}
	last := l.Steps[len(l.Steps)-1]
	if last.Kind != StepRejected || last.RelocType != 1 || last.Insn != 4 || last.Error == nil || last.Error.Kind != UnknownRelocation {
		t.Fatalf("last step %+v", last)
	}
	var rel *Check
	for i := range l.Checks {
		if l.Checks[i].Name == "relocate" {
			rel = &l.Checks[i]
		}
	}
	if rel == nil || rel.Status != CheckFail || rel.Got != err.Error() {
		t.Fatalf("relocate check %+v", rel)
	}
}

const smallSource = `
.rodata data "\x00\x00\x00\x00\x10\x00\x00\x00"
entrypoint:
    lddw r1, data
    call log
    mov64 r0, 0
    exit
`

func buildWith(t *testing.T, edit func(*elfbuild.Spec)) *elfbuild.File {
	t.Helper()
	s, err := elfbuild.FromAssembly(smallSource)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(s)
	}
	f, err := elfbuild.Build(*s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestRelativeDataRelocation: outside .text a type 8 relocation writes a
// 64-bit address; rbpf reads the address from offset+4, the high half.
func TestRelativeDataRelocation(t *testing.T) {
	f := buildWith(t, func(s *elfbuild.Spec) { s.ExtraRelocs = []elfbuild.RawReloc{{Info: 8}} })
	rel, _ := f.Section(".rel.dyn")
	ro, _ := f.Section(".rodata")
	binary.LittleEndian.PutUint64(f.Bytes[rel.Offset+rel.Size-16:], ro.Offset)
	p, l, err := LoadWithLog(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint64(p.ROSections[0].Data); got != ebpf.MMProgramStart+0x10 {
		t.Fatalf(".rodata holds %#x", got)
	}
	last := l.Steps[len(l.Steps)-1]
	if last.Kind != StepRelativeData || last.Insn != -1 || last.VirtAddr != 0x10 || len(last.After) != 8 {
		t.Fatalf("step %+v", last)
	}
}

// TestDynamicTablesComeFromPTDynamic: the loader finds relocations through
// DT_REL, whatever the section headers say.
func TestDynamicTablesComeFromPTDynamic(t *testing.T) {
	f := buildWith(t, nil)
	rel, _ := f.Section(".rel.dyn")
	hidden := append([]byte(nil), f.Bytes...)
	binary.LittleEndian.PutUint32(hidden[rel.Header+4:], 0) // SHT_NULL
	binary.LittleEndian.PutUint64(hidden[rel.Header+32:], 0)
	p, err := Load(hidden)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint32(p.Text[2*8+4:]); got != ebpf.HashSymbolName([]byte("log")) {
		t.Fatalf("call imm %#x: relocation not applied", got)
	}
	// And the reverse: DT_RELSZ 0 hides the table the section header shows.
	noRel := append([]byte(nil), f.Bytes...)
	dyn, _ := f.Section(".dynamic")
	for off := dyn.Offset; off < dyn.Offset+dyn.Size; off += 16 {
		if binary.LittleEndian.Uint64(noRel[off:]) == dtRelSz {
			binary.LittleEndian.PutUint64(noRel[off+8:], 0)
		}
	}
	p, err = Load(noRel)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint32(p.Text[2*8+4:]); got != 0xffffffff {
		t.Fatalf("call imm %#x: relocated without DT_RELSZ", got)
	}
}
