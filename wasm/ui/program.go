package ui

import (
	"bytes"
	"fmt"
)

// Loaded is the program the page currently shows.
type Loaded struct {
	Name   string
	Origin string // "file", "example" or "assembly"
	// ELF is the file's bytes (for assembly, the ELF built from it).
	ELF []byte
	// Source is the assembly the ELF was built from, if any.
	Source string
}

// RefuseFile reports a file that is too large to read.
func (a *App) RefuseFile(name string, size int) {
	a.Err = fmt.Sprintf("%s is %s; the playground reads files up to %s, so it was not read.",
		name, sizeText(size), sizeText(MaxFileSize))
}

// LoadFile loads the bytes of a dropped or picked file.
func (a *App) LoadFile(name string, data []byte) {
	defer a.Recover("load " + name)
	if len(data) > MaxFileSize {
		a.RefuseFile(name, len(data))
		return
	}
	a.Err = ""
	a.loadELF(&Loaded{Name: name, Origin: "file", ELF: data})
}

// loadELF makes p the current program and runs the loader over it.
func (a *App) loadELF(p *Loaded) {
	a.Prog = p
	a.LoadErr = ""
	if !bytes.HasPrefix(p.ELF, []byte("\x7fELF")) {
		a.LoadErr = "not an ELF file (it does not start with 7f 45 4c 46)"
	}
	a.View = "inspect"
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

// Start applies the URL fragment the page was opened with.
func (a *App) Start(fragment string) {
	defer a.Recover("start")
	_ = fragment
}
