package ui

import (
	"fmt"
	"html"
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
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="memmap" viewBox="0 0 %v 330" width="%v" role="img" aria-label="memory map">`, w, w)
	sx := func(v, end uint64) float64 { return x0 + bw*float64(v)/float64(max(end, 1)) }
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
			fmt.Fprintf(&sb, `<text x="%v" y="164" class="mm-n">%s @ 0x%x</text>`, vx, html.EscapeString(b.name), b.vaddr)
		}
		fmt.Fprintf(&sb, `<rect x="%v" y="10" width="%v" height="36" fill="%s" class="mm-box"><title>%s: file 0x%x..0x%x</title></rect>`, fx, fw, b.fill, html.EscapeString(b.name), b.off, b.off+b.size)
		if b.mapped {
			fmt.Fprintf(&sb, `<text x="%v" y="62" class="mm-n">%s @ file 0x%x</text>`, fx+2, html.EscapeString(b.name), b.off)
		}
	}
	regions := []struct{ name, start, what string }{
		{"stack", "0x2_0000_0000", "call frames: 20 × 4 KiB with unmapped gaps between them; r10 points at the top of the current frame"},
		{"heap", "0x3_0000_0000", "given by the runtime; empty unless a syscall context provides one"},
		{"input", "0x4_0000_0000", "the input bytes; r1 points here at entry"},
	}
	for i, r := range regions {
		y := 185.0 + float64(i)*48
		label(y, r.name, r.start)
		fmt.Fprintf(&sb, `<rect x="%v" y="%v" width="%v" height="34" class="mm-region"/><text x="%v" y="%v" class="mm-s">%s</text>`, x0, y, bw, x0+10, y+22, html.EscapeString(r.what))
	}
	sb.WriteString(`</svg>`)
	return vugu.HTML(sb.String())
}
