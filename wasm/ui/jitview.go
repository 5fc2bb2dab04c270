package ui

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/jit"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// jitCode compiles the current program with the JIT's pure-Go compiler
// (nothing is executed in the browser) and decodes the machine code of
// every slot, once per program.
func (a *App) jitCode() ([]jit.InsnCode, *jit.Program, error) {
	p := a.Prog
	if p == nil || p.Prog == nil {
		return nil, nil, fmt.Errorf("load a program that the loader accepts first")
	}
	if p.jitErr == nil && p.jitCode == nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					p.jitErr = fmt.Errorf("the JIT compiler crashed: %v", r)
				}
			}()
			exe := &vm.Executable{Config: vm.DefaultConfig(), Program: p.Prog, Syscalls: playgroundSyscalls()}
			prog, err := jit.Compile(exe, jit.Options{})
			if err != nil {
				p.jitErr = err
				return
			}
			p.jitProg, p.jitCode = prog, jit.Disassemble(prog)
		}()
	}
	return p.jitCode, p.jitProg, p.jitErr
}

// JITPC is the slot the machine-code view shows: the cursor, else the
// debugger's pc, else the entrypoint.
func (a *App) JITPC() int {
	switch {
	case a.Debug.Cursor >= 0:
		return a.Debug.Cursor
	case a.debugPC() >= 0:
		return a.debugPC()
	case a.Prog != nil && a.Prog.Prog != nil:
		return a.Prog.Prog.Entrypoint
	}
	return 0
}

// JITError is why there is no machine code to show.
func (a *App) JITError() string {
	if _, _, err := a.jitCode(); err != nil {
		return err.Error()
	}
	return ""
}

// JITSummary describes the whole compiled image.
func (a *App) JITSummary() string {
	code, prog, err := a.jitCode()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d slots → %d bytes of x86-64 (%d bytes for the slots, the rest shared routines and error paths)",
		len(code), len(prog.Code), prog.PCOffsets[len(code)])
}

// JITRow is one x86 instruction of the current slot.
type JITRow struct {
	Offset, Bytes, Text string
}

// JITTitle names the slot shown.
func (a *App) JITTitle() string {
	pc := a.JITPC()
	for _, l := range a.disasmLines() {
		if l.PC == pc {
			return fmt.Sprintf("instruction %d: %s", pc, l.Text)
		}
	}
	return fmt.Sprintf("instruction %d", pc)
}

// JITRows decodes the machine code of the current slot.
func (a *App) JITRows() []JITRow {
	code, prog, err := a.jitCode()
	pc := a.JITPC()
	if err != nil || pc < 0 || pc >= len(code) {
		return nil
	}
	c := code[pc]
	off := prog.PCOffsets[pc]
	var rows []JITRow
	rest := c.Native
	for _, text := range c.Text {
		n := x86Len(rest)
		rows = append(rows, JITRow{Offset: fmt.Sprintf("%04x", off), Bytes: hexBytes(rest[:n]), Text: text})
		off += n
		rest = rest[n:]
	}
	return rows
}

// JITNote explains an empty slot (the second half of an lddw).
func (a *App) JITNote() string {
	if len(a.JITRows()) == 0 && a.JITError() == "" {
		return "No machine code: this slot is the second half of an lddw, or past the end."
	}
	return strings.TrimSpace("")
}
