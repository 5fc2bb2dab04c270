package ui

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// RegRow is one register in the debugger.
type RegRow struct {
	Name, Hex, Dec, Class string
}

// Registers lists r0-r10, changed ones marked.
func (d *DebugState) Registers() []RegRow {
	if d.vm == nil {
		return nil
	}
	regs := d.vm.Registers()
	out := make([]RegRow, len(regs))
	for i, v := range regs {
		r := RegRow{Name: fmt.Sprintf("r%d", i), Hex: fmt.Sprintf("0x%016x", v), Dec: fmt.Sprint(int64(v)), Class: "reg"}
		if v != d.prevRegs[i] {
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
	at := fmt.Sprintf("pc %d", d.vm.PC())
	if d.vm.Done() && d.vm.Result().Err == nil {
		at = "exited"
	}
	s := fmt.Sprintf("%s · %s executed", at, count(d.vm.Executed(), "instruction"))
	if m := d.vm.Meter(); m.Enabled {
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
	if strings.HasPrefix(d.Status, "error") {
		return "dstatus bad"
	}
	return "dstatus"
}

// FramesTable lists the call frames, each with the function it is in: the
// current frame's holds the debugger's position, an outer frame's holds
// the call it will return after. Function names are shown demangled, the
// raw symbol name as the row's tooltip.
func (a *App) FramesTable() *DataTable {
	d := &a.Debug
	t := &DataTable{ID: "frames", Title: "Call frames", Head: []string{"#", "function", "stack", "returns to", "saved r6-r9"}}
	if d.vm == nil {
		return t
	}
	fr := d.vm.Frames()
	for i, f := range fr {
		ret, saved, at := "-", "-", a.debugPC()
		if i < len(fr)-1 {
			ret = fmt.Sprint(f.ReturnPC)
			saved = fmt.Sprintf("%x %x %x %x", f.SavedReg[0], f.SavedReg[1], f.SavedReg[2], f.SavedReg[3])
			at = f.ReturnPC - 1 // the call instruction
		}
		fn := a.functionAt(at)
		row := Row{Cells: []string{fmt.Sprint(i), symname.Display(fn), fmt.Sprintf("0x%x", f.VMAddr), ret, saved}, Title: rawIfMangled(fn)}
		if i == len(fr)-1 {
			row.Class = "cur"
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// functionAt names the function holding instruction pc, by the
// control-flow graph's functions; "-" when pc is outside the program.
func (a *App) functionAt(pc int) string {
	g := a.graph()
	if g == nil {
		return "-"
	}
	b := g.BlockAt(pc)
	if b < 0 {
		return "-"
	}
	return g.Functions[g.Blocks[b].Function].Name
}

// memRegions are the regions the memory viewer offers.
var memRegions = []string{"input", "stack", "rodata", "program"}

// MemRegions lists the memory viewer's choices.
func (d *DebugState) MemRegions() []string { return memRegions }

// RegionClass marks the chosen region.
func (d *DebugState) RegionClass(r string) string {
	if d.MemRegion == r {
		return "seg active"
	}
	return "seg"
}

// SetMemRegion chooses the region the memory viewer shows.
func (a *App) SetMemRegion(r string) {
	defer a.Recover("memory region")
	a.Debug.MemRegion = r
}

// memWindow is the address and length the memory viewer shows.
func (a *App) memWindow() (uint64, uint64) {
	d := &a.Debug
	switch d.MemRegion {
	case "stack":
		top := d.vm.Registers()[ebpf.StackReg]
		return top - 128, 128
	case "rodata":
		if ro := a.Prog.Prog.ROSections; len(ro) > 0 {
			return ro[0].Vaddr, min(uint64(len(ro[0].Data)), 256)
		}
		return 0, 0
	case "program":
		return a.Prog.Prog.TextVaddr, min(uint64(len(a.Prog.Prog.Text)), 256)
	}
	return ebpf.MMInputStart, min(uint64(len(d.input)), 256)
}

// MemDump is a hex dump of the chosen region: address, 16 bytes, ASCII.
func (a *App) MemDump() string {
	d := &a.Debug
	if d.vm == nil {
		return ""
	}
	addr, n := a.memWindow()
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

// SetInput changes the input bytes (hex); the next reset uses them.
func (a *App) SetInput(v string) {
	defer a.Recover("input")
	a.Debug.InputHex = v
	a.Debug.vm, a.Debug.Running = nil, false
	a.Debug.gen++
	a.Debug.Status = "input changed: the next step starts a new run"
}

// SetBudget changes the instruction budget; the next reset uses it.
func (a *App) SetBudget(v string) {
	defer a.Recover("budget")
	a.Debug.Budget = v
	a.Debug.vm, a.Debug.Running = nil, false
	a.Debug.gen++
	a.Debug.Status = "budget changed: the next step starts a new run"
}

// count writes n with noun, in the plural unless n is 1.
func count(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
