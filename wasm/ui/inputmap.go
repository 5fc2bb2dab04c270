package ui

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

// access is one load or store an instruction makes.
type access struct {
	ok    bool
	pc    int
	addr  uint64
	size  int
	store bool
}

// isMemOp reports whether opcode opc loads or stores memory when it runs.
func isMemOp(opc ebpf.OpCode) bool {
	switch opc.Form() {
	case ebpf.FormLoadAbs, ebpf.FormLoadInd, ebpf.FormLoadReg, ebpf.FormStoreImm, ebpf.FormStoreReg:
		return opc.Executed()
	}
	return false
}

// accessAt is the memory the instruction at pc touches with registers
// regs, computed as the interpreter computes it (LD_ABS and LD_IND address
// the input region from its start).
func accessAt(text []byte, pc int, regs [11]uint64) (access, bool) {
	if pc < 0 || (pc+1)*ebpf.InsnSize > len(text) {
		return access{}, false
	}
	in := text[pc*ebpf.InsnSize:]
	opc, dst, src := ebpf.OpCode(in[0]), in[1]&0x0f, in[1]>>4
	off := int16(binary.LittleEndian.Uint16(in[2:]))
	imm := binary.LittleEndian.Uint32(in[4:])
	if !isMemOp(opc) || dst > 10 || src > 10 {
		return access{}, false
	}
	a := access{ok: true, pc: pc, size: int(opc.AccessSize())}
	switch opc.Class() {
	case ebpf.ClassLdx:
		a.addr = regs[src] + uint64(int64(off))
	case ebpf.ClassSt, ebpf.ClassStx:
		a.addr, a.store = regs[dst]+uint64(int64(off)), true
	default: // LD_ABS, LD_IND
		a.addr = ebpf.MMInputStart + uint64(imm)
		if opc&0xe0 == ebpf.ModeInd {
			a.addr += regs[src]
		}
	}
	return a, true
}

// inputFields is the current run's field map of the input region, nil
// for a bare run.
func (d *DebugState) inputFields() *solana.Input {
	if d.built == nil || d.built.Invocation == nil {
		return nil
	}
	return d.built.Invocation.Input
}

// inputLen is the size of the current run's input region.
func (d *DebugState) inputLen() int {
	if d.vm != nil {
		return len(d.prep.InputRegion())
	}
	return len(d.input)
}

// fieldName names the input bytes [off, off+n): the field when the access
// covers it exactly, the byte range within it when it covers part of one,
// and first and last field when it spans several. Without a field map (a
// bare run) it names the range of the input.
func fieldName(in *solana.Input, off, n int) string {
	if in == nil {
		return fmt.Sprintf("input[%#x..%#x]", off, off+n)
	}
	f, ok := in.FieldAt(off)
	if !ok {
		return fmt.Sprintf("input[%#x]", off)
	}
	if off == f.Start && off+n == f.End {
		return f.Name()
	}
	if off+n <= f.End {
		return fmt.Sprintf("%s[%d..%d]", f.Name(), off-f.Start, off-f.Start+n)
	}
	last, ok := in.FieldAt(off + n - 1)
	if !ok {
		return f.Name() + "…"
	}
	if last.Account == f.Account && f.Account >= 0 {
		return f.Name() + "+" + last.Part
	}
	return f.Name() + "+" + last.Name()
}

// accessNote names what an access touches in the input region, "" when it
// touches no input byte.
func (d *DebugState) accessNote(acc access) string {
	if !acc.ok || acc.addr < ebpf.MMInputStart {
		return ""
	}
	off := acc.addr - ebpf.MMInputStart
	if off >= uint64(d.inputLen()) {
		return ""
	}
	return fieldName(d.inputFields(), int(off), min(acc.size, d.inputLen()-int(off)))
}

// AccessNote is the listing's note for instruction pc: the input field the
// instruction about to run will load or store ("; accounts[0].lamports"),
// or the one it last loaded or stored in this run ("; read
// accounts[0].lamports").
func (d *DebugState) AccessNote(pc int) string {
	if d.vm == nil {
		return ""
	}
	if pc == d.vm.PC() && !d.vm.Done() {
		if acc, ok := accessAt(d.vm.Text(), pc, d.vm.Registers()); ok {
			if n := d.accessNote(acc); n != "" {
				return "; " + n
			}
		}
	}
	if acc, ok := d.inputAcc[pc]; ok {
		if n := d.accessNote(acc); n != "" {
			verb := "read "
			if acc.store {
				verb = "wrote "
			}
			return "; " + verb + n
		}
	}
	return ""
}

