package ui

import (
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/elf/elfbuild"
	"github.com/rbpfgo/rbpfgo/web/examples"
)

// Examples are the built-in programs offered on the Load view.
var Examples = examples.List

// buildELF assembles src and packages it as an ELF file with the
// project's ELF builder; reject adds a relocation of an unknown type.
func buildELF(src string, reject bool) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the ELF builder crashed: %v", r)
		}
	}()
	spec, err := elfbuild.FromAssembly(src)
	if err != nil {
		return nil, err
	}
	f, err := elfbuild.Build(*spec)
	if err != nil || !reject {
		return f.Bytes, err
	}
	// Add a relocation of type 99, which rbpf v0.2.8 does not know, aimed
	// at the first instruction: the loader applies the relative calls, then
	// stops on it.
	text, _ := f.Section(".text")
	spec.ExtraRelocs = append(spec.ExtraRelocs, elfbuild.RawReloc{Offset: text.Addr, Info: 99})
	if f, err = elfbuild.Build(*spec); err != nil {
		return nil, err
	}
	return f.Bytes, nil
}

// OpenExample loads built-in example id.
func (a *App) OpenExample(id string) {
	defer a.Recover("example " + id)
	a.Err = ""
	a.openExample(id)
	a.View = "inspect"
	a.Permalink()
}

func (a *App) openExample(id string) {
	ex, ok := examples.Find(id)
	src, ok2 := examples.Source(id)
	if !ok || !ok2 {
		a.Err = fmt.Sprintf("there is no example %q", id)
		return
	}
	data, err := buildELF(src, ex.Reject)
	if err != nil {
		a.Err = fmt.Sprintf("example %s does not build: %v", id, err)
		return
	}
	a.Source = src
	a.loadELF(&Loaded{Name: id + ".so", Origin: "example", Example: id, ELF: data, Source: src})
}

// BuildSource assembles the editor's text into an ELF file and loads it.
func (a *App) BuildSource() {
	defer a.Recover("build")
	a.Err = ""
	if a.buildSource("editor.so") {
		a.View = "debug"
		a.Permalink()
	}
}

func (a *App) buildSource(name string) bool {
	if name == "" {
		name = "editor.so"
	}
	data, err := buildELF(a.Source, false)
	if err != nil {
		a.BuildErr = err.Error()
		return false
	}
	a.BuildErr = ""
	a.loadELF(&Loaded{Name: name, Origin: "assembly", ELF: data, Source: a.Source})
	return true
}
