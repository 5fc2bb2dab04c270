package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// RegRow is one register in the debugger.
type RegRow struct {
	Name, Hex, Dec, Class string
	Why                   string // the control that asks where the value came from
}

// Registers lists r0-r10, changed ones marked.
func (d *DebugState) Registers() []RegRow {
	if d.vm == nil {
		return nil
	}
	rows := regRows(d.vm.Registers(), d.prevRegs)
	for i := range rows {
		rows[i].Why = regWhyName(i)
	}
	return rows
}

// regRows lists the registers regs, those that differ from prev marked.
func regRows(regs, prev [11]uint64) []RegRow {
	out := make([]RegRow, len(regs))
	for i, v := range regs {
		r := RegRow{Name: fmt.Sprintf("r%d", i), Hex: fmt.Sprintf("0x%016x", v), Dec: fmt.Sprint(int64(v)), Class: "reg"}
		if v != prev[i] {
			r.Class += " changed"
		}
		out[i] = r
	}
	return out
}

// Ready reports whether there is a VM to show.
func (d *DebugState) Ready() bool { return d.vm != nil }

// Position summarises where the VM is.
func (d *DebugState) Position() string {
	if d.vm == nil {
		return ""
	}
	// After a clean exit the VM's pc is past the exit instruction, which
	// is no position to show.
	at := ebpf.PCRef(d.vm.PC())
	if d.vm.Done() && d.vm.Result().Err == nil {
		at = "exited"
	}
	s := fmt.Sprintf("%s · %s executed", at, count(d.vm.Executed(), "instruction"))
	if m := d.vm.Meter(); m.Enabled && d.Runtime() {
		s += fmt.Sprintf(" · %d of %d compute units used", m.Initial-m.Remaining, m.Initial)
	} else if m.Enabled {
		s += fmt.Sprintf(" · meter %d of %d left", m.Remaining, m.Initial)
	}
	return s
}

// Progress is the share of the budget used, for the progress bar.
func (d *DebugState) Progress() string {
	if d.vm == nil || d.budget == 0 {
		return "width: 0%"
	}
	return fmt.Sprintf("width: %.1f%%", min(100, 100*float64(d.vm.Executed())/float64(d.budget)))
}

// StatusClass marks errors.
func (d *DebugState) StatusClass() string {
	if strings.HasPrefix(d.Status, "error") || d.Rejected || d.result != nil && d.result.Failed() {
		return "dstatus bad"
	}
	return "dstatus"
}

// FramesTable lists the call frames, each with the function it is in: the
// current frame's holds the debugger's position, an outer frame's holds
// the call it will return after. Function names are shown demangled, the
// raw symbol name as the row's tooltip.
func (d *DebugState) FramesTable() *DataTable {
	t := &DataTable{ID: "frames", Title: "Call frames", Head: []string{"#", "function", "stack", "returns to", "saved r6-r9"}}
	if d.vm == nil {
		return t
	}
	fr := d.vm.Frames()
	for i, f := range fr {
		ret, saved, at := "-", "-", d.curPC()
		if i < len(fr)-1 {
			ret = ebpf.PCRef(f.ReturnPC)
			saved = fmt.Sprintf("%x %x %x %x", f.SavedReg[0], f.SavedReg[1], f.SavedReg[2], f.SavedReg[3])
			at = f.ReturnPC - 1 // the call instruction
		}
		fn := d.hub.program().functionAt(at)
		row := Row{Cells: []string{fmt.Sprint(i), symname.Display(fn), fmt.Sprintf("0x%x", f.VMAddr), ret, saved}, Title: rawIfMangled(fn)}
		if i == len(fr)-1 {
			row.Class = "cur"
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// functionAt names the function holding instruction pc: the one that
// starts last at or before it (the symbol table's functions, the
// entrypoint and every call target), "-" when pc is outside the program.
// Opening the debugger must not wait for the control-flow graph of a
// whole program.
func (p *Loaded) functionAt(pc int) string {
	if p == nil || p.Prog == nil || pc < 0 || pc >= len(p.Prog.Text)/ebpf.InsnSize {
		return "-"
	}
	if p.fnStarts == nil {
		names := p.functionNames()
		if _, ok := names[p.Prog.Entrypoint]; !ok {
			names[p.Prog.Entrypoint] = "entrypoint"
		}
		for _, t := range p.Prog.Calls {
			if _, ok := names[t]; !ok {
				names[t] = "fn_" + strconv.Itoa(t)
			}
		}
		p.fnStarts = make([]int, 0, len(names))
		for s := range names {
			p.fnStarts = append(p.fnStarts, s)
		}
		sort.Ints(p.fnStarts)
		p.fnNames = make([]string, len(p.fnStarts))
		for i, s := range p.fnStarts {
			p.fnNames[i] = names[s]
		}
	}
	i := sort.SearchInts(p.fnStarts, pc+1) - 1
	if i < 0 {
		return "-"
	}
	return p.fnNames[i]
}

// memRegions are the regions the memory viewer offers.
var memRegions = []string{"input", "stack", "rodata", "program"}

// SetMemRegion chooses the region the memory viewer shows.
func (d *DebugState) SetMemRegion(r string) {
	defer d.hub.Recover("memory region")
	d.MemRegion, d.MemOff = r, 0
}

// memWindow is the address and length the memory viewer shows.
func (d *DebugState) memWindow() (uint64, uint64) {
	p := d.hub.program()
	switch d.MemRegion {
	case "stack":
		top := d.vm.Registers()[ebpf.StackReg]
		return top - 128, 128
	case "rodata":
		if ro := p.Prog.ROSections; len(ro) > 0 {
			return ro[0].Vaddr, min(uint64(len(ro[0].Data)), 256)
		}
		return 0, 0
	case "program":
		return p.Prog.TextVaddr, min(uint64(len(p.Prog.Text)), 256)
	}
	return ebpf.MMInputStart + uint64(d.MemOff), min(uint64(max(0, d.inputLen()-d.MemOff)), memWindowBytes)
}

// MemDump is a hex dump of the chosen region: address, 16 bytes, ASCII.
func (d *DebugState) MemDump() string {
	if d.vm == nil {
		return ""
	}
	addr, n := d.memWindow()
	if n == 0 {
		return "(empty)"
	}
	b, err := d.vm.Memory(addr, n)
	if err != nil {
		return err.Error()
	}
	var sb strings.Builder
	for i := 0; i < len(b); i += 16 {
		row := b[i:min(i+16, len(b))]
		fmt.Fprintf(&sb, "%09x  %-47s  ", addr+uint64(i), hexBytes(row))
		for _, c := range row {
			if c < 32 || c > 126 {
				c = '.'
			}
			sb.WriteByte(c)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// LogText is what syscalls printed so far.
func (d *DebugState) LogText() string { return d.log.String() }

// SetInput changes the input bytes (hex) of a bare run; the next reset
// uses them.
func (d *DebugState) SetInput(v string) {
	defer d.hub.Recover("input")
	d.InputHex = v
	d.invalidateRun("input changed: the next step starts a new run")
}

// SetBudget changes the instruction budget of a bare run; the next reset
// uses it.
func (d *DebugState) SetBudget(v string) {
	defer d.hub.Recover("budget")
	d.Budget = v
	d.invalidateRun("budget changed: the next step starts a new run")
}

// count writes n with noun, in the plural unless n is 1.
func count(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
