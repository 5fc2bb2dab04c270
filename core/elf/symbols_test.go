package elf

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func TestReportUnresolvedSymbol(t *testing.T) {
	p, err := Load(readFixture(t, "unresolved_syscall"))
	if err != nil {
		t.Fatal(err)
	}
	// Upstream's test_err_unresolved_elf: the call to log_64 at slot 9.
	if got := p.ReportUnresolvedSymbol(9).Error(); got != "Unresolved symbol (log_64) at instruction #550 (ELF file offset 0x1048)" {
		t.Fatal(got)
	}
	if got := p.ReportUnresolvedSymbol(5).Error(); got != "Unresolved symbol (Unknown) at instruction #546 (ELF file offset 0x1028)" {
		t.Fatal(got)
	}
	// A program made from bytes has no relocations: upstream's
	// test_err_symbol_unresolved reports instruction #34 at offset 40.
	q := FromText(make([]byte, 48))
	if got := q.ReportUnresolvedSymbol(5).Error(); got != "Unresolved symbol (Unknown) at instruction #34 (ELF file offset 0x28)" {
		t.Fatal(got)
	}
	wantKind(t, q.ReportUnresolvedSymbol(-1), UnresolvedSymbol)
}

func TestSymbols(t *testing.T) {
	p, err := Load(readFixture(t, "noop"))
	if err != nil {
		t.Fatal(err)
	}
	sys, fns := p.Symbols()
	wantSys := map[uint32]string{ebpf.HashSymbolName([]byte("log")): "log", ebpf.HashSymbolName([]byte("log_64")): "log_64"}
	if !reflect.DeepEqual(sys, wantSys) {
		t.Fatalf("syscalls %v", sys)
	}
	// rbpf keys functions by st_value/8 - 29: 0x1000/8 - 29 = 483.
	if !reflect.DeepEqual(fns, map[int]FunctionSymbol{483: {Name: "entrypoint", Size: 96}}) {
		t.Fatalf("functions %v", fns)
	}
	p, err = Load(readFixture(t, "noro"))
	if err != nil {
		t.Fatal(err)
	}
	if _, fns = p.Symbols(); !reflect.DeepEqual(fns, map[int]FunctionSymbol{0: {Name: "entrypoint", Size: 64}}) {
		t.Fatalf("noro functions %v (text at 0xe8 gives key 0)", fns)
	}
	sys, fns = FromText(make([]byte, 8)).Symbols()
	if len(sys) != 0 || len(fns) != 0 {
		t.Fatal("a program made from bytes has symbols")
	}
}

// TestSymbolsUnreadableName: rbpf unwraps the name and panics; here the
// symbol is left out.
func TestSymbolsUnreadableName(t *testing.T) {
	data := readFixture(t, "noop")
	info, err := Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	var strtab SectionInfo
	for _, s := range info.Sections {
		if s.Name == ".strtab" {
			strtab = s
		}
	}
	for _, s := range info.Symbols {
		if s.Name == "entrypoint" {
			data[strtab.Offset+uint64(s.NameOffset)] = 0xff
		}
	}
	p, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, fns := p.Symbols(); len(fns) != 0 {
		t.Fatalf("functions %v", fns)
	}
}

func TestInspect(t *testing.T) {
	info, err := Inspect(readFixture(t, "multiple_file"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range info.Sections {
		names = append(names, s.Name)
	}
	want := "|.dynsym|.hash|.dynstr|.rel.dyn|.rodata|.text|.dynamic|.symtab|.shstrtab|.strtab"
	if got := strings.Join(names, "|"); got != want {
		t.Fatalf("sections %s", got)
	}
	var dyn []string
	for _, s := range info.DynamicSymbols {
		dyn = append(dyn, s.Name)
	}
	if got := strings.Join(dyn, ","); got != ",log,entrypoint,entrypoint_syscall_function,syscall_function" {
		t.Fatalf("dynamic symbols %s", got)
	}
	if len(info.Relocations) != 7 || info.Relocations[0].Type != 8 || info.Relocations[6].SymbolName != "syscall_function" {
		t.Fatalf("relocations %+v", info.Relocations)
	}
	if info.Header.Machine != 247 || len(info.ProgramHeaders) != 5 || info.Dynamic[len(info.Dynamic)-1].Tag != 0 {
		t.Fatalf("header %+v phdrs %d", info.Header, len(info.ProgramHeaders))
	}
	if _, err := Inspect(nil); err == nil || err.Error() != "Failed to parse ELF file: read-write: bad offset 0" {
		t.Fatal(err)
	}
}
