package elf

import "fmt"

// checker runs one check: on a nil Log it only returns the error, so a
// load without a log formats nothing.
type checker struct{ l *Log }

func (c checker) run(name string, ok bool, k Kind, want string, got func() string) *Error {
	if ok {
		if c.l != nil {
			c.l.pass(name, want, got())
		}
		return nil
	}
	err := kindError(k)
	if c.l != nil {
		c.l.fail(name, want, got(), err)
	}
	return err
}

// validate is rbpf's validate: the header identification, the machine and
// type, exactly one .text and no .bss, every section's bytes inside the
// file, and the entrypoint inside .text. It returns the .text header.
func validate(f *file, l *Log) (*SectionHeader, *Error) {
	c := checker{l}
	h := &f.header
	if err := c.run("class", h.Ident[4] == elfClass64, WrongClass, "ELFCLASS64 (2)", func() string {
		return fmt.Sprintf("%s (%d)", className(h.Ident[4]), h.Ident[4])
	}); err != nil {
		return nil, err
	}
	if err := c.run("data", h.Ident[5] == elfDataLSB, WrongEndianess, "ELFDATA2LSB (1)", func() string {
		return fmt.Sprintf("%s (%d)", dataName(h.Ident[5]), h.Ident[5])
	}); err != nil {
		return nil, err
	}
	if err := c.run("osabi", h.Ident[7] == elfOSABINone, WrongAbi, "ELFOSABI_NONE (0)", func() string {
		return fmt.Sprint(h.Ident[7])
	}); err != nil {
		return nil, err
	}
	if err := c.run("machine", h.Machine == emBPF, WrongMachine, "EM_BPF (247)", func() string {
		return machineName(h.Machine)
	}); err != nil {
		return nil, err
	}
	if err := c.run("type", h.Type == etDyn, WrongType, "ET_DYN (3)", func() string {
		return typeName(h.Type)
	}); err != nil {
		return nil, err
	}
	return validateSections(f, c)
}

func validateSections(f *file, c checker) (*SectionHeader, *Error) {
	text, err := checkNames(f, c)
	if err != nil {
		return nil, err
	}
	if err := checkBounds(f, c); err != nil {
		return nil, err
	}
	e := f.header.Entry
	in := e >= text.Addr && e < text.vmEnd()
	want := ""
	if c.l != nil {
		want = fmt.Sprintf(".text [%#x, %#x)", text.Addr, text.vmEnd())
	}
	if err := c.run("entrypoint-in-text", in, EntrypointOutOfBounds, want, func() string {
		return fmt.Sprintf("%#x", e)
	}); err != nil {
		return nil, err
	}
	return text, nil
}

// checkNames requires exactly one section named .text (returning the
// first) and none named .bss.
func checkNames(f *file, c checker) (*SectionHeader, *Error) {
	var text *SectionHeader
	texts, bss := 0, -1
	for i := range f.shdrs {
		if f.shstrtab.is(uint64(f.shdrs[i].NameOffset), ".text") {
			if texts == 0 {
				text = &f.shdrs[i]
			}
			texts++
		}
		if bss < 0 && f.shstrtab.is(uint64(f.shdrs[i].NameOffset), ".bss") {
			bss = i
		}
	}
	if err := c.run("text-sections", texts == 1, MultipleTextSections, "exactly one .text", func() string {
		return fmt.Sprintf("%d", texts)
	}); err != nil {
		return nil, err
	}
	return text, c.run("no-bss", bss < 0, BssNotSupported, "no .bss", func() string {
		if bss < 0 {
			return "none"
		}
		return fmt.Sprintf(".bss is section %d", bss)
	})
}

// checkBounds requires every section's bytes (SHT_NOBITS included, as rbpf
// checks them) to lie inside the file.
func checkBounds(f *file, c checker) *Error {
	bad := -1
	for i := range f.shdrs {
		end, overflow := addOverflow(f.shdrs[i].Offset, f.shdrs[i].Size)
		if overflow || end > uint64(len(f.data)) {
			bad = i
			break
		}
	}
	want := ""
	if c.l != nil {
		want = fmt.Sprintf("every section within the file's %d bytes", len(f.data))
	}
	return c.run("sections-in-file", bad < 0, OutOfBounds, want, func() string {
		if bad < 0 {
			return fmt.Sprintf("%d sections inside", len(f.shdrs))
		}
		s := &f.shdrs[bad]
		return fmt.Sprintf("section %d: offset %#x + size %#x", bad, s.Offset, s.Size)
	})
}

func className(c byte) string {
	switch c {
	case elfClass32:
		return "ELFCLASS32"
	case elfClass64:
		return "ELFCLASS64"
	}
	return "unknown class"
}

func dataName(d byte) string {
	switch d {
	case elfDataLSB:
		return "ELFDATA2LSB"
	case elfDataMSB:
		return "ELFDATA2MSB"
	}
	return "unknown encoding"
}

func typeName(t uint16) string {
	names := map[uint16]string{0: "ET_NONE", 1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN", 4: "ET_CORE"}
	if n, ok := names[t]; ok {
		return fmt.Sprintf("%s (%d)", n, t)
	}
	return fmt.Sprint(t)
}

func machineName(m uint16) string {
	names := map[uint16]string{0: "EM_NONE", 3: "EM_386", 40: "EM_ARM", 62: "EM_X86_64", 164: "EM_QDSP6", 183: "EM_AARCH64", 243: "EM_RISCV", 247: "EM_BPF", 263: "EM_SBPF"}
	if n, ok := names[m]; ok {
		return fmt.Sprintf("%s (%d)", n, m)
	}
	return fmt.Sprint(m)
}
