package elfbuild

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
)

func insns(list ...ebpf.Insn) []byte { return ebpf.Encode(list) }

// noopSpec: an lddw of .rodata, a syscall and an exit.
func noopSpec() Spec {
	text := insns(
		ebpf.Insn{Opc: 0x18, Dst: 1}, ebpf.Insn{},
		ebpf.Insn{Opc: 0xb7, Dst: 2, Imm: 5},
		ebpf.Insn{Opc: 0x85, Imm: -1},
		ebpf.Insn{Opc: 0xb7, Dst: 0},
		ebpf.Insn{Opc: 0x95},
	)
	return Spec{
		Text: text, ROData: []byte("hello"), Entry: "entrypoint",
		Functions: []Function{{Name: "entrypoint", PC: 0}},
		Calls:     []Call{{PC: 3, Name: "log"}},
		Loads:     []Load{{PC: 0, Offset: 1}},
	}
}

func mustBuild(t *testing.T, s Spec) (*File, *elf.Info, *elf.Program) {
	t.Helper()
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	info, err := elf.Inspect(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	p, err := elf.Load(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return f, info, p
}

func sectionNames(info *elf.Info) string {
	var n []string
	for _, s := range info.Sections {
		n = append(n, s.Name)
	}
	return strings.Join(n, " ")
}

func TestBuildPaged(t *testing.T) {
	f, info, p := mustBuild(t, noopSpec())
	if got := sectionNames(info); got != " .dynsym .hash .dynstr .rel.dyn .rodata .text .dynamic .symtab .shstrtab .strtab" {
		t.Fatalf("sections %q", got)
	}
	var types []uint32
	for _, ph := range info.ProgramHeaders {
		types = append(types, ph.Type)
	}
	if !reflect.DeepEqual(types, []uint32{6, 1, 1, 1, 2}) || info.ProgramHeaders[1].Offset != 0 {
		t.Fatalf("program headers %+v", info.ProgramHeaders)
	}
	text, _ := f.Section(".text")
	ro, _ := f.Section(".rodata")
	if text.Offset != 0x1000 || text.Addr != text.Offset || info.Header.Entry != 0x1000 || info.Header.Type != 3 || info.Header.Machine != 247 {
		t.Fatalf("text %+v header %+v", text, info.Header)
	}
	raw := f.Bytes[text.Offset:]
	if imm := binary.LittleEndian.Uint32(raw[4:]); uint64(imm) != ro.Addr+1 {
		t.Fatalf("lddw imm %#x, want .rodata+1 = %#x", imm, ro.Addr+1)
	}
	if !reflect.DeepEqual(raw[24:32], []byte{0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff}) {
		t.Fatalf("call % x", raw[24:32])
	}
	want := []elf.RelocInfo{
		{Reloc: elf.Reloc{Offset: 0x1000, Info: 8, Type: 8}},
		{Reloc: elf.Reloc{Offset: 0x1018, Info: 1<<32 | 10, Type: 10, Sym: 1}, SymbolName: "log"},
	}
	if !reflect.DeepEqual(info.Relocations, want) {
		t.Fatalf("relocations %+v", info.Relocations)
	}
	if p.ROSections[0].Vaddr != ebpf.MMProgramStart+ro.Addr || string(p.ROSections[0].Data) != "hello" {
		t.Fatalf("ro %+v", p.ROSections)
	}
	if got := binary.LittleEndian.Uint32(p.Text[3*8+4:]); got != ebpf.HashSymbolName([]byte("log")) {
		t.Fatalf("relocated call imm %#x", got)
	}
}

// callsSpec: entrypoint calls f (relative or relocated) and g (static).
func callsSpec(relocate bool) Spec {
	call := ebpf.Insn{Opc: 0x85}
	exit := ebpf.Insn{Opc: 0x95}
	return Spec{
		Text:  insns(call, call, exit, exit, exit),
		Entry: "entrypoint",
		Functions: []Function{
			{Name: "entrypoint", PC: 0}, {Name: "f", PC: 3}, {Name: "g", PC: 4, Local: true},
		},
		Calls: []Call{{PC: 0, Name: "f", Relocate: relocate}, {PC: 1, Name: "g"}},
	}
}

func TestBuildCalls(t *testing.T) {
	f, info, p := mustBuild(t, callsSpec(false))
	text, _ := f.Section(".text")
	if imm := int32(binary.LittleEndian.Uint32(f.Bytes[text.Offset+4:])); imm != 2 {
		t.Fatalf("relative call imm %d, want 3-0-1", imm)
	}
	if imm := int32(binary.LittleEndian.Uint32(f.Bytes[text.Offset+12:])); imm != 2 {
		t.Fatalf("static call imm %d, want 4-1-1", imm)
	}
	if len(info.Relocations) != 0 {
		t.Fatalf("relocations %+v", info.Relocations)
	}
	if !reflect.DeepEqual(p.Calls, map[uint32]int{ebpf.HashPC(0): 3, ebpf.HashPC(1): 4}) {
		t.Fatalf("calls %v", p.Calls)
	}
	var dyn []string
	for _, s := range info.DynamicSymbols {
		dyn = append(dyn, s.Name)
	}
	if strings.Join(dyn, ",") != ",entrypoint,f" {
		t.Fatalf("dynamic symbols %v: the static function must not be exported", dyn)
	}
	infos := map[string]uint8{}
	for _, s := range info.Symbols {
		infos[s.Name] = s.Info
	}
	if infos["g"] != 0x02 || infos["f"] != 0x12 || infos["entrypoint"] != 0x12 || infos["_DYNAMIC"] != 0 {
		t.Fatalf("symbol infos %v", infos)
	}

	_, info, p = mustBuild(t, callsSpec(true))
	if len(info.Relocations) != 1 || info.Relocations[0].SymbolName != "f" || info.Relocations[0].Type != 10 {
		t.Fatalf("relocations %+v", info.Relocations)
	}
	if pc, ok := p.LookupFunction(ebpf.HashSymbolName([]byte("f"))); !ok || pc != 3 {
		t.Fatalf("calls %v", p.Calls)
	}
}

func TestBuildCompact(t *testing.T) {
	s := noopSpec()
	s.ROData, s.Loads, s.Layout = []byte{}, nil, Compact
	f, info, p := mustBuild(t, s)
	if got := sectionNames(info); got != " .text .rodata .dynamic .dynsym .dynstr .rel.dyn .hash .symtab .shstrtab .strtab" {
		t.Fatalf("sections %q", got)
	}
	text, _ := f.Section(".text")
	ro, _ := f.Section(".rodata")
	if text.Offset != 0xe8 || ro.Type != 8 || ro.Size != 0 || len(info.ProgramHeaders) != 2 {
		t.Fatalf("text %+v rodata %+v phdrs %d", text, ro, len(info.ProgramHeaders))
	}
	if len(p.ROSections) != 1 || len(p.ROSections[0].Data) != 0 || p.Entrypoint != 0 {
		t.Fatalf("ro %+v", p.ROSections)
	}
}

func TestBuildErrors(t *testing.T) {
	for _, c := range []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.Text = s.Text[:7] }, "not a multiple of 8"},
		{func(s *Spec) { s.Entry = "main" }, `entry "main" is not a function`},
		{func(s *Spec) { s.Functions = append(s.Functions, s.Functions[0]) }, "defined twice"},
		{func(s *Spec) { s.Functions[0].PC = 99 }, "outside the text"},
		{func(s *Spec) { s.Calls[0].PC = 2 }, "not a call instruction"},
		{func(s *Spec) { s.Loads[0].PC = 2 }, "not an lddw"},
		{func(s *Spec) { s.Loads[0].Offset = 6 }, "refers past .rodata"},
		{func(s *Spec) { s.ROData = nil }, "refers past .rodata"},
	} {
		s := noopSpec()
		c.edit(&s)
		if _, err := Build(s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	s := callsSpec(false)
	s.Calls[1].Relocate = true
	if _, err := Build(s); err == nil || !strings.Contains(err.Error(), "static function") {
		t.Errorf("relocated call to a static function: %v", err)
	}
}

func TestBuildDeterministic(t *testing.T) {
	a, _ := Build(noopSpec())
	b, _ := Build(noopSpec())
	if !reflect.DeepEqual(a.Bytes, b.Bytes) {
		t.Fatal("two builds of one spec differ")
	}
}
