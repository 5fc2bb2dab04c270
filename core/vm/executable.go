package vm

import (
	"github.com/rbpfgo/rbpfgo/core/elf"
)

// Verifier checks a program's text before it is accepted, as rbpf's
// `Verifier` (core/verifier.Check is one). Its error is returned wrapped as
// rbpf's UserError variant, whose text is the verifier's own.
type Verifier func(prog []byte) error

// Executable is a loaded program ready to run: rbpf's Executable, with the
// configuration and the syscall registry beside the program. Do not change
// it while a VM built from it is running.
type Executable struct {
	Config   Config
	Program  *elf.Program
	Syscalls *SyscallRegistry
}

// FromText makes an Executable of raw instruction bytes (rbpf's
// from_text_bytes): verify, when not nil, checks text first. The registry
// starts empty.
func FromText(text []byte, cfg Config, verify Verifier) (*Executable, error) {
	if verify != nil {
		if err := verify(text); err != nil {
			return nil, WrapUser(err)
		}
	}
	return &Executable{Config: cfg, Program: elf.FromText(text), Syscalls: NewSyscallRegistry()}, nil
}

// FromELF loads, validates and relocates an ELF file (rbpf's from_elf);
// verify, when not nil, then checks the relocated text. Loader errors are
// wrapped as rbpf's ElfError ("ELF error: ...").
func FromELF(data []byte, cfg Config, verify Verifier) (*Executable, error) {
	prog, err := elf.Load(data)
	if err != nil {
		return nil, WrapELF(err)
	}
	if verify != nil {
		if err := verify(prog.Text); err != nil {
			return nil, WrapUser(err)
		}
	}
	return &Executable{Config: cfg, Program: prog, Syscalls: NewSyscallRegistry()}, nil
}

// RegisterFunction makes `call hash` call the function at instruction pc
// (rbpf's register_bpf_function).
func (e *Executable) RegisterFunction(hash uint32, pc int) {
	e.Program.RegisterFunction(hash, pc)
}

// UnresolvedSymbolError is the error of a `call imm` at instruction pc whose
// immediate names neither a syscall nor a function: rbpf's
// report_unresolved_symbol, wrapped as an ELF error like every loader
// error. Both engines report it through here.
func (e *Executable) UnresolvedSymbolError(pc int) error {
	err := e.Program.ReportUnresolvedSymbol(pc)
	if _, isELF := err.(*elf.Error); isELF {
		return WrapELF(err)
	}
	return err
}
