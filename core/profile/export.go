package profile

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/cfg"
	"github.com/rbpfgo/rbpfgo/core/symname"
)

// Folded writes the stacks in the folded format of Brendan Gregg's
// stackcollapse scripts, which flamegraph.pl, inferno and speedscope read:
// one line per stack, its frames' names (demangled, symname.Display)
// joined by ';', a space and its units,
//
//	entrypoint;spl_token::processor::Processor::process;sol_log_ 30
//
// Lines are sorted; stacks whose names read the same are merged, so the
// numbers always add up to p.Units. A ';' in a name becomes ':' and
// control characters become spaces, which would otherwise end a frame or
// a line.
func (p *Profile) Folded(w io.Writer) error {
	sums := map[string]uint64{}
	for _, s := range p.Stacks {
		names := make([]string, len(s.Frames))
		for i, f := range s.Frames {
			names[i] = frameName(p.Functions[f].Name)
		}
		sums[strings.Join(names, ";")] += s.Units
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + " " + strconv.FormatUint(sums[k], 10) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// frameName is a function's name as a folded frame.
func frameName(raw string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ';':
			return ':'
		case r < ' ' || r == 0x7f:
			return ' '
		}
		return r
	}, symname.Display(raw))
}

// heat is the fill of a block by its share of the costliest block's
// units, in fifths: ColorBrewer's "Reds", light to dark, without its
// lightest shade (too close to an unfilled block) and its darkest ones
// (under which black text is hard to read).
var heat = []string{"#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c"}

// Dot renders g, the graph the profile was recorded with, as core/cfg's
// dot text with each block that ran headed by its units, their share of
// the total and how often it was entered, and filled by its units
// relative to the costliest block (the darker, the more).
func (p *Profile) Dot(g *cfg.Graph, name string) string {
	byID := make(map[int]Block, len(p.Blocks))
	var most uint64
	for _, b := range p.Blocks {
		byID[b.ID] = b
		most = max(most, b.Units)
	}
	unit := "CU"
	if !p.Metered {
		unit = "instructions"
	}
	style := func(b cfg.Block) cfg.BlockStyle {
		pb, ok := byID[b.ID]
		if !ok {
			return cfg.BlockStyle{}
		}
		st := cfg.BlockStyle{Heading: fmt.Sprintf("%d %s (%s), entered %d", pb.Units, unit, percent(pb.Units, p.Units), pb.Entries)}
		if most > 0 {
			level := int(math.Ceil(float64(pb.Units) / float64(most) * float64(len(heat))))
			st.Fill = heat[max(0, min(len(heat), level)-1)]
		}
		return st
	}
	return cfg.Dot(g, cfg.DotOptions{Name: name, Style: style})
}

// percent is part of total to one decimal.
func percent(part, total uint64) string {
	if total == 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(part)*100/float64(total), 'f', 1, 64) + "%"
}
