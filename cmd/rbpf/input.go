package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/solana"
)

func init() {
	commands["input"] = command{"serialize an instruction document into the input region, with its field map", runInput}
}

const inputSynopsis = "rbpf input IX.json [--json] [--full]"

// inputDoc is what `rbpf input --json` prints.
type inputDoc struct {
	Loader  solana.Loader  `json:"loader"`
	Aligned bool           `json:"aligned"`
	Size    int            `json:"size"`
	Vaddr   uint64         `json:"vaddr"`
	Hex     string         `json:"hex"`
	Fields  []solana.Field `json:"fields"`
}

func runInput(args []string, stdout, _ io.Writer) error {
	fs := newFlags("input")
	asJSON := fs.Bool("json", false, "print the input region and its fields as JSON")
	full := fs.Bool("full", false, "print every line of long fields (the reallocation padding is cut by default)")
	pos, err := parse(fs, inputSynopsis, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("want one instruction document (%s)", inputSynopsis)
	}
	ix, err := readInstruction(pos[0])
	if err != nil {
		return err
	}
	in := solana.Serialize(ix)
	if *asJSON {
		return writeJSON(stdout, inputDoc{Loader: ix.Loader, Aligned: in.Aligned, Size: len(in.Bytes),
			Vaddr: ebpf.MMInputStart, Hex: hex.EncodeToString(in.Bytes), Fields: in.Fields})
	}
	fmt.Fprintf(stdout, "Input region for %s (%s, %s layout): %d bytes at %#x\n",
		ix.ProgramID, ix.Loader, map[bool]string{true: "aligned", false: "unaligned"}[in.Aligned], len(in.Bytes), ebpf.MMInputStart)
	for _, f := range in.Fields {
		dumpField(stdout, in.Bytes, f, *full)
	}
	return nil
}

// dumpField prints one field as offset, hex bytes (16 a line) and its
// name on the first line. Long runs of zeros are folded unless full.
func dumpField(w io.Writer, b []byte, f solana.Field, full bool) {
	const perLine = 16
	lines := (f.End - f.Start + perLine - 1) / perLine
	for i := 0; i < lines; i++ {
		lo := f.Start + i*perLine
		hi := min(lo+perLine, f.End)
		if !full && i == 2 && lines > 4 && allZero(b[lo:f.End-perLine]) {
			fmt.Fprintf(w, "%#011x  ... %d zero bytes ...\n", ebpf.MMInputStart+uint64(lo), f.End-perLine-lo)
			i = lines - 2
			continue
		}
		label := ""
		if i == 0 {
			label = "  " + f.Name()
			if n := f.End - f.Start; n > perLine {
				label += fmt.Sprintf(" (%d bytes)", n)
			}
		}
		fmt.Fprintf(w, "%#011x  %-47s%s\n", ebpf.MMInputStart+uint64(lo), spacedHex(b[lo:hi]), label)
	}
}

func spacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
