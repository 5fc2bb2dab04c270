package elf

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// image is the byte string rbpf keeps as the program's ELF: the relocated
// file, or for a program made from bytes the bytes themselves.
func (p *Program) image() []byte {
	if p.file != nil {
		return p.file
	}
	return p.Text
}

// Image returns the relocated ELF file the program was loaded from, or nil
// for a program made from bytes. It must not be modified.
func (p *Program) Image() []byte { return p.file }

func satMul(a, b uint64) uint64 {
	if a != 0 && b > ^uint64(0)/a {
		return ^uint64(0)
	}
	return a * b
}

// ReportUnresolvedSymbol is rbpf's report_unresolved_symbol for a `call`
// at instruction index pc that matched neither a syscall nor a function.
// It reparses the relocated image and names the symbol of the last
// R_BPF_64_32 relocation at the call's file offset, or "Unknown". A
// relocation whose symbol cannot be read yields UnknownSymbol instead, as in
// rbpf.
func (p *Program) ReportUnresolvedSymbol(pc int) error {
	off := satAdd(satMul(uint64(pc), ebpf.InsnSize), p.TextOffset)
	name := "Unknown"
	if f, err := parseFile(p.image()); err == nil {
		for i := uint64(0); i < f.dynrels.count; i++ {
			rel := f.dynrels.get(i)
			if rel.Type != reloc64_32 || rel.Offset != off {
				continue
			}
			sym, ok := f.dynsyms.get(rel.Sym)
			if !ok {
				return &Error{Kind: UnknownSymbol, Value: rel.Sym}
			}
			n, st := f.dynstrtab.get(uint64(sym.NameOffset))
			if st != strOK {
				return &Error{Kind: UnknownSymbol, Value: uint64(sym.NameOffset)}
			}
			name = string(n)
		}
	}
	return &Error{Kind: UnresolvedSymbol, Detail: name, Insn: int(off/ebpf.InsnSize) + ebpf.ElfInsnDumpOffset, Offset: off}
}

// Symbols is rbpf's get_symbols: the syscalls the program imports (dynamic
// symbols with st_info 0x10, global and untyped) by hash, and the functions
// of the symbol table (st_info & 0xef == 2: local or global functions) by
// st_value/8 - 29, which is the instruction index only for a .text at file
// offset 0xe8 (the subtraction wraps as rbpf's release build does).
//
// rbpf panics on a symbol whose name cannot be read; such symbols are
// skipped here. A program whose image does not parse has no symbols.
func (p *Program) Symbols() (syscalls map[uint32]string, functions map[int]FunctionSymbol) {
	syscalls, functions = map[uint32]string{}, map[int]FunctionSymbol{}
	f, err := parseFile(p.image())
	if err != nil {
		return syscalls, functions
	}
	dynstr, str := string(f.dynstrtab.b), string(f.strtab.b)
	for i := uint64(0); i < f.dynsyms.count; i++ {
		s, _ := f.dynsyms.get(i)
		if s.Info != 0x10 {
			continue
		}
		if name, ok := lookupName(f.dynstrtab, dynstr, s.NameOffset); ok {
			syscalls[ebpf.HashSymbolName([]byte(name))] = name
		}
	}
	for i := uint64(0); i < f.syms.count; i++ {
		s, _ := f.syms.get(i)
		if s.Info&0xef != 0x02 {
			continue
		}
		if name, ok := lookupName(f.strtab, str, s.NameOffset); ok {
			pc := int(s.Value/ebpf.InsnSize - ebpf.ElfInsnDumpOffset)
			functions[pc] = FunctionSymbol{Name: name, Size: int(s.Size)}
		}
	}
	return syscalls, functions
}

// lookupName returns the name at off as a substring of whole, the table
// converted once, so that many symbols sharing long names cost no copies.
func lookupName(t strtab, whole string, off uint32) (string, bool) {
	b, st := t.get(uint64(off))
	if st != strOK {
		return "", false
	}
	return whole[off : int(off)+len(b)], true
}
