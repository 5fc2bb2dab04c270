package elf

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
)

// TestOriginalAndRelocatedImage: rbpf relocates a copy of the file but
// reads relocations and symbol names from its parse of the original; only
// report_unresolved_symbol and get_symbols reparse the relocated copy. A
// relative relocation that overwrites the name "log" in .dynstr shows both.
func TestOriginalAndRelocatedImage(t *testing.T) {
	f := buildWith(t, func(s *elfbuild.Spec) { s.ExtraRelocs = []elfbuild.RawReloc{{Info: 8}} })
	rel, _ := f.Section(".rel.dyn")
	dynstr, _ := f.Section(".dynstr")
	if string(f.Bytes[dynstr.Offset+1:dynstr.Offset+5]) != "log\x00" {
		t.Fatalf(".dynstr starts % x", f.Bytes[dynstr.Offset:dynstr.Offset+8])
	}
	binary.LittleEndian.PutUint64(f.Bytes[rel.Offset+rel.Size-16:], dynstr.Offset+1)
	p, err := Load(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	// The call was relocated with the original name.
	if got := binary.LittleEndian.Uint32(p.Text[2*8+4:]); got != ebpf.HashSymbolName([]byte("log")) {
		t.Fatalf("call imm %#x", got)
	}
	// The relocated image holds MM_PROGRAM_START + "entr" where "log\0entr" was.
	img := p.Image()[dynstr.Offset+1 : dynstr.Offset+9]
	if !bytes.Equal(img, []byte{'e', 'n', 't', 'r', 1, 0, 0, 0}) {
		t.Fatalf("relocated .dynstr % x", img)
	}
	// The report reparses the relocated image and sees the new name.
	want := "Unresolved symbol (entr\x01) at instruction #" // then 29 + offset/8
	if got := p.ReportUnresolvedSymbol(2).Error(); len(got) < len(want) || got[:len(want)] != want {
		t.Fatalf("report %q", got)
	}
}

// TestOverlappingSections: rbpf does not check that sections are disjoint;
// a .rodata laid over .text maps the relocated instructions read-only.
func TestOverlappingSections(t *testing.T) {
	f := buildWith(t, nil)
	text, _ := f.Section(".text")
	ro, _ := f.Section(".rodata")
	for _, field := range []struct {
		at  uint64
		val uint64
	}{{16, text.Addr}, {24, text.Offset}, {32, text.Size}} {
		binary.LittleEndian.PutUint64(f.Bytes[ro.Header+field.at:], field.val)
	}
	p, err := Load(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ROSections) != 1 || !bytes.Equal(p.ROSections[0].Data, p.Text) || p.ROSections[0].Vaddr != p.TextVaddr {
		t.Fatalf("ro %+v", p.ROSections)
	}
}
