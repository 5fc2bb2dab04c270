package elf

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// Load parses, validates and relocates an ELF shared object as rbpf
// v0.2.8's EBpfElf::load does, returning the same errors in the same order.
// data is not modified; the Program keeps a relocated copy.
func Load(data []byte) (*Program, error) {
	p, err := load(data, nil)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// LoadWithLog is Load that also records what the loader did: the parsed
// headers, each validation check and each relocation step. The Program is
// identical to Load's. The Log is returned on failure too, with the failed
// check or step and the error.
func LoadWithLog(data []byte) (*Program, *Log, error) {
	l := &Log{Checks: []Check{}, Steps: []Step{}}
	p, err := load(data, l)
	if err != nil {
		return nil, l, err
	}
	return p, l, nil
}

func load(data []byte, l *Log) (*Program, *Error) {
	f, perr := parseFile(data)
	if perr != nil {
		return nil, l.fail("parse", "the file parses as ELF", perr.Detail, perr)
	}
	if l != nil {
		l.Info = f.info()
		l.pass("parse", "the file parses as ELF", fmt.Sprintf("%d program headers, %d section headers", len(f.phdrs), len(f.shdrs)))
	}
	image := make([]byte, len(data))
	copy(image, data)
	text, err := validate(f, l)
	if err != nil {
		return nil, err
	}
	calls := make(map[uint32]int, callSlots(image[text.Offset:text.fileEnd()]))
	r := &relocator{f: f, image: image, text: text, calls: calls, l: l}
	if err := r.relocate(); err != nil {
		return nil, l.fail("relocate", "every relocation applies", err.Error(), err)
	}
	if l != nil {
		l.pass("relocate", "every relocation applies", fmt.Sprintf("%d steps", len(l.Steps)))
	}
	return finish(f, image, text, r.calls, l)
}

// finish computes the entrypoint and the sections of a relocated image.
func finish(f *file, image []byte, text *SectionHeader, calls map[uint32]int, l *Log) (*Program, *Error) {
	c := checker{l}
	off := f.header.Entry - text.Addr
	if err := c.run("entrypoint-aligned", off%ebpf.InsnSize == 0, InvalidEntrypoint, "entrypoint - .text address a multiple of 8", func() string {
		return fmt.Sprintf("%#x", off)
	}); err != nil {
		return nil, err
	}
	vaddr := satAdd(text.Addr, ebpf.MMProgramStart)
	if err := c.run("text-vaddr", vaddr <= ebpf.MMStackStart, OutOfBounds, "at most 0x200000000", func() string {
		return fmt.Sprintf("%#x", vaddr)
	}); err != nil {
		return nil, err
	}
	p := &Program{
		Text:       image[text.Offset:text.fileEnd()],
		TextVaddr:  vaddr,
		TextOffset: text.Offset,
		Entrypoint: int(off / ebpf.InsnSize),
		Calls:      calls,
		ROSections: []Section{},
		file:       image,
	}
	bad := ""
	for i := range f.shdrs {
		s := &f.shdrs[i]
		name, st := f.shstrtab.get(uint64(s.NameOffset))
		if st != strOK || !isROName(name) {
			continue
		}
		sec := Section{Name: string(name), Vaddr: satAdd(s.Addr, ebpf.MMProgramStart), Offset: s.Offset, Data: image[s.Offset:s.fileEnd()]}
		if sec.Vaddr > ebpf.MMStackStart && bad == "" {
			bad = fmt.Sprintf("%s at %#x", sec.Name, sec.Vaddr)
		}
		p.ROSections = append(p.ROSections, sec)
	}
	if err := c.run("ro-vaddr", bad == "", OutOfBounds, "every read-only section at most 0x200000000", func() string {
		if bad == "" {
			return fmt.Sprintf("%d read-only sections", len(p.ROSections))
		}
		return bad
	}); err != nil {
		return nil, err
	}
	return p, nil
}

func isROName(b []byte) bool {
	s := string(b)
	return s == ".rodata" || s == ".data.rel.ro" || s == ".eh_frame"
}
