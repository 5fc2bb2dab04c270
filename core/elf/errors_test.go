package elf

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestErrorTexts pins every ElfError message of rbpf v0.2.8, typos included.
func TestErrorTexts(t *testing.T) {
	for _, c := range []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: FailedToParse, Detail: "malformed: Too small"}, "Failed to parse ELF file: malformed: Too small"},
		{&Error{Kind: EntrypointOutOfBounds}, "Entrypoint out of bounds"},
		{&Error{Kind: InvalidEntrypoint}, "Invaid entrypoint"},
		{&Error{Kind: FailedToGetSection, Detail: ".text"}, "Failed to get section .text"},
		{&Error{Kind: UnresolvedSymbol, Detail: "log_64", Insn: 550, Offset: 4168}, "Unresolved symbol (log_64) at instruction #550 (ELF file offset 0x1048)"},
		{&Error{Kind: SectionNotFound, Detail: ".text"}, "Section not found: .text"},
		{&Error{Kind: RelativeJumpOutOfBounds, Insn: 29}, "Relative jump out of bounds at instruction #29"},
		{&Error{Kind: RelocationHashCollision, Insn: 30}, "Relocation hash collision while encoding instruction #30"},
		{&Error{Kind: WrongEndianess}, "Incompatible ELF: wrong endianess"},
		{&Error{Kind: WrongAbi}, "Incompatible ELF: wrong ABI"},
		{&Error{Kind: WrongMachine}, "Incompatible ELF: wrong machine"},
		{&Error{Kind: WrongClass}, "Incompatible ELF: wrong class"},
		{&Error{Kind: MultipleTextSections}, "Multiple text sections, consider removing llc option: -function-sections"},
		{&Error{Kind: BssNotSupported}, ".bss section not supported"},
		{&Error{Kind: AddressOutsideLoadableSection, Value: 0x1234}, "Relocation failed, no loadable section contains virtual address 0x1234"},
		{&Error{Kind: InvalidVirtualAddress, Value: 0}, "Relocation failed, invalid referenced virtual address 0x0"},
		{&Error{Kind: UnknownRelocation, Value: 1}, "Relocation failed, unknown type 1"},
		{&Error{Kind: FailedToReadRelocationInfo}, "Failed to read relocation info"},
		{&Error{Kind: WrongType}, "Incompatible ELF: wrong type"},
		{&Error{Kind: UnknownSymbol, Value: 7}, "Unknown symbol with index 7"},
		{&Error{Kind: OutOfBounds}, "Offset or value is out of bounds"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%v: got %q, want %q", c.err.Kind, got, c.want)
		}
	}
}

func TestErrorKind(t *testing.T) {
	var err error = &Error{Kind: WrongMachine}
	if !errors.Is(err, &Error{Kind: WrongMachine}) || errors.Is(err, &Error{Kind: WrongType}) {
		t.Fatal("errors.Is does not compare kinds")
	}
	js, _ := json.Marshal(&Error{Kind: UnknownRelocation, Value: 1})
	if string(js) != `{"kind":"UnknownRelocation","value":1}` {
		t.Fatal(string(js))
	}
	if Kind(0).String() != "Kind(0)" || OutOfBounds.String() != "OutOfBounds" {
		t.Fatal("kind names")
	}
}

// TestVariantsTable walks every kind: each has its name, a Display and a
// Debug format that begins with the name, and both format without
// complaint with every field set.
func TestVariantsTable(t *testing.T) {
	names := map[string]Kind{}
	for k := Kind(1); k < numKinds; k++ {
		v := variants[k]
		if v.name == "" || v.display == "" || !strings.HasPrefix(v.debug, v.name) {
			t.Errorf("kind %d: %+v", k, v)
			continue
		}
		if prev, dup := names[v.name]; dup {
			t.Errorf("kinds %d and %d are both %s", prev, k, v.name)
		}
		names[v.name] = k
		e := &Error{Kind: k, Detail: "d", Insn: 30, Offset: 8, Value: 9}
		for _, text := range []string{e.Error(), e.Debug()} {
			if text == "" || strings.Contains(text, "%!") {
				t.Errorf("kind %d: %q", k, text)
			}
		}
	}
	if v := variants[0]; v.name != "" || v.display != "" || v.debug != "" || v.args != nil {
		t.Error("kind 0 is not a variant and has no row")
	}
}