// LastAccess describes the last load or store of the input region, for
// the memory viewer.
func (d *DebugState) LastAccess() string {
	n := d.accessNote(d.last)
	if n == "" {
		return ""
	}
	verb := "loaded"
	if d.last.store {
		verb = "stored"
	}
	return fmt.Sprintf("%s %s %d bytes at 0x%x: %s", ebpf.PCRef(d.last.pc), verb, d.last.size, d.last.addr, n)
}

// followAccess moves the memory viewer to the input bytes the last
// instruction touched when they are out of its window.
func (d *DebugState) followAccess() {
	if d.MemRegion != "input" || !d.last.ok || d.accessNote(d.last) == "" {
		return
	}
	off := int(d.last.addr - ebpf.MMInputStart)
	if off < d.MemOff || off >= d.MemOff+memWindowBytes {
		d.MemOff = max(0, off/16*16-32)
	}
}

// fieldKind groups the input's fields for colouring.
func fieldKind(part string) string {
	switch part {
	case "num_accounts", "instruction_data_len", "data_len":
		return "len"
	case "dup_marker", "dup_of", "is_signer", "is_writable", "executable":
		return "flag"
	case "padding", "realloc_padding":
		return "pad"
	case "pubkey", "owner", "program_id":
		return "key"
	case "lamports":
		return "lamports"
	case "data", "instruction_data":
		return "data"
	case "rent_epoch":
		return "epoch"
	}
	return "other"
}

// inputFieldOptions writes the options of the memory viewer's "go to
// field" list: the input's fields, padding left out.
func (d *DebugState) inputFieldOptions() vugu.HTML {
	in := d.inputFields()
	if in == nil {
		return ""
	}
	var p page
	p.WriteString(`<option value="">go to a field…</option>`)
	for _, f := range in.Fields {
		if fieldKind(f.Part) != "pad" {
			p.WriteString(`<option value="` + strconv.Itoa(f.Start) + `">` + f.Name() + "  (+0x" + strconv.FormatInt(int64(f.Start), 16) + ", " + strconv.Itoa(f.End-f.Start) + " bytes)</option>")
		}
	}
	return vugu.HTML(p.String())
}

// GoToField shows the input from the field starting at offset v.
func (d *DebugState) GoToField(v string) {
	defer d.hub.Recover("go to field")
	if off, err := strconv.Atoi(v); err == nil && off >= 0 {
		d.MemOff = off / 16 * 16
	}
}

// MemCell is one byte of the memory viewer.
type MemCell struct {
	Hex, Class, Title string
	_                 [0]func() // not comparable: no equality code for the page
}

