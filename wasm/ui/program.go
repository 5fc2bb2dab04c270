package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/elf"
	"github.com/rbpfgo/rbpfgo/core/jit"
	wasmjit "github.com/rbpfgo/rbpfgo/core/jit/wasm"
)

// Loaded is the program the page currently shows.
type Loaded struct {
	Name   string
	Origin string // "file", "example" or "assembly"
	// ELF is the file's bytes (for assembly, the ELF built from it).
	ELF []byte
	// Source is the assembly the ELF was built from, if any.
	Source string
	// Example is the id of the built-in example, if it is one.
	Example string

	// Prog is the loaded program, nil when the loader rejected the file.
	Prog *elf.Program
	// open records the long tables shown in full (see limitRows).
	open map[string]bool
	// Log is what the loader did, also for rejected files.
	Log *elf.Log
	// Err is the loader's error, nil on success.
	Err error

	lines   []DisLine         // the disassembly, made on first use
	rowHTML map[int]cachedRow // the listing's drawn rows by pc (ListingRows)
	graph   *cfg.Graph        // the control-flow graph, made on first use

	jitProg *jit.Program // the JIT's compilation, made on first use
	jitErr  error
	wasmMod *wasmjit.Module // the compiled tier's module, made on first use
	wasmErr error

	sha           string  // the sha256 of ELF in hex, made on first use
	linkELF       string  // ELF deflated for links, made on first use
	verdict       verdict // rbpf's verifier on the program, run on first use
	loaderVerdict verdict // the Solana loader's verifier, likewise

	fnStarts []int    // where functions start, sorted (functionAt)
	fnNames  []string // their names
}

// SHA is the sha256 of the file, in hex.
func (p *Loaded) SHA() string {
	if p.sha == "" {
		p.sha = shaHex(p.ELF)
	}
	return p.sha
}

// Status is a one-line summary of the load.
func (p *Loaded) Status() string {
	if p.Err != nil {
		return "rejected: " + p.Err.Error()
	}
	return fmt.Sprintf("loaded: %s, entrypoint at %d", count(uint64(len(p.Prog.Text)/8), "instruction"), p.Prog.Entrypoint)
}

// RefuseFile reports a file that is too large to read.
func (a *App) RefuseFile(name string, size int) {
	a.Err = fmt.Sprintf("%s is %s; the playground reads files up to %s, so it was not read.",
		name, sizeText(size), sizeText(MaxFileSize))
}

// LoadFile loads the bytes of a dropped or picked file: a program, or an
// instruction document (JSON) for the Instruction panel. A program that a
// link asked for continues where the link left off.
func (a *App) LoadFile(name string, data []byte) {
	defer a.Recover("load " + name)
	if len(data) > MaxFileSize {
		a.RefuseFile(name, len(data))
		return
	}
	a.Err = ""
	if IsTraceFile(data) {
		a.Trace.Open(name, data)
		a.Permalink()
		return
	}
	if isJSONObject(data) {
		a.Ix.ImportInstruction(data)
		a.View = "instruction"
		a.Permalink()
		return
	}
	pending := a.Pending
	a.Pending = nil
	a.loadELF(&Loaded{Name: name, Origin: "file", ELF: data})
	a.View = "inspect"
	if pending != nil {
		if a.Prog.SHA() != pending.SHA {
			a.Notice = fmt.Sprintf("%s is not the file the link names (%s, sha256 %s), so the link's state was not applied.", name, pending.Name, pending.SHA)
		} else {
			func() {
				a.restoring = true
				defer func() { a.restoring = false }()
				a.applyLinkState(pending.link)
			}()
			a.link.place = ""
		}
	}
	a.Permalink()
}

// isJSONObject reports whether data starts, after white space, with '{'.
func isJSONObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return false
}

