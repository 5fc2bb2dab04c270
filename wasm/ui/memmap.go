package ui

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// mapBox is a section drawn in the memory map.
type mapBox struct {
	name        string
	off, size   uint64 // in the file
	vaddr       uint64 // in the VM, 0 when not mapped
	mapped      bool
	fill, label string
}

// MemoryMap draws the file and the VM's four regions as SVG: each mapped
// section appears at its file offset and at its VM address, joined by a band.
func (p *Loaded) MemoryMap() vugu.HTML {
	if p.Log == nil || p.Log.Info == nil {
		return ""
	}
	var boxes []mapBox
	fileEnd := uint64(p.Log.Info.Size)
	var vmEnd uint64
	for _, s := range p.Log.Info.Sections {
		if s.Size == 0 || s.Type == 0 || s.Type == 8 {
			continue
		}
		b := mapBox{name: s.Name, off: s.Offset, size: s.Size, fill: "#dfe5ef"}
		if a, ok := p.vmAddr(s.Name); ok {
			b.vaddr, b.mapped, b.fill = a, true, "#b9cbf5"
			if s.Name == ".text" {
				b.fill = "#9bd0ae"
			}
			if e := a - ebpf.MMProgramStart + s.Size; e > vmEnd {
				vmEnd = e
			}
		}
		boxes = append(boxes, b)
	}
	if vmEnd < fileEnd {
		vmEnd = fileEnd
	}
	const w, x0, bw = 940.0, 170.0, 740.0
	sx := func(v, end uint64) float64 { return x0 + bw*float64(v)/float64(max(end, 1)) }
	// Section names go in lanes below their boxes, so that the names of
	// small neighbouring sections do not overlap.
	var fileNames, vmNames []mapLabel
	for _, b := range boxes {
		if b.mapped {
			fileNames = append(fileNames, mapLabel{x: sx(b.off, fileEnd) + 2, text: fmt.Sprintf("%s @ file 0x%x", b.name, b.off)})
			vmNames = append(vmNames, mapLabel{x: sx(b.vaddr-ebpf.MMProgramStart, vmEnd), text: fmt.Sprintf("%s @ 0x%x", b.name, b.vaddr)})
		}
	}
	placeLabels(fileNames, w)
	vmLanes := placeLabels(vmNames, w)
	extra := float64(vmLanes-1) * laneH
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="memmap" viewBox="0 0 %v %v" width="%v" role="img" aria-label="memory map">`, w, 330+extra, w)
	label := func(y float64, title, sub string) {
		fmt.Fprintf(&sb, `<text x="8" y="%v" class="mm-t">%s</text><text x="8" y="%v" class="mm-s">%s</text>`, y+15, html.EscapeString(title), y+31, html.EscapeString(sub))
	}
	// the file
	label(10, "ELF file", fmt.Sprintf("%d bytes", fileEnd))
	fmt.Fprintf(&sb, `<rect x="%v" y="10" width="%v" height="36" class="mm-bg"/>`, x0, bw)
	// the program region
	label(110, "program", "0x1_0000_0000")
	fmt.Fprintf(&sb, `<rect x="%v" y="110" width="%v" height="36" class="mm-bg"/>`, x0, bw)
	for _, b := range boxes {
		fx, fw := sx(b.off, fileEnd), max(sx(b.off+b.size, fileEnd)-sx(b.off, fileEnd), 2)
		if b.mapped {
			vo := b.vaddr - ebpf.MMProgramStart
			vx, vw := sx(vo, vmEnd), max(sx(vo+b.size, vmEnd)-sx(vo, vmEnd), 2)
			fmt.Fprintf(&sb, `<path d="M%v 46 L%v 46 L%v 110 L%v 110 Z" class="mm-band"/>`, fx, fx+fw, vx+vw, vx)
			fmt.Fprintf(&sb, `<rect x="%v" y="110" width="%v" height="36" fill="%s" class="mm-box"><title>%s: VM 0x%x..0x%x</title></rect>`, vx, vw, b.fill, html.EscapeString(b.name), b.vaddr, b.vaddr+b.size)
		}
		fmt.Fprintf(&sb, `<rect x="%v" y="10" width="%v" height="36" fill="%s" class="mm-box"><title>%s: file 0x%x..0x%x</title></rect>`, fx, fw, b.fill, html.EscapeString(b.name), b.off, b.off+b.size)
	}
	for _, l := range fileNames {
		fmt.Fprintf(&sb, `<text x="%v" y="%v" class="mm-n">%s</text>`, l.x, 62+float64(l.lane)*laneH, html.EscapeString(l.text))
	}
	for _, l := range vmNames {
		fmt.Fprintf(&sb, `<text x="%v" y="%v" class="mm-n">%s</text>`, l.x, 164+float64(l.lane)*laneH, html.EscapeString(l.text))
	}
	regions := []struct{ name, start, what string }{
		{"stack", "0x2_0000_0000", "call frames: 20 × 4 KiB with unmapped gaps between them; r10 points at the top of the current frame"},
		{"heap", "0x3_0000_0000", "runtime runs: 32 KiB that sol_alloc_free_ hands out; bare rbpf runs: none"},
		{"input", "0x4_0000_0000", "runtime runs: the serialized accounts and data; bare runs: the input bytes. r1 points here"},
	}
	for i, r := range regions {
		y := 185.0 + extra + float64(i)*48
		label(y, r.name, r.start)
		fmt.Fprintf(&sb, `<rect x="%v" y="%v" width="%v" height="34" class="mm-region"/><text x="%v" y="%v" class="mm-s">%s</text>`, x0, y, bw, x0+10, y+22, html.EscapeString(r.what))
	}
	sb.WriteString(`</svg>`)
	return vugu.HTML(sb.String())
}

// mapLabel is a section's name in the memory map, placed by placeLabels.
type mapLabel struct {
	x    float64
	text string
	lane int
}

// laneH is the height of a lane of labels; charW the width of a character
// of the labels' 11px monospace font.
const laneH, charW = 13.0, 6.7

// placeLabels puts each label (in order of x) in the first lane where it
// does not run into the label before it, shifting labels left to end
// inside width. It returns how many lanes it used.
func placeLabels(ls []mapLabel, width float64) int {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].x < ls[j].x })
	var ends []float64 // the right end of the last label in each lane
	for i := range ls {
		l := &ls[i]
		wl := float64(len(l.text)) * charW
		l.x = max(0, min(l.x, width-4-wl))
		l.lane = len(ends)
		for k, e := range ends {
			if l.x >= e+8 {
				l.lane = k
				break
			}
		}
		if l.lane == len(ends) {
			ends = append(ends, 0)
		}
		ends[l.lane] = l.x + wl
	}
	return max(1, len(ends))
}