// hexPad is v in hex, at least width digits.
func hexPad(v uint64, width int) string {
	s := strconv.FormatUint(v, 16)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// hexByte is b in two hex digits.
func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// MemRow is 16 bytes of the memory viewer.
type MemRow struct {
	Addr  string
	Cells []MemCell
	ASCII string
}

// memWindowBytes is how much of the input region the viewer shows.
const memWindowBytes = 256

// InputRows is the input region's window in the memory viewer, each byte
// coloured by the field it belongs to and titled with its name, the bytes
// the program changed and the last access marked.
func (d *DebugState) InputRows() []MemRow {
	var rows []MemRow
	d.inputCells(func(addr uint64) { rows = append(rows, MemRow{Addr: hexPad(addr, 9)}) },
		func(c MemCell) { r := &rows[len(rows)-1]; r.Cells = append(r.Cells, c) },
		func(ascii string) { rows[len(rows)-1].ASCII = ascii })
	return rows
}

// inputRowsHTML writes InputRows as HTML.
func (d *DebugState) inputRowsHTML(p *page) {
	d.inputCells(func(addr uint64) {
		p.WriteString(`<div class="r"><span class="a">` + hexPad(addr, 9) + `</span>`)
	}, func(c MemCell) {
		p.WriteString(`<span class="` + c.Class + `" title="` + c.Title + `">` + c.Hex + `</span>`)
	}, func(string) {
		p.WriteString(`</div>`)
	})
}

// inputCells walks the viewer's window: row starts each row, cell each
// byte, end ends the row with its text.
func (d *DebugState) inputCells(row func(addr uint64), cell func(MemCell), end func(ascii string)) {
	if d.vm == nil {
		return
	}
	n := d.inputLen()
	d.MemOff = max(0, min(d.MemOff, (n-1)/16*16))
	lo, hi := d.MemOff, min(d.MemOff+memWindowBytes, n)
	cur := d.prep.InputRegion()
	var orig []byte
	if d.built != nil {
		orig = d.built.Input
	}
	in := d.inputFields()
	var acc [2]int
	if d.accessNote(d.last) != "" {
		s := int(d.last.addr - ebpf.MMInputStart)
		acc = [2]int{s, s + d.last.size}
	}
	var fi int
	var ascii [16]byte
	for r := lo; r < hi; r += 16 {
		row(ebpf.MMInputStart + uint64(r))
		k := 0
		for i := r; i < min(r+16, hi); i++ {
			c := MemCell{Hex: hexByte(cur[i]), Class: "b"}
			title := "0x" + strconv.FormatUint(ebpf.MMInputStart+uint64(i), 16)
			if in != nil {
				for fi < len(in.Fields) && in.Fields[fi].End <= i {
					fi++
				}
				if fi < len(in.Fields) && in.Fields[fi].Start <= i {
					f := in.Fields[fi]
					c.Class += " f-" + fieldKind(f.Part)
					if fi%2 == 1 {
						c.Class += " alt"
					}
					title += "  " + f.Name()
					if f.End-f.Start > 1 {
						title += " byte " + strconv.Itoa(i-f.Start) + " of " + strconv.Itoa(f.End-f.Start)
					}
				}
			}
			if i < len(orig) && orig[i] != cur[i] {
				c.Class += " chg"
				title += " (was " + hexByte(orig[i]) + ")"
			}
			if i >= acc[0] && i < acc[1] {
				c.Class += " acc"
			}
			c.Title = title
			cell(c)
			ch := cur[i]
			if ch < 32 || ch > 126 {
				ch = '.'
			}
			ascii[k] = ch
			k++
		}
		end(string(ascii[:k]))
	}
}

// InputWindow says which part of the input the viewer shows.
func (d *DebugState) InputWindow() string {
	n := d.inputLen()
	if n == 0 {
		return "the input region is empty"
	}
	return fmt.Sprintf("bytes 0x%x–0x%x of %s", d.MemOff, min(d.MemOff+memWindowBytes, n), count(uint64(n), "byte"))
}

// MemPage pages the input viewer by dir windows.
func (d *DebugState) MemPage(dir int) {
	defer d.hub.Recover("memory page")
	d.MemOff = max(0, d.MemOff+dir*memWindowBytes)
}

// InputLegend lists the field colours of the input viewer.
func (d *DebugState) InputLegend() []MemCell {
	if d.inputFields() == nil {
		return nil
	}
	return []MemCell{
		{Hex: "lengths", Class: "b f-len", Title: "num_accounts, data_len, instruction_data_len"},
		{Hex: "flags", Class: "b f-flag", Title: "dup marker, is_signer, is_writable, executable"},
		{Hex: "keys", Class: "b f-key", Title: "pubkey, owner, program_id"},
		{Hex: "lamports", Class: "b f-lamports", Title: "lamports"},
		{Hex: "data", Class: "b f-data", Title: "account data, instruction data"},
		{Hex: "rent epoch", Class: "b f-epoch", Title: "rent_epoch"},
		{Hex: "padding", Class: "b f-pad", Title: "alignment and realloc room"},
		{Hex: "changed", Class: "b chg", Title: "bytes the program changed"},
		{Hex: "last access", Class: "b acc", Title: "what the last load or store touched"},
	}
}

// inputView is the input viewer's controls.
type inputView struct {
	Window, Access string
	Fields         vugu.HTML
	Rows, Legend   vugu.HTML
}

// InputHTML draws the input viewer: paging, the field list, the last
// access, the rows and the colour legend.
func (d *DebugState) InputHTML() vugu.HTML {
	if d.inputLen() == 0 {
		return `<p class="note" id="mem-window">the input region is empty</p>`
	}
	var rows, legend page
	rows.WriteString(`<div class="memrows" id="memrows">`)
	d.inputRowsHTML(&rows)
	rows.WriteString(`</div>`)
	for _, c := range d.InputLegend() {
		legend.WriteString(`<span class="` + c.Class + `" title="` + c.Title + `">` + c.Hex + `</span>`)
	}
	return inputTmpl.render(inputView{Window: d.InputWindow(), Access: d.LastAccess(), Fields: d.inputFieldOptions(),
		Rows: vugu.HTML(rows.String()), Legend: vugu.HTML(legend.String())})
}

var inputTmpl = newTmpl(`<div class="mem-nav"><button class="plain small" id="mem-prev" name="do:mem:prev" title="earlier bytes">◀</button><button class="plain small" id="mem-next" name="do:mem:next" title="later bytes">▶</button>
<span id="mem-window">{Window}</span>{?Fields}<select id="mem-field" name="mem-field">{=Fields}</select>{/}</div>
{?Access}<div class="mem-access" id="mem-access">{Access}</div>{/}{=Rows}{?Legend}<div class="mem-legend">{=Legend}</div>{/}`)
