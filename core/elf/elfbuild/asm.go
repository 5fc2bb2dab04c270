package elfbuild

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/asm"
)

// FromAssembly turns assembly source for core/asm into a Spec. Besides
// core/asm's syntax (labels, `call name`, `lddw rN, name`) the source may
// hold these directives, each on a line of its own:
//
//	.rodata NAME "text"   append the Go-quoted bytes to .rodata; `lddw rN, NAME`
//	                      loads their address
//	.empty_rodata         give the file an empty (SHT_NOBITS) .rodata
//	.function NAME        export the label NAME as a function even if nothing calls it
//	.static NAME          make the function NAME static (relative calls only)
//	.relocate NAME        call the global function NAME through an R_BPF_64_32
//	                      relocation, as calls between object files are
//	.source NAME          name the FILE symbol
//	.layout compact       use the Compact layout
//
// The functions are `entrypoint` (the entry; without that label the entry
// is the first instruction, so plain v0.2.8 assembly builds too), the
// labels that `call` names and those named by .function. A call to a name
// that is not a label is a syscall.
func FromAssembly(src string) (*Spec, error) {
	d, text, err := directives(src)
	if err != nil {
		return nil, err
	}
	p, err := asm.AssembleProgram(text)
	if err != nil {
		return nil, err
	}
	spec := &Spec{Text: p.Bytes, Entry: "entrypoint", Source: d.source, Layout: d.layout, ROData: d.rodata}
	fns := map[string]int{}
	for name, pc := range p.Functions {
		fns[name] = pc
	}
	for _, name := range d.functions {
		pc, ok := p.Labels[name]
		if !ok {
			return nil, fmt.Errorf("elfbuild: .function %s: no such label", name)
		}
		fns[name] = pc
	}
	if _, ok := fns[spec.Entry]; !ok {
		fns[spec.Entry] = 0
	}
	for name, pc := range fns {
		spec.Functions = append(spec.Functions, Function{Name: name, PC: pc, Local: d.static[name]})
	}
	sort.Slice(spec.Functions, func(i, j int) bool { return spec.Functions[i].PC < spec.Functions[j].PC })
	for _, c := range p.Calls {
		spec.Calls = append(spec.Calls, Call{PC: c.PC, Name: c.Name, Relocate: d.relocate[c.Name]})
	}
	for _, l := range p.Loads {
		off, ok := d.data[l.Name]
		if !ok {
			return nil, fmt.Errorf("elfbuild: line %d: lddw of %q, which no .rodata directive defines", l.Line, l.Name)
		}
		spec.Loads = append(spec.Loads, Load{PC: l.PC, Offset: off})
	}
	return spec, nil
}

type asmDirectives struct {
	rodata    []byte
	data      map[string]uint64
	functions []string
	static    map[string]bool
	relocate  map[string]bool
	source    string
	layout    Layout
}

// directives removes the builder's directive lines from src (keeping line
// numbers for the assembler's errors) and interprets them.
func directives(src string) (*asmDirectives, string, error) {
	d := &asmDirectives{data: map[string]uint64{}, static: map[string]bool{}, relocate: map[string]bool{}}
	lines := strings.Split(src, "\n")
	for i, line := range lines {
		fields := strings.Fields(line)
		if len(fields) == 0 || !isDirective(fields[0]) {
			continue
		}
		if err := d.apply(fields[0], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), fields[0]))); err != nil {
			return nil, "", fmt.Errorf("elfbuild: line %d: %v", i+1, err)
		}
		lines[i] = ""
	}
	return d, strings.Join(lines, "\n"), nil
}

func isDirective(word string) bool {
	switch word {
	case ".rodata", ".empty_rodata", ".function", ".static", ".relocate", ".source", ".layout":
		return true
	}
	return false
}

func (d *asmDirectives) apply(name, arg string) error {
	switch name {
	case ".rodata":
		label, quoted, ok := strings.Cut(arg, " ")
		if !ok {
			return fmt.Errorf(".rodata needs a name and a quoted string")
		}
		s, err := strconv.Unquote(strings.TrimSpace(quoted))
		if err != nil {
			return fmt.Errorf(".rodata %s: %v", label, err)
		}
		d.data[label] = uint64(len(d.rodata))
		d.rodata = append(d.rodata, s...)
	case ".empty_rodata":
		if d.rodata == nil {
			d.rodata = []byte{}
		}
	case ".function":
		d.functions = append(d.functions, arg)
	case ".static":
		d.static[arg] = true
	case ".relocate":
		d.relocate[arg] = true
	case ".source":
		d.source = arg
	case ".layout":
		if arg != "compact" && arg != "paged" {
			return fmt.Errorf("unknown layout %q", arg)
		}
		if arg == "compact" {
			d.layout = Compact
		}
	}
	return nil
}

// BuildAssembly is FromAssembly followed by Build.
func BuildAssembly(src string) (*File, error) {
	spec, err := FromAssembly(src)
	if err != nil {
		return nil, err
	}
	return Build(*spec)
}