// loadELF runs the loader over p.ELF and makes p the current program, even
// when the loader rejects it: the inspector then shows why.
func (a *App) loadELF(p *Loaded) {
	prog, log, err := loadSafely(p.ELF)
	p.Prog, p.Log, p.Err = prog, log, err
	a.Prog = p
	a.Pending = nil
	a.link.remember(p)
	a.Debug.programLoaded(p)
	a.Ix.programLoaded(p.ELF)
	a.Reloc = RelocState{hub: a}
	a.Reloc.Reset(p)
	a.List.reset()
	a.Notice = ""
	a.Hash.Compute()
	a.Trace.ProgramLoaded()
	a.prepareProgram(p)
}

// prepareProgram disassembles a newly loaded program in a browser turn
// after the page has painted it, while the visitor reads the inspector, so
// that the listing opens without waiting for it (a real program takes
// the page 0.1–0.2 s), and in the next turn builds its control-flow
// graph, which the Disassembly view draws and the first step of a
// recorded run needs to name functions (as long again), and in a third
// the debugger's run (DebugState.cachedBuild). A program of
// more than prepareGraphSlots instructions gets its graph when one of
// those needs it instead: a turn of seconds would hold up the visitor's
// first click.
func (a *App) prepareProgram(p *Loaded) {
	if a.Env == nil || a.Host == nil || p.Prog == nil {
		return
	}
	steps := []func(){func() { p.disasmLines() }}
	if len(p.Prog.Text)/ebpf.InsnSize <= prepareGraphSlots {
		steps = append(steps, func() { p.flowGraph() })
	}
	// The debugger's run: loading it again through runspec and the
	// loader's verifier take a real program tens of milliseconds, which
	// opening the debugger would otherwise wait for.
	steps = append(steps, func() { a.Debug.cachedBuild(p) })
	a.Go("disassembling", func() {
		for i, prepare := range steps {
			if i == 0 {
				a.Host.AfterPaint()
			} else {
				a.Host.Yield()
			}
			func() {
				a.Env.Lock()
				defer a.Env.UnlockOnly()
				if a.Prog == p {
					prepare()
				}
			}()
		}
	})
}

// prepareGraphSlots is the largest program whose graph prepareProgram
// builds: real programs of 30 000 instructions take a few tenths of a
// second.
const prepareGraphSlots = 40_000

// loadSafely is elf.LoadWithLog with a panic in the loader reported as an
// error: a hostile file must never take the page down.
func loadSafely(data []byte) (prog *elf.Program, log *elf.Log, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("the loader crashed on this file: %v", r)
		}
	}()
	prog, log, err = elf.LoadWithLog(data)
	if err != nil {
		var ee *elf.Error
		if errors.As(err, &ee) {
			err = fmt.Errorf("ELF error: %w", ee)
		}
	}
	return prog, log, err
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// StatusClass is the CSS class of the load status line.
func (p *Loaded) StatusClass() string {
	if p != nil && p.Err != nil {
		return "status bad"
	}
	return "status ok"
}

// functionNames names the functions of the symbol table by the slot they
// start at, counted from the start of .text.
func (p *Loaded) functionNames() map[int]string {
	names := map[int]string{}
	if p.Log == nil || p.Log.Info == nil || p.Prog == nil {
		return names
	}
	var text uint64
	found := false
	for _, s := range p.Log.Info.Sections {
		if s.Name == ".text" {
			text, found = s.Addr, true
		}
	}
	if !found {
		return names
	}
	for _, s := range append(p.Log.Info.Symbols, p.Log.Info.DynamicSymbols...) {
		if s.IsFunction() && s.Name != "" && s.Value >= text && (s.Value-text)%8 == 0 {
			names[int((s.Value-text)/8)] = s.Name
		}
	}
	return names
}

// DownloadELF offers the current file, as loaded or as built from
// assembly or an example, for use with the CLI or rbpf itself.
func (a *App) DownloadELF() {
	defer a.Recover("download")
	if a.Prog == nil || len(a.Prog.ELF) == 0 {
		return
	}
	name := a.Prog.Name
	if !strings.HasSuffix(name, ".so") {
		name += ".so"
	}
	a.Host.Download(name, a.Prog.ELF)
}
